// The `hetero` model: its input helpers (bags without the target edge, mean aggregation of the
// place features), its config section, and end to end through the program on a small generated
// data set: it must beat popularity clearly, overall and on cold-start users, and score friends.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../common/cli_run.h"
#include "hetero_cli_fixture.h"
#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"
#include "recsys/model/gnn/hetero_config.h"
#include "recsys/model/hetero_inputs.h"

namespace fs = std::filesystem;

namespace recsys::model::gnn {
namespace {

TEST(HeteroInputs, BagsSkipTheTargetAndDroppedRows) {
  NeighbourLists l;
  l.offsets = {0, 3, 3, 5};
  l.indices = {1, 4, 7, 2, 9};
  const int32_t rows[] = {0, 2, 0, 1};
  const int32_t exclude[] = {4, -1, -1, 3};
  const uint8_t drop[] = {0, 0, 1, 0};
  const Bags b = make_bags(l, rows, 4, exclude, drop);
  EXPECT_EQ(b.offsets, (std::vector<int64_t>{0, 2, 4, 4}));
  EXPECT_EQ(b.indices, (std::vector<int64_t>{1, 7, 2, 9}));
}

TEST(HeteroInputs, UserRowsAverageThePlacesExceptTheTarget) {
  HeteroInputs in;
  in.n_users = 2;
  in.n_places = 3;
  in.user_cols = 1;
  in.place_cols = 2;
  in.user_x = {5, 6};
  in.place_x = {1, 10, 3, 30, 5, 50};
  in.user_places.offsets = {0, 3, 3};
  in.user_places.indices = {0, 1, 2};
  const int32_t users[] = {0, 0, 1, 0};
  const int32_t exclude[] = {-1, 2, -1, -1};
  const uint8_t drop[] = {0, 0, 0, 1};
  std::vector<float> out(4 * 3);
  user_dense_rows(in, users, exclude, drop, 4, out.data());
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 3), (std::vector<float>{5, 3, 30}));
  EXPECT_EQ(std::vector<float>(out.begin() + 3, out.begin() + 6), (std::vector<float>{5, 2, 20}));
  EXPECT_EQ(std::vector<float>(out.begin() + 6, out.begin() + 9), (std::vector<float>{6, 0, 0}));
  EXPECT_EQ(std::vector<float>(out.begin() + 9, out.end()), (std::vector<float>{5, 0, 0}));
}

TEST(HeteroConfig, DefaultsOverridesAndRangeErrors) {
  auto t = TomlTable::parse_string("[hetero]\ndim = 16\nfriend_weight = 0.5\n", "test.toml");
  const auto c = hetero_config_from_json(read_hetero_config(t, nlohmann::json()));
  EXPECT_EQ(c.dim, 16);
  EXPECT_DOUBLE_EQ(c.friend_weight, 0.5);
  EXPECT_EQ(c.batch_size, HeteroConfig{}.batch_size);
  auto bad = TomlTable::parse_string("[hetero]\nuniform_share = 2\n", "bad.toml");
  try {
    read_hetero_config(bad, nlohmann::json());
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("hetero.uniform_share"), std::string::npos) << e.what();
  }
}

TEST(HeteroConfig, ExactBlocksAreOnByDefaultAndCanBeTurnedOff) {
  const HeteroConfig d;
  EXPECT_TRUE(d.feature_cross);
  EXPECT_TRUE(d.place_bias);
  EXPECT_GT(d.location_table, 0);
  auto t = TomlTable::parse_string(
      "[hetero]\nfeature_cross = false\nplace_bias = false\nlocation_table = 0\n", "test.toml");
  const auto c = hetero_config_from_json(read_hetero_config(t, nlohmann::json()));
  EXPECT_FALSE(c.feature_cross);
  EXPECT_FALSE(c.place_bias);
  EXPECT_EQ(c.location_table, 0);
  auto bad = TomlTable::parse_string("[hetero]\nlocation_table = -1\n", "bad.toml");
  try {
    read_hetero_config(bad, nlohmann::json());
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("hetero.location_table"), std::string::npos) << e.what();
  }
}

using recsys::testing::err;
using recsys::testing::run;
using recsys::testing::scratch;
using recsys::testing::read_json;
using recsys::testing::train_and_evaluate;

const char* kSmall =
    "--set hetero.max_epochs=2 --set hetero.batch_size=256 --set hetero.negatives=256 "
    "--set hetero.city_negatives=128 --set hetero.hidden=32 --set hetero.dim=32 "
    "--set hetero.social_dim=16 --set hetero.learning_rate=0.01";

TEST(HeteroModel, BeatsPopularityOverallAndOnColdStartUsers) {
  const auto pop = train_and_evaluate("popularity", "popularity", "");
  const auto het = train_and_evaluate("hetero", "hetero", kSmall);
  EXPECT_GT(het.at("recall@20").get<double>(), 2.0 * pop.at("recall@20").get<double>());
  EXPECT_GT(het.at("ndcg@20").get<double>(), 2.0 * pop.at("ndcg@20").get<double>());
  EXPECT_GT(het.at("group.cold_start.recall@20").get<double>(),
            2.0 * pop.at("group.cold_start.recall@20").get<double>());
  // Friends are scored by the same embeddings, well above chance (AUC 0.5).
  EXPECT_GT(het.at("friends.auc").get<double>(), 0.75);

  const fs::path dir = scratch() / "model-hetero";
  const auto manifest = read_json(dir / "manifest.json");
  EXPECT_EQ(manifest.at("scorer"), "embeddings");
  for (const char* f : {"user_embeddings.npy", "place_embeddings.npy", "hetero_weights.pt",
                        "hetero_inputs.json", "training_curve.json"}) {
    EXPECT_TRUE(fs::exists(dir / f)) << f;
    EXPECT_TRUE(manifest.at("files").contains(f)) << f;
  }
  const auto& training = manifest.at("training");
  EXPECT_GE(training.at("best_epoch").get<int>(), 1);
  EXPECT_GT(training.at("attendance_test_auc").get<double>(), 0.5);
  EXPECT_EQ(read_json(dir / "training_curve.json").size(),
            training.at("epochs_run").get<size_t>());
}

}  // namespace
}  // namespace recsys::model::gnn
