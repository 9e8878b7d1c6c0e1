// `recsys train --config configs/cf.toml` (bspm with self-tuning) and `recsys evaluate` end to
// end on a small synthetic graph; bspm.k larger than the graph is a ConfigError naming the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "../common/cli_run.h"

namespace {

namespace fs = std::filesystem;

// An empty folder per test (removed when the test program exits) and the program run there.
struct Scratch {
  fs::path dir = recsys::testing::fresh_dir("bspm");
  int run(const std::string& args) const { return recsys::testing::run_recsys(args, dir); }
  std::string read(const fs::path& p) const { return recsys::testing::read_text(p); }
  std::string err() const { return recsys::testing::log_err(dir); }
};

TEST(BspmCommand, CfConfigTunesTrainsAndEvaluates) {
  const Scratch s;
  const fs::path data = s.dir / "data", graph = s.dir / "graph", model = s.dir / "model";
  ASSERT_EQ(s.run("generate --output-dir " + data.string() +
                  " --n-users 400 --n-places 300 --n-cities 4 -q"),
            0)
      << s.err();
  ASSERT_EQ(s.run("build-graph --data " + data.string() + " --output " + graph.string() + " -q"), 0)
      << s.err();
  const std::string config = std::string(RECSYS_SOURCE_DIR) + "/configs/cf.toml";
  ASSERT_EQ(s.run("train --graph " + graph.string() + " --config " + config +
                  " --set bspm.k=32 --set bspm.tune_users=150 --set 'bspm.tune_T_s=[1.0, 2.5]' --output " + model.string() + " -q"),
            0)
      << s.err();
  const auto m = nlohmann::json::parse(s.read(model / "manifest.json"));
  EXPECT_EQ(m["model"], "bspm");
  EXPECT_EQ(m["scorer"], "bspm");
  EXPECT_EQ(m["files"]["bspm_factors.npy"]["shape"], nlohmann::json({300, 32}));
  const auto& tuning = m["training"]["tuning"];
  ASSERT_EQ(tuning["grid"].size(), 6u);  // 2 T_s (--set) x 3 idl_beta (cf.toml)
  EXPECT_EQ(tuning["validation"], "graph valid split");
  double best = -1;
  for (const auto& point : tuning["grid"])
    best = std::max(best, point["valid_recall@20"].get<double>());
  EXPECT_DOUBLE_EQ(tuning["best_valid_recall@20"].get<double>(), best);
  EXPECT_EQ(m["bspm"]["T_s"], tuning["best_T_s"]);
  EXPECT_EQ(m["bspm"]["idl_beta"], tuning["best_idl_beta"]);

  const fs::path metrics = s.dir / "metrics.json";
  ASSERT_EQ(s.run("evaluate --model " + model.string() + " --graph " + graph.string() +
                  " --output " + metrics.string()),
            0)
      << s.err();
  const auto r = nlohmann::json::parse(s.read(metrics));
  EXPECT_GT(r["recall@20"].get<double>(), 0.0);
  EXPECT_LE(r["recall@20"].get<double>(), 1.0);

  EXPECT_NE(s.run("train --graph " + graph.string() + " --model bspm --set bspm.k=301 --output " +
                  (s.dir / "bad").string() + " -q"),
            0);
  EXPECT_NE(s.err().find("bspm.k"), std::string::npos) << s.err();
}

}  // namespace
