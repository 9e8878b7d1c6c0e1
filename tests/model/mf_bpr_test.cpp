// MF-BPR learns a planted structure, beats popularity, and is deterministic.
#include "recsys/model/mf_bpr.h"

#include <gtest/gtest.h>
#include <omp.h>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/random_stream.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/popularity_scorer.h"
#include "recsys/eval/top_k_evaluator.h"

namespace recsys::model {
namespace {

// 4 communities of 50 users and 50 items. Each user interacts with 12 random items of its own
// community and 2 random others; items with a lower id within a community are a little more
// popular overall (so popularity ranks them first, but the community is what matters).
struct Planted {
  eval::UserItemLists train, test;
  int64_t n_users = 200, n_items = 200;
};

Planted planted() {
  std::vector<std::vector<int32_t>> train(200), test(200);
  for (int32_t u = 0; u < 200; ++u) {
    RandomStream rng(7, StreamKind::User, static_cast<uint64_t>(u));
    const int32_t c = u / 50;
    std::vector<int32_t> picks;
    for (int32_t x : rng.sample_distinct(50, 16)) picks.push_back(c * 50 + x);
    for (int32_t x : rng.sample_distinct(200, 2))
      if (x / 50 != c) picks.push_back(x);
    for (size_t i = 0; i < picks.size(); ++i) (i < 4 ? test : train)[u].push_back(picks[i]);
    std::sort(train[u].begin(), train[u].end());
    train[u].erase(std::unique(train[u].begin(), train[u].end()), train[u].end());
  }
  return {eval::UserItemLists::from_lists(train), eval::UserItemLists::from_lists(test)};
}

MfBprConfig small_config() {
  MfBprConfig c;
  c.dim = 16;
  c.max_epochs = 40;
  c.batch_size = 256;
  c.learning_rate = 0.01;
  c.patience = 40;
  return c;
}

TEST(MfBpr, LearnsAPlantedStructureAndBeatsPopularity) {
  configure_progress({true, LogFormat::Text});
  const auto p = planted();
  const auto r = train_mf_bpr(p.train, {}, p.n_users, p.n_items, small_config(), 1);
  EXPECT_GT(r.best_epoch, 0);
  EXPECT_GT(r.validation_pairs, 0);  // held out from training: the lists have no valid split
  EXPECT_EQ(r.curve.size(), static_cast<size_t>(r.epochs_run));
  EXPECT_LT(r.curve.back()["loss"].get<double>(), r.curve.front()["loss"].get<double>());
  const eval::DotProductScorer mf(r.user_embeddings, p.n_users, r.item_embeddings, p.n_items,
                                  r.dim);
  const auto pop = eval::PopularityScorer::from_interactions(p.train, p.n_items);
  eval::TopKEvaluationOptions o;
  o.ks = {20};
  const double mf_recall = eval::evaluate_top_k(mf, p.train, p.test, o).at("recall@20");
  const double pop_recall = eval::evaluate_top_k(pop, p.train, p.test, o).at("recall@20");
  // Random ranking of the 200 - 14 unseen items gives ~0.11; the community alone ~0.5.
  EXPECT_GT(mf_recall, 0.4);
  EXPECT_GT(mf_recall, pop_recall + 0.15) << "popularity " << pop_recall;
}

TEST(MfBpr, SameSeedSameEmbeddingsForAnyThreadCount) {
  configure_progress({true, LogFormat::Text});
  const auto p = planted();
  auto c = small_config();
  c.max_epochs = 3;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto a = train_mf_bpr(p.train, p.test, p.n_users, p.n_items, c, 5);
  omp_set_num_threads(2);
  const auto b = train_mf_bpr(p.train, p.test, p.n_users, p.n_items, c, 5);
  const auto d = train_mf_bpr(p.train, p.test, p.n_users, p.n_items, c, 6);
  omp_set_num_threads(saved);
  EXPECT_EQ(a.user_embeddings, b.user_embeddings);
  EXPECT_EQ(a.item_embeddings, b.item_embeddings);
  EXPECT_NE(a.user_embeddings, d.user_embeddings);
  EXPECT_EQ(a.validation, "graph valid split");
}

TEST(MfBpr, WithoutValidationPairsTrainsEveryEpoch) {
  configure_progress({true, LogFormat::Text});
  const auto train = eval::UserItemLists::from_lists({{0, 1}, {1, 2}, {2, 3}});
  auto c = small_config();
  c.max_epochs = 4;
  c.patience = 1;
  const auto r = train_mf_bpr(train, {}, 3, 5, c, 1);
  EXPECT_EQ(r.validation_pairs, 0);
  EXPECT_EQ(r.epochs_run, 4);
  EXPECT_EQ(r.best_epoch, 4);
}

TEST(MfBpr, RejectsItemsOutOfRange) {
  const auto p = planted();
  EXPECT_THROW(train_mf_bpr(p.train, {}, p.n_users, 100, small_config(), 1), InvalidArgument);
}

}  // namespace
}  // namespace recsys::model
