#include "recsys/model/gnn/lightgcn.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <unistd.h>

#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/popularity_scorer.h"
#include "recsys/eval/top_k_evaluator.h"
#include "recsys/model/gnn/bipartite_adjacency.h"
#include "recsys/model/gnn/bpr_sampler.h"

namespace recsys::model::gnn {
namespace {

// Users and places in `groups` clusters; each user visits `per_user` random places of its own
// cluster (and one random place anywhere), split into train / test lists.
struct Planted {
  eval::UserItemLists train, test;
  int64_t n_users, n_items;
};

Planted planted(int64_t n_users, int64_t n_items, int groups, int per_user, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<int32_t>> train(static_cast<size_t>(n_users)),
      test(static_cast<size_t>(n_users));
  const int64_t group_items = n_items / groups;
  for (int64_t u = 0; u < n_users; ++u) {
    const int64_t g = u % groups;
    std::vector<int32_t> row;
    std::uniform_int_distribution<int64_t> in_group(0, group_items - 1), any(0, n_items - 1);
    while (static_cast<int>(row.size()) < per_user) {
      const auto i = static_cast<int32_t>(g * group_items + in_group(rng));
      if (std::find(row.begin(), row.end(), i) == row.end()) row.push_back(i);
    }
    const auto noise = static_cast<int32_t>(any(rng));
    if (std::find(row.begin(), row.end(), noise) == row.end()) row.push_back(noise);
    // The first two places drawn are the test places.
    test[static_cast<size_t>(u)] = {row[0], row[1]};
    train[static_cast<size_t>(u)].assign(row.begin() + 2, row.end());
    std::sort(test[static_cast<size_t>(u)].begin(), test[static_cast<size_t>(u)].end());
    std::sort(train[static_cast<size_t>(u)].begin(), train[static_cast<size_t>(u)].end());
  }
  return {eval::UserItemLists::from_lists(train), eval::UserItemLists::from_lists(test), n_users,
          n_items};
}

TEST(BipartiteAdjacency, SymmetricNormalisedEntries) {
  // User 0: places {0, 1}; user 1: place {1}; user 2: nothing.
  const auto lists = eval::UserItemLists::from_lists({{0, 1}, {1}});
  const auto a = normalized_bipartite_adjacency(lists, 3, 2);
  ASSERT_EQ(a.rows, 5);
  ASSERT_EQ(a.nonzeros(), 6);
  auto value = [&](int64_t r, int32_t c) {
    for (int64_t e = a.offsets[static_cast<size_t>(r)]; e < a.offsets[static_cast<size_t>(r) + 1]; ++e)
      if (a.indices[static_cast<size_t>(e)] == c) return a.values[static_cast<size_t>(e)];
    return 0.0f;
  };
  EXPECT_FLOAT_EQ(value(0, 3), 1.0f / std::sqrt(2.0f * 1.0f));  // d_u0 = 2, d_p0 = 1
  EXPECT_FLOAT_EQ(value(0, 4), 1.0f / std::sqrt(2.0f * 2.0f));  // d_p1 = 2
  EXPECT_FLOAT_EQ(value(1, 4), 1.0f / std::sqrt(1.0f * 2.0f));
  for (int64_t r = 0; r < 5; ++r)
    for (int32_t c = 0; c < 5; ++c) EXPECT_EQ(value(r, c), value(c, r)) << r << "," << c;
  EXPECT_EQ(a.offsets[3], a.offsets[2]);  // user 2 isolated
  EXPECT_THROW(normalized_bipartite_adjacency(lists, 3, 1), InvalidArgument);
}

TEST(BprSampler, DeterministicAndValid) {
  const auto data = planted(50, 40, 4, 6, 1);
  const BprSampler sampler(data.train, data.n_items, 7);
  EXPECT_EQ(sampler.epoch_size(), data.train.n_entries());
  const BprBatch whole = sampler.sample(3, 0, 100);
  const BprBatch first = sampler.sample(3, 0, 60), second = sampler.sample(3, 60, 40);
  ASSERT_EQ(whole.size(), 100);
  for (int64_t s = 0; s < 100; ++s) {
    const auto& part = s < 60 ? first : second;
    const auto at = static_cast<size_t>(s < 60 ? s : s - 60);
    EXPECT_EQ(whole.users[static_cast<size_t>(s)], part.users[at]);
    EXPECT_EQ(whole.negatives[static_cast<size_t>(s)], part.negatives[at]);
    const auto row = data.train.items_of(whole.users[static_cast<size_t>(s)]);
    EXPECT_TRUE(std::binary_search(row.begin(), row.end(),
                                   static_cast<int32_t>(whole.positives[static_cast<size_t>(s)])));
    EXPECT_FALSE(std::binary_search(row.begin(), row.end(),
                                    static_cast<int32_t>(whole.negatives[static_cast<size_t>(s)])));
  }
  EXPECT_NE(sampler.sample(4, 0, 100).users, whole.users);  // another epoch, other draws
}

double test_recall(const LightGcnResult& r, const Planted& data) {
  const eval::DotProductScorer scorer(r.user_embeddings, data.n_users, r.item_embeddings,
                                      data.n_items, r.dim);
  eval::TopKEvaluationOptions options;
  options.ks = {20};
  return eval::evaluate_top_k(scorer, data.train, data.test, options).at("recall@20");
}

LightGcnConfig small_config() {
  LightGcnConfig c;
  c.dim = 16;
  c.batch_size = 256;
  c.learning_rate = 0.01;
  c.eval_every = 1;
  c.max_epochs = 4;
  return c;
}

TEST(LightGcn, LearnsPlantedClustersBetterThanPopularity) {
  const auto data = planted(300, 200, 10, 12, 2);
  LightGcnConfig c = small_config();
  c.max_epochs = 15;
  c.batch_size = 512;
  c.eval_every = 5;
  const TrainValidSplit split = hold_out(data.train, data.n_users, 0.1, 3);
  const auto r = train_lightgcn(split, data.n_users, data.n_items, c, 3, {});
  ASSERT_EQ(r.user_embeddings.size(), static_cast<size_t>(data.n_users * c.dim));
  ASSERT_EQ(r.item_embeddings.size(), static_cast<size_t>(data.n_items * c.dim));
  EXPECT_GT(r.best_valid_recall, 0.0);
  EXPECT_EQ(r.curve.records().size(), static_cast<size_t>(r.epochs_run));
  EXPECT_LT(r.curve.records().back().loss, r.curve.records().front().loss);

  std::vector<float> counts(static_cast<size_t>(data.n_items), 0.0f);
  for (int32_t i : data.train.items()) counts[static_cast<size_t>(i)] += 1;
  const eval::PopularityScorer popularity(counts);
  eval::TopKEvaluationOptions options;
  options.ks = {20};
  const double popular = eval::evaluate_top_k(popularity, data.train, data.test, options).at("recall@20");
  const double learned = test_recall(r, data);
  EXPECT_GT(learned, 2 * popular) << "lightgcn " << learned << ", popularity " << popular;
  EXPECT_GT(learned, 0.5);
}

TEST(LightGcn, SameSeedSameResultAndResumeContinuesExactly) {
  const auto data = planted(120, 80, 4, 8, 4);
  const LightGcnConfig c = small_config();
  const TrainValidSplit split = hold_out(data.train, data.n_users, 0.1, 5);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("lightgcn_resume_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);

  const auto whole = train_lightgcn(split, data.n_users, data.n_items, c, 9, {});
  const auto again = train_lightgcn(split, data.n_users, data.n_items, c, 9, {});
  EXPECT_EQ(whole.user_embeddings, again.user_embeddings);

  LightGcnRun stopped;
  stopped.checkpoint_dir = dir;
  stopped.stop_after_epoch = 2;
  const auto first = train_lightgcn(split, data.n_users, data.n_items, c, 9, stopped);
  EXPECT_EQ(first.epochs_run, 2);
  ASSERT_TRUE(std::filesystem::exists(dir / "checkpoint.pt"));

  LightGcnRun resumed;
  resumed.checkpoint_dir = dir;
  resumed.resume = true;
  const auto rest = train_lightgcn(split, data.n_users, data.n_items, c, 9, resumed);
  EXPECT_EQ(rest.resumed_from_epoch, 2);
  EXPECT_EQ(rest.epochs_run, whole.epochs_run);
  EXPECT_EQ(rest.best_epoch, whole.best_epoch);
  EXPECT_DOUBLE_EQ(rest.best_valid_recall, whole.best_valid_recall);
  ASSERT_EQ(rest.curve.records().size(), whole.curve.records().size());
  for (size_t k = 0; k < rest.user_embeddings.size(); ++k)
    ASSERT_NEAR(rest.user_embeddings[k], whole.user_embeddings[k], 1e-5) << k;
  for (size_t k = 0; k < rest.item_embeddings.size(); ++k)
    ASSERT_NEAR(rest.item_embeddings[k], whole.item_embeddings[k], 1e-5) << k;

  // Another configuration cannot resume from this checkpoint.
  LightGcnConfig other = c;
  other.dim = 8;
  EXPECT_THROW(train_lightgcn(split, data.n_users, data.n_items, other, 9, resumed), ConfigError);
  std::filesystem::remove_all(dir);
}

TEST(LightGcnConfig, ReadsAndRejectsKeys) {
  auto table = TomlTable::parse_string("[lightgcn]\nlayers = 2\nbatch_size = 4096\ninit = \"normal\"\n", "test");
  const auto c = lightgcn_config_from_json(read_lightgcn_config(table, nullptr));
  EXPECT_EQ(c.layers, 2);
  EXPECT_EQ(c.batch_size, 4096);
  EXPECT_EQ(c.init, "normal");
  EXPECT_EQ(c.dim, 64);
  auto bad = TomlTable::parse_string("[lightgcn]\nlayers = -1\n", "test");
  EXPECT_THROW(read_lightgcn_config(bad, nullptr), ConfigError);
  auto bad_init = TomlTable::parse_string("[lightgcn]\ninit = \"he\"\n", "test");
  EXPECT_THROW(read_lightgcn_config(bad_init, nullptr), ConfigError);
}

}  // namespace
}  // namespace recsys::model::gnn
