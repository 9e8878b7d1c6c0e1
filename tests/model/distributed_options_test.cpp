// `recsys train --world-size N --rank R --master HOST:PORT`: the flags' checks (each error names
// its flag) and the combinations train_model refuses before any process group is set up.
#include "recsys/model/distributed_options.h"

#include <gtest/gtest.h>

#include <string>

#include "../common/cli_run.h"
#include "recsys/core/error.h"

namespace recsys::model {
namespace {

std::string config_error(std::optional<int> world_size, std::optional<int> rank,
                         const std::string& master) {
  try {
    distributed_options_from_flags(world_size, rank, master);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no ConfigError";
}

TEST(DistributedOptions, DefaultsToOneProcess) {
  const auto o = distributed_options_from_flags(std::nullopt, std::nullopt, "");
  EXPECT_EQ(o.world_size, 1);
  EXPECT_EQ(o.rank, 0);
  EXPECT_FALSE(o.distributed());
  EXPECT_TRUE(o.writer());
  EXPECT_FALSE(distributed_options_from_flags(1, 0, "").distributed());
}

TEST(DistributedOptions, ParsesRankAndMaster) {
  const auto o = distributed_options_from_flags(4, 3, "10.0.0.7:29500");
  EXPECT_TRUE(o.distributed());
  EXPECT_FALSE(o.writer());
  EXPECT_EQ(o.world_size, 4);
  EXPECT_EQ(o.rank, 3);
  EXPECT_EQ(o.master_host, "10.0.0.7");
  EXPECT_EQ(o.master_port, 29500);
  EXPECT_TRUE(distributed_options_from_flags(2, 0, "localhost:1").writer());
}

TEST(DistributedOptions, BadCombinationsNameTheFlag) {
  EXPECT_NE(config_error(0, std::nullopt, "").find("--world-size 0"), std::string::npos);
  EXPECT_NE(config_error(std::nullopt, 1, "").find("--rank 1"), std::string::npos);
  EXPECT_NE(config_error(1, std::nullopt, "h:1").find("--master h:1"), std::string::npos);
  EXPECT_NE(config_error(2, std::nullopt, "h:1").find("--rank: required"), std::string::npos);
  EXPECT_NE(config_error(2, 2, "h:1").find("--rank 2: expected 0 .. 1"), std::string::npos);
  EXPECT_NE(config_error(2, -1, "h:1").find("--rank -1"), std::string::npos);
  EXPECT_NE(config_error(2, 0, "").find("--master: required"), std::string::npos);
  for (const char* bad : {"host", ":29500", "host:", "host:0", "host:65536", "host:12x"})
    EXPECT_NE(config_error(2, 0, bad).find(std::string("--master ") + bad), std::string::npos)
        << bad;
}

// Refused by the program before it opens the graph or joins a group (so no graph is needed).
TEST(DistributedOptions, TrainRefusesModelsWithoutDataParallelTrainingAndResume) {
  using recsys::testing::err;
  using recsys::testing::run;
  const std::string missing = (recsys::testing::scratch() / "no-graph").string();
  EXPECT_EQ(run("train --graph " + missing + " --model bspm --output " + missing +
                "-m --world-size 2 --rank 0 --master 127.0.0.1:1"),
            1);
  EXPECT_NE(err().find("--world-size 2: model \"bspm\" trains in one process only"),
            std::string::npos)
      << err();
  if (!RECSYS_HAS_TORCH) return;  // lightgcn is not built (sanitizer tree)
  EXPECT_EQ(run("train --graph " + missing + " --model lightgcn --output " + missing +
                "-m --world-size 2 --rank 1 --master 127.0.0.1:1 --resume"),
            1);
  EXPECT_NE(err().find("--resume: not supported with --world-size 2"), std::string::npos)
      << err();
  EXPECT_EQ(run("train --graph " + missing + " --model lightgcn --output " + missing +
                "-m --world-size 2 --rank 2 --master 127.0.0.1:1"),
            1);
  EXPECT_NE(err().find("--rank 2"), std::string::npos) << err();
}

}  // namespace
}  // namespace recsys::model
