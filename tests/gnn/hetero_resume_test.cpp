// `recsys train --model hetero --resume` end to end: a training run killed (SIGKILL) once its
// first checkpoint exists continues, when restarted with --resume, from that checkpoint's epoch
// instead of from the start, and ends with a complete model and training curve (epochs 1..N).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "../common/cli_run.h"

namespace fs = std::filesystem;

namespace recsys::model::gnn {
namespace {

using recsys::testing::fresh_dir;
using recsys::testing::log_err;
using recsys::testing::read_text;
using recsys::testing::run_recsys;

bool process_alive(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno != ESRCH;
}

TEST(HeteroResume, ARunKilledAfterACheckpointContinuesFromIt) {
  const fs::path dir = fresh_dir("hetero-resume");
  const fs::path data = dir / "data", graph = dir / "graph", model = dir / "model";
  ASSERT_EQ(run_recsys("generate --output-dir '" + data.string() +
                           "' --n-users 600 --n-places 300 --n-cities 2 -q",
                       dir),
            0)
      << log_err(dir);
  ASSERT_EQ(
      run_recsys("build-graph --data '" + data.string() + "' --output '" + graph.string() + "' -q",
                 dir),
      0)
      << log_err(dir);

  constexpr int kEpochs = 4;
  const std::string args =
      "train --graph '" + graph.string() + "' --model hetero --output '" + model.string() +
      "' --set hetero.max_epochs=" + std::to_string(kEpochs) +
      " --set hetero.patience=" + std::to_string(kEpochs) +
      " --set hetero.max_train_seconds=0 --set hetero.steps_per_epoch=60"
      " --set hetero.batch_size=128 --set hetero.negatives=64"
      " --set hetero.city_negatives=64 --set hetero.hidden=16 --set hetero.dim=16"
      " --set hetero.social_dim=8";
  // First run in the background; killed as soon as its first checkpoint is on disk.
  const fs::path pid_file = dir / "pid";
  std::string cmd = "'";
  cmd.append(RECSYS_BINARY).append("' ").append(args).append(" > '");
  cmd.append((dir / "first.out").string()).append("' 2> '").append((dir / "first.err").string());
  cmd.append("' & echo $! > '").append(pid_file.string()).append("'");
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const pid_t pid = static_cast<pid_t>(std::stol(read_text(pid_file)));
  const fs::path checkpoint = fs::path(model.string() + ".checkpoint") / "checkpoint.pt";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  bool killed = false;
  while (std::chrono::steady_clock::now() < deadline && process_alive(pid)) {
    if (fs::exists(checkpoint)) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!killed) ::kill(pid, SIGKILL);
  while (process_alive(pid)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(killed) << "the first run ended before it wrote a checkpoint:\n"
                      << read_text(dir / "first.err");
  ASSERT_TRUE(fs::exists(checkpoint));
  ASSERT_FALSE(fs::exists(model / "manifest.json")) << "the killed run finished its model";

  ASSERT_EQ(run_recsys(args + " --resume", dir), 0) << log_err(dir);
  const std::string log = log_err(dir);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(log, m, std::regex("hetero: resuming after epoch ([0-9]+)")))
      << log;
  const int resumed_after = std::stoi(m[1].str());
  EXPECT_GE(resumed_after, 1);
  EXPECT_LT(resumed_after, kEpochs);
  // The resumed run trains only the epochs after the checkpoint...
  EXPECT_EQ(log.find("hetero epoch 1/"), std::string::npos) << log;
  EXPECT_NE(log.find("hetero epoch " + std::to_string(resumed_after + 1) + "/"), std::string::npos)
      << log;
  // ... and the model holds the whole run: the curve of epochs 1..kEpochs (the first ones from
  // the checkpoint), and no checkpoint is left.
  const auto manifest = nlohmann::json::parse(read_text(model / "manifest.json"));
  EXPECT_EQ(manifest.at("training").at("epochs_run").get<int>(), kEpochs);
  const auto curve = nlohmann::json::parse(read_text(model / "training_curve.json"));
  ASSERT_EQ(curve.size(), static_cast<size_t>(kEpochs));
  for (int e = 0; e < kEpochs; ++e) EXPECT_EQ(curve[static_cast<size_t>(e)].at("epoch"), e + 1);
  EXPECT_FALSE(fs::exists(checkpoint));
}

}  // namespace
}  // namespace recsys::model::gnn
