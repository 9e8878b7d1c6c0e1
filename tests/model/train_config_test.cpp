// configs/baselines.toml documents the defaults; bad values name their key.
#include "recsys/model/train_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recsys/core/error.h"

namespace recsys::model {
namespace {

TEST(TrainConfig, ShippedFileHoldsTheDefaults) {
  const auto c = load_train_config(std::string(RECSYS_SOURCE_DIR) + "/configs/baselines.toml");
  EXPECT_EQ(c.to_json(), TrainConfig{}.to_json());
}

TEST(TrainConfig, OverridesAndErrors) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("recsys-baselines-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "seed = 9\n[mf_bpr]\ndim = 8\nlearning_rate = 0.01\n";
  const auto c = load_train_config(path);
  EXPECT_EQ(c.seed, 9u);
  EXPECT_EQ(c.mf_bpr.dim, 8);
  EXPECT_DOUBLE_EQ(c.mf_bpr.learning_rate, 0.01);
  EXPECT_EQ(c.itemknn.neighbours, 100);
  std::ofstream(path) << "[itemknn]\nneighbours = 0\n";
  try {
    load_train_config(path);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("itemknn.neighbours"), std::string::npos) << e.what();
  }
  std::ofstream(path) << "[mf_bpr]\ndim = \"big\"\n";
  EXPECT_THROW(load_train_config(path), ConfigError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace recsys::model
