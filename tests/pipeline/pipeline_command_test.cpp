// `recsys pipeline` through the program, end to end at a small scale (1,000 users x 1,000
// places, a short hetero training): every artifact folder, the metrics keys, report.html, the
// skip records (a second run skips every stage, a changed index type reruns only the index,
// --force reruns everything), and a bad config key failing before anything is written.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../common/cli_run.h"

namespace fs = std::filesystem;

namespace {

using recsys::testing::scratch;

std::string read(const fs::path& p) {
  return recsys::testing::read_text(p);
}

struct Result {
  int status = -1;
  std::string out, err;
};

// Runs `recsys pipeline` from the project root (configs/pipeline.toml, tools/node_modules).
Result pipeline(const std::string& args) {
  Result r;
  r.status = recsys::testing::run_recsys("pipeline " + args, scratch(),
                                         {.working_dir = RECSYS_SOURCE_DIR, .env = {}});
  r.out = recsys::testing::log_out(scratch());
  r.err = recsys::testing::log_err(scratch());
  return r;
}

// 1,000 users x 1,000 places and a one-epoch, narrow hetero: the stages, not the model, are
// under test.
const std::string kSmall =
    "--set generator.scale.n_users=1000 --set generator.scale.n_places=1000 "
    "--set generator.scale.n_cities=4 --set model.hetero.max_epochs=1 "
    "--set model.hetero.dim=16 --set model.hetero.social_dim=8 --set model.hetero.hidden=16 "
    "--set model.hetero.negatives=64 --set model.hetero.city_negatives=64 "
    "--set model.hetero.friend_negatives=32 --set model.hetero.friend_city_negatives=32 "
    "--set model.hetero.batch_size=2048 --threads 2";

// The stages of a summary line (--log-format json): name -> skipped.
std::map<std::string, bool> stages_of(const Result& r) {
  const auto start = r.out.rfind("{\"event\":\"pipeline\"");
  EXPECT_NE(start, std::string::npos) << r.out;
  if (start == std::string::npos) return {};
  const auto j = nlohmann::json::parse(r.out.substr(start));
  std::map<std::string, bool> out;
  for (const auto& s : j.at("stages")) out[s.at("stage")] = s.at("skipped");
  return out;
}

TEST(PipelineCommand, BadConfigKeyFailsBeforeWritingAnything) {
  const fs::path wd = scratch() / "bad";
  auto r = pipeline("--workdir '" + wd.string() + "' --set 'graph.splitt=\"auto\"'");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("graph.splitt"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(wd));

  // A key of a passed-through section is checked by that stage's config, before any stage.
  r = pipeline("--workdir '" + wd.string() + "' --set generator.scale.n_userz=10");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("n_userz"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(wd));

  r = pipeline("--workdir '" + wd.string() + "' --data-source csv:/tmp");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("--data-source"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(wd));
}

TEST(PipelineCommand, SmallSyntheticRunSkipsAndForces) {
  const fs::path wd = scratch() / "small";
  const Result first = pipeline("--workdir '" + wd.string() + "' " + kSmall);
  ASSERT_EQ(first.status, 0) << first.err << first.out;

  // Every artifact folder, with its manifest.
  for (const char* dir : {"tables", "graph", "model", "embeddings", "index", "baselines/popularity",
                          "baselines/city-popularity", "baselines/itemknn", "baselines/oracle"})
    EXPECT_TRUE(fs::is_directory(wd / dir)) << dir;
  for (const char* file :
       {"graph/manifest.json", "model/manifest.json", "embeddings/manifest.json",
        "index/manifest.json", "tables/interactions.parquet", "model/training_curve.json"})
    EXPECT_TRUE(fs::is_regular_file(wd / file)) << file;
  EXPECT_EQ(nlohmann::json::parse(read(wd / "model/manifest.json")).at("model"), "hetero");

  // Metrics of the model and of each baseline.
  const auto metrics = nlohmann::json::parse(read(wd / "metrics.json"));
  for (const char* key : {"users", "recall@20", "ndcg@20", "hit@20", "mrr", "coverage@20",
                          "group.cold_start.recall@20", "evaluate_seconds"})
    EXPECT_TRUE(metrics.contains(key)) << key;
  EXPECT_GT(metrics.at("users").get<double>(), 0);
  for (const char* b : {"popularity", "city-popularity", "itemknn", "oracle"}) {
    const auto m =
        nlohmann::json::parse(read(wd / ("baselines/metrics-" + std::string(b) + ".json")));
    EXPECT_TRUE(m.contains("recall@20")) << b;
  }
  // The embeddings carry the metrics.
  EXPECT_TRUE(nlohmann::json::parse(read(wd / "embeddings/manifest.json"))
                  .at("metrics")
                  .contains("recall@20"));

  // The summary: metrics table and the commands to serve and query.
  EXPECT_NE(first.out.find("recall@20"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("oracle"), std::string::npos);
  EXPECT_NE(first.out.find("recsys serve --artifacts " + wd.string()), std::string::npos);
  EXPECT_NE(first.out.find("recsys recommend --artifacts " + wd.string() + " --user "),
            std::string::npos);

  // report.html: self-contained, with every chart.
  const std::string html = read(wd / "report.html");
  EXPECT_LT(html.size(), 2u << 20);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("vegaEmbed("), std::string::npos);
  // vega, vega-lite and vega-embed inlined byte for byte as installed.
  for (const char* script : {"vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js",
                             "vega-embed/build/vega-embed.min.js"}) {
    const std::string js = read(fs::path(RECSYS_SOURCE_DIR) / "tools/node_modules" / script);
    ASSERT_FALSE(js.empty()) << script;
    EXPECT_NE(html.find(js), std::string::npos) << script;
  }
  for (const char* chart :
       {"cities", "place_popularity", "user_activity", "by_hour", "by_weekday", "social_degree",
        "training_loss", "training_recall", "metrics", "groups"})
    EXPECT_NE(html.find("id=\"chart-" + std::string(chart) + "\""), std::string::npos) << chart;
  EXPECT_NE(html.find("\"group\":\"cold_start\""), std::string::npos);
  EXPECT_NE(html.find("\"model\":\"oracle\""), std::string::npos);

  const auto records = nlohmann::json::parse(read(wd / "pipeline.json"));
  EXPECT_EQ(records.at("stages").size(),
            11u);  // data graph train evaluate 4 baselines export index report

  // Unchanged: every stage skipped, outputs untouched.
  const auto metrics_text = read(wd / "metrics.json");
  const Result second =
      pipeline("--workdir '" + wd.string() + "' " + kSmall + " --log-format json");
  ASSERT_EQ(second.status, 0) << second.err;
  auto stages = stages_of(second);
  EXPECT_EQ(stages.size(), 11u);
  for (const auto& [name, skipped] : stages) EXPECT_TRUE(skipped) << name;
  EXPECT_EQ(read(wd / "metrics.json"), metrics_text);

  // Another index type: only the index reruns (the report does not read it).
  const Result third = pipeline("--workdir '" + wd.string() + "' " + kSmall +
                                " --set 'index.type=\"flat\"' --log-format json");
  ASSERT_EQ(third.status, 0) << third.err;
  stages = stages_of(third);
  for (const auto& [name, skipped] : stages) EXPECT_EQ(skipped, name != "index") << name;
  EXPECT_NE(read(wd / "index/manifest.json").find("\"flat\""), std::string::npos);

  // A damaged output reruns its stage.
  fs::remove(wd / "report.html");
  const Result fourth = pipeline("--workdir '" + wd.string() + "' " + kSmall +
                                 " --set 'index.type=\"flat\"' --log-format json");
  ASSERT_EQ(fourth.status, 0) << fourth.err;
  stages = stages_of(fourth);
  for (const auto& [name, skipped] : stages) EXPECT_EQ(skipped, name != "report") << name;
  EXPECT_TRUE(fs::exists(wd / "report.html"));

  // --force: everything reruns.
  const Result forced = pipeline("--workdir '" + wd.string() + "' " + kSmall +
                                 " --set 'index.type=\"flat\"' --force --log-format json");
  ASSERT_EQ(forced.status, 0) << forced.err;
  stages = stages_of(forced);
  EXPECT_EQ(stages.size(), 11u);
  for (const auto& [name, skipped] : stages) EXPECT_FALSE(skipped) << name;
}

}  // namespace
