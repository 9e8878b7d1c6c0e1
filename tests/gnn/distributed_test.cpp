// Data-parallel training (gnn/distributed.h) through scripts/train-distributed on 127.0.0.1:
// two ranks finish with bit-identical parameters (each prints a checksum of them), rank 0
// alone writes the model folder, which evaluates; two ranks with mini-batches of B train the
// same model as one rank with mini-batches of 2B (the same triples, only the order of the float
// sums differs); the launcher fails when the ranks fail.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "../common/cli_run.h"
#include "recsys/model/npy_file.h"

namespace fs = std::filesystem;

namespace recsys::model::gnn {
namespace {

using recsys::testing::err;
using recsys::testing::read_text;
using recsys::testing::run;
using recsys::testing::scratch;

nlohmann::json read_json(const fs::path& p) { return nlohmann::json::parse(read_text(p)); }

const fs::path& graph() {
  static const fs::path g = [] {
    const fs::path data = scratch() / "data", out = scratch() / "graph";
    EXPECT_EQ(run("generate --output-dir " + data.string() +
                  " --n-users 800 --n-places 500 --n-cities 2 -q"),
              0)
        << err();
    EXPECT_EQ(run("build-graph --data " + data.string() + " --output " + out.string() + " -q"), 0)
        << err();
    return out;
  }();
  return g;
}

struct Launch {
  int status = -1;
  std::string log;  // stdout and stderr of the launcher and every rank
};

Launch launch(int ranks, const std::string& args, const std::string& name) {
  const fs::path log = scratch() / (name + ".log");
  const std::string cmd = "RECSYS_BINARY='" + std::string(RECSYS_BINARY) + "' '" +
                          RECSYS_SOURCE_DIR + "/scripts/train-distributed' " +
                          std::to_string(ranks) + " " + args + " > '" + log.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(log)};
}

// rank -> the parameter checksum it printed at the end of training.
std::map<int, std::string> checksums(const std::string& log, int world) {
  std::map<int, std::string> out;
  const std::regex line("\\[rank (\\d+)\\].*: rank (\\d+) of (\\d+): parameter checksum ([0-9a-f]{16})");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator();
       ++it) {
    const auto& m = *it;
    EXPECT_EQ(m[1].str(), m[2].str()) << m.str();
    EXPECT_EQ(std::stoi(m[3].str()), world) << m.str();
    out[std::stoi(m[1].str())] = m[4].str();
  }
  return out;
}

const char* kLightGcn =
    " --model lightgcn --set lightgcn.dim=16 --set lightgcn.layers=2 --set lightgcn.max_epochs=3 "
    "--set lightgcn.eval_every=1 --set lightgcn.learning_rate=0.01 --threads 1";

TEST(DistributedTraining, TwoLightGcnRanksEndIdenticalAndRankZeroWritesTheModel) {
  const fs::path dir = scratch() / "lightgcn-2";
  fs::create_directories(dir);
  const fs::path model = dir / "model";
  const Launch l = launch(2,
                          "--graph " + graph().string() + " --output " + model.string() +
                              kLightGcn + " --set lightgcn.batch_size=1024",
                          "lightgcn-2");
  ASSERT_EQ(l.status, 0) << l.log;
  const auto sums = checksums(l.log, 2);
  ASSERT_EQ(sums.size(), 2u) << l.log;
  EXPECT_EQ(sums.at(0), sums.at(1)) << l.log;
  EXPECT_NE(l.log.find("[rank 1] rank 1 of 2 finished"), std::string::npos) << l.log;

  // Rank 0's folder, and nothing else: rank 1's temporary folder and the checkpoints are gone.
  const auto manifest = read_json(model / "manifest.json");
  EXPECT_EQ(manifest["training"]["parameter_checksum"], sums.at(0));
  EXPECT_EQ(manifest["training"]["world_size"], 2);
  EXPECT_EQ(manifest["training"]["epochs_run"], 3);
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++entries;
    EXPECT_EQ(e.path().filename(), "model") << e.path();
  }
  EXPECT_EQ(entries, 1);

  const fs::path metrics = dir / "metrics.json";
  ASSERT_EQ(run("evaluate --model " + model.string() + " --graph " + graph().string() +
                " --output " + metrics.string() + " -q"),
            0)
      << err();
  EXPECT_GT(read_json(metrics)["recall@20"].get<double>(), 0.0);
}

TEST(DistributedTraining, TwoRanksOfBatchBTrainLikeOneRankOfBatch2B) {
  const fs::path dir = scratch() / "lightgcn-equivalence";
  fs::create_directories(dir);
  const std::string common = "--graph " + graph().string() + kLightGcn;
  const Launch two = launch(2,
                            common + " --output " + (dir / "two").string() +
                                " --set lightgcn.batch_size=512",
                            "equivalence-2");
  ASSERT_EQ(two.status, 0) << two.log;
  const Launch one = launch(1,
                            common + " --output " + (dir / "one").string() +
                                " --set lightgcn.batch_size=1024",
                            "equivalence-1");
  ASSERT_EQ(one.status, 0) << one.log;
  for (const char* file : {"user_embeddings.npy", "place_embeddings.npy"}) {
    std::vector<int64_t> shape_one, shape_two;
    const auto a = read_npy_f32(dir / "one" / file, &shape_one);
    const auto b = read_npy_f32(dir / "two" / file, &shape_two);
    ASSERT_EQ(shape_one, shape_two) << file;
    double max_abs = 0, max_diff = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      max_abs = std::max(max_abs, static_cast<double>(std::fabs(a[i])));
      max_diff = std::max(max_diff, static_cast<double>(std::fabs(a[i] - b[i])));
    }
    EXPECT_GT(max_abs, 0.01) << file;
    EXPECT_LT(max_diff, 1e-4 * max_abs) << file << ": the two runs diverged";
  }
}

TEST(DistributedTraining, TwoHeteroRanksEndIdentical) {
  const fs::path dir = scratch() / "hetero-2";
  fs::create_directories(dir);
  const Launch l = launch(
      2,
      "--graph " + graph().string() + " --output " + (dir / "model").string() +
          " --model hetero --threads 1 --set hetero.max_epochs=1 --set hetero.batch_size=256 "
          "--set hetero.negatives=128 --set hetero.city_negatives=64 --set hetero.hidden=16 "
          "--set hetero.dim=16 --set hetero.social_dim=8",
      "hetero-2");
  ASSERT_EQ(l.status, 0) << l.log;
  const auto sums = checksums(l.log, 2);
  ASSERT_EQ(sums.size(), 2u) << l.log;
  EXPECT_EQ(sums.at(0), sums.at(1)) << l.log;
  const auto manifest = read_json(dir / "model" / "manifest.json");
  EXPECT_EQ(manifest["training"]["parameter_checksum"], sums.at(0));
  EXPECT_EQ(manifest["training"]["world_size"], 2);
}

TEST(DistributedTraining, LauncherFailsWhenTheRanksFail) {
  const fs::path dir = scratch() / "failing";
  fs::create_directories(dir);
  const Launch bad = launch(2,
                            "--graph " + graph().string() + " --output " +
                                (dir / "model").string() + kLightGcn +
                                " --set lightgcn.dim=0",
                            "failing");
  EXPECT_NE(bad.status, 0) << bad.log;
  EXPECT_NE(bad.log.find("lightgcn.dim"), std::string::npos) << bad.log;
  EXPECT_NE(bad.log.find("train-distributed: rank"), std::string::npos) << bad.log;
  EXPECT_FALSE(fs::exists(dir / "model"));
  const Launch flags = launch(2, "--graph g --output m --rank 1", "flags");
  EXPECT_EQ(flags.status, 2) << flags.log;
  EXPECT_NE(flags.log.find("--rank: set by the launcher"), std::string::npos) << flags.log;
}

}  // namespace
}  // namespace recsys::model::gnn
