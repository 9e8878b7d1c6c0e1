#include "recsys/eval/top_k_evaluator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/popularity_scorer.h"

namespace recsys::eval {
namespace {

// A scorer from an explicit users x items table.
class TableScorer : public BlockScorer {
 public:
  explicit TableScorer(std::vector<std::vector<float>> table) : table_(std::move(table)) {}
  int64_t n_items() const override { return static_cast<int64_t>(table_[0].size()); }
  void score(const int32_t* users, int64_t n, float* out) const override {
    for (int64_t r = 0; r < n; ++r) {
      if (users[r] < 0 || users[r] >= static_cast<int32_t>(table_.size())) {
        throw InvalidArgument("TableScorer: unknown user");
      }
      std::copy(table_[users[r]].begin(), table_[users[r]].end(), out + r * n_items());
    }
  }

 private:
  std::vector<std::vector<float>> table_;
};

// 4 users, 6 items; K = 2 and 3 (so MRR is cut off at 3).
//  user 0: scores 0.9 0.8 0.7 0.6 0.5 0.4, exclude {0}, test {2, 5}
//          ranking 1 2 3 | 4 5 -> K=2: hits [0 1]: recall 1/2, ndcg (1/log2 3) / (1 + 1/log2 3)
//          = 0.38685280723454163, hit 1; K=3: same recall and ndcg (IDCG over min(2, 3) = 2);
//          RR 1/2
//  user 1: all scores 1.0 (ties -> lower id first), exclude {1, 2}, test {4}
//          ranking 0 3 4 | 5 -> K=2: 0, 0, 0; K=3: recall 1, ndcg 1/log2(4) = 0.5, hit 1; RR 1/3
//  user 2: no test items -> skipped
//  user 3: test {0}, exclude {1..5}: one candidate -> ranking [0]: everything 1, RR 1
// Means over users 0, 1, 3:
//  recall@2 = (0.5 + 0 + 1) / 3 = 0.5          recall@3 = (0.5 + 1 + 1) / 3 = 0.8333...
//  ndcg@2 = (0.386852807 + 0 + 1) / 3 = 0.46228426907818054
//  ndcg@3 = (0.386852807 + 0.5 + 1) / 3 = 0.6289509357448472
//  hit@2 = 2/3, hit@3 = 1, mrr = (1/2 + 1/3 + 1) / 3 = 0.6111...
//  coverage@2: {1,2} U {0,3} U {0} = 4 of 6;  coverage@3: {1,2,3} U {0,3,4} U {0} = 5 of 6
struct HandCase {
  TableScorer scorer{{{0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f},
                      {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f},
                      {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f},
                      {-1.0f, 5.0f, 5.0f, 5.0f, 5.0f, 5.0f}}};
  UserItemLists exclude = UserItemLists::from_lists({{0}, {1, 2}, {}, {1, 2, 3, 4, 5}});
  UserItemLists test = UserItemLists::from_lists({{2, 5}, {4}, {}, {0}});
  TopKEvaluationOptions options() const {
    TopKEvaluationOptions o;
    o.ks = {3, 2};
    return o;
  }
};

TEST(TopKEvaluator, HandComputedCase) {
  HandCase c;
  MetricMap m = evaluate_top_k(c.scorer, c.exclude, c.test, c.options());
  EXPECT_DOUBLE_EQ(m.at("users"), 3.0);
  EXPECT_NEAR(m.at("recall@2"), 0.5, 1e-12);
  EXPECT_NEAR(m.at("recall@3"), 2.5 / 3.0, 1e-12);
  EXPECT_NEAR(m.at("ndcg@2"), 0.46228426907818054, 1e-12);
  EXPECT_NEAR(m.at("ndcg@3"), 0.6289509357448472, 1e-12);
  EXPECT_NEAR(m.at("hit@2"), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.at("hit@3"), 1.0, 1e-12);
  EXPECT_NEAR(m.at("mrr"), (0.5 + 1.0 / 3.0 + 1.0) / 3.0, 1e-12);
  EXPECT_NEAR(m.at("coverage@2"), 4.0 / 6.0, 1e-12);
  EXPECT_NEAR(m.at("coverage@3"), 5.0 / 6.0, 1e-12);
  EXPECT_EQ(m.size(), 10u);  // users, mrr, and 4 metrics for each of the 2 cut-offs
}

TEST(TopKEvaluator, GroupsAndPrefix) {
  HandCase c;
  UserGroups groups;
  groups.add("cold_start", {3});
  groups.add("a", {0, 1, 2});
  groups.add("no_test_items", {2, 99});
  auto options = c.options();
  options.key_prefix = "friends.";
  MetricMap m = evaluate_top_k(c.scorer, c.exclude, c.test, options, &groups);
  EXPECT_DOUBLE_EQ(m.at("friends.users"), 3.0);
  EXPECT_DOUBLE_EQ(m.at("friends.group.cold_start.users"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("friends.group.cold_start.recall@2"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("friends.group.cold_start.coverage@2"), 1.0 / 6.0);
  // Group "a" = users 0 and 1 (user 2 has no test items): recall@2 = (0.5 + 0) / 2,
  // ndcg@3 = (0.386852807 + 0.5) / 2, mrr = (1/2 + 1/3) / 2.
  EXPECT_DOUBLE_EQ(m.at("friends.group.a.users"), 2.0);
  EXPECT_NEAR(m.at("friends.group.a.recall@2"), 0.25, 1e-12);
  EXPECT_NEAR(m.at("friends.group.a.ndcg@3"), (0.38685280723454163 + 0.5) / 2.0, 1e-12);
  EXPECT_NEAR(m.at("friends.group.a.mrr"), (0.5 + 1.0 / 3.0) / 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.at("friends.group.no_test_items.users"), 0.0);
  EXPECT_EQ(m.count("friends.group.no_test_items.recall@2"), 0u);
  EXPECT_EQ(m.count("recall@2"), 0u);
}

TEST(TopKEvaluator, ExplicitUserList) {
  HandCase c;
  auto options = c.options();
  options.users = {3, 2};  // user 2 has no test items and is skipped
  MetricMap m = evaluate_top_k(c.scorer, c.exclude, c.test, options);
  EXPECT_DOUBLE_EQ(m.at("users"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("recall@2"), 1.0);
  // Nobody to evaluate: only the count.
  MetricMap empty = evaluate_top_k(c.scorer, c.exclude, UserItemLists(), c.options());
  EXPECT_EQ(empty, (MetricMap{{"users", 0.0}}));
  options.users = {1, 1};
  EXPECT_THROW(evaluate_top_k(c.scorer, c.exclude, c.test, options), InvalidArgument);
}

TEST(TopKEvaluator, RejectsBadInput) {
  HandCase c;
  auto options = c.options();
  auto bad_test = UserItemLists::from_lists({{6}});
  EXPECT_THROW(evaluate_top_k(c.scorer, c.exclude, bad_test, options), InvalidArgument);
  auto bad_exclude = UserItemLists::from_lists({{7}});
  EXPECT_THROW(evaluate_top_k(c.scorer, bad_exclude, c.test, options), InvalidArgument);
  options.ks = {0};
  EXPECT_THROW(evaluate_top_k(c.scorer, c.exclude, c.test, options), InvalidArgument);
  options.ks = {};
  EXPECT_THROW(evaluate_top_k(c.scorer, c.exclude, c.test, options), InvalidArgument);
  // A test list for a user the scorer does not know: the scorer's error comes through, also
  // from worker threads.
  auto unknown_user = UserItemLists::from_lists({{2}, {}, {}, {}, {}, {1}});
  options = c.options();
  options.threads = 2;
  options.block_users = 1;
  EXPECT_THROW(evaluate_top_k(c.scorer, c.exclude, unknown_user, options), InvalidArgument);
  EXPECT_THROW(UserItemLists({0, 2}, {1}), InvalidArgument);
  EXPECT_THROW(UserItemLists({0, 1}, {-1}), InvalidArgument);
  UserGroups groups;
  EXPECT_THROW(groups.add("has.dot", {}), InvalidArgument);
  EXPECT_THROW(groups.add("", {}), InvalidArgument);
}

// A scorer that asks for item tiles but keeps the default score_items (whole rows, sliced).
class TiledTableScorer : public TableScorer {
 public:
  using TableScorer::TableScorer;
  int64_t item_tile() const override { return 4; }
};

TEST(TopKEvaluator, DefaultItemTilesGiveTheSameResult) {
  HandCase c;
  TiledTableScorer tiled{{{0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f},
                          {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f},
                          {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f},
                          {-1.0f, 5.0f, 5.0f, 5.0f, 5.0f, 5.0f}}};
  EXPECT_EQ(evaluate_top_k(tiled, c.exclude, c.test, c.options()),
            evaluate_top_k(c.scorer, c.exclude, c.test, c.options()));
  std::vector<float> out(2);
  int32_t user = 0;
  tiled.score_items(&user, 1, 4, 6, out.data());
  EXPECT_EQ(out, (std::vector<float>{0.5f, 0.4f}));
  EXPECT_THROW(tiled.score_items(&user, 1, 4, 7, out.data()), InvalidArgument);
}

TEST(TopKEvaluator, RepeatedTestItemsCountOnce) {
  HandCase c;
  auto test = UserItemLists::from_lists({{2, 5, 2}});
  MetricMap m = evaluate_top_k(c.scorer, c.exclude, test, c.options());
  EXPECT_DOUBLE_EQ(m.at("recall@2"), 0.5);
}

// Random embeddings: the dot-product scorer agrees with a naive loop, and results do not
// depend on threads or block size.
TEST(TopKEvaluator, DotProductScorerMatchesNaiveAndThreadsDoNotMatter) {
  const int64_t n_users = 57, n_items = 203, dim = 9;
  // Multiples of 1/8 in [-2, 2]: every dot product is exact in float32 whatever the summation
  // order, so results must be identical for any threads, block size or item tile.
  std::mt19937 gen(3);
  auto draw = [&] { return static_cast<float>(static_cast<int>(gen() % 33) - 16) / 8.0f; };
  std::vector<float> u(n_users * dim), v(n_items * dim);
  for (float& x : u) x = draw();
  for (float& x : v) x = draw();
  DotProductScorer scorer(u, n_users, v, n_items, dim);
  std::vector<int32_t> users{5, 0, 56, 17};
  std::vector<float> out(users.size() * n_items);
  scorer.score(users.data(), static_cast<int64_t>(users.size()), out.data());
  for (size_t r = 0; r < users.size(); ++r) {
    for (int64_t i = 0; i < n_items; ++i) {
      double dot = 0;
      for (int64_t d = 0; d < dim; ++d) dot += double(u[users[r] * dim + d]) * v[i * dim + d];
      EXPECT_EQ(out[r * n_items + i], dot);
    }
  }
  int32_t unknown = 57;
  EXPECT_THROW(scorer.score(&unknown, 1, out.data()), InvalidArgument);
  EXPECT_THROW(DotProductScorer(u, n_users, v, n_items + 1, dim), InvalidArgument);

  std::vector<std::vector<int32_t>> train(n_users), test(n_users);
  for (int64_t user = 0; user < n_users; ++user) {
    for (int j = 0; j < 20; ++j) train[user].push_back(static_cast<int32_t>(gen() % n_items));
    if (user % 5 != 0) {
      for (int j = 0; j < 6; ++j) test[user].push_back(static_cast<int32_t>(gen() % n_items));
    }
  }
  auto exclude = UserItemLists::from_lists(train);
  auto relevant = UserItemLists::from_lists(test);
  TopKEvaluationOptions options;
  options.threads = 1;
  options.block_users = 64;
  MetricMap reference = evaluate_top_k(scorer, exclude, relevant, options);
  EXPECT_DOUBLE_EQ(reference.at("users"), 45.0);
  for (int threads : {2, 3}) {
    for (int block : {1, 7}) {
      for (int tile : {0, 1, 16, 50, 1000}) {
        options.threads = threads;
        options.block_users = block;
        scorer.set_item_tile(tile);
        EXPECT_EQ(evaluate_top_k(scorer, exclude, relevant, options), reference)
            << threads << " threads, block " << block << ", tile " << tile;
      }
    }
  }
  auto pop = PopularityScorer::from_interactions(exclude, n_items);
  MetricMap popular = evaluate_top_k(pop, exclude, relevant, options);
  EXPECT_GT(popular.at("coverage@50"), 0.0);
}

TEST(MetricMap, JsonRoundTripAndTable) {
  MetricMap m{{"users", 3.0}, {"recall@20", 0.25}, {"group.cold_start.ndcg@20", 0.125}};
  nlohmann::json j = metrics_to_json(m);
  EXPECT_DOUBLE_EQ(j.at("recall@20").get<double>(), 0.25);
  EXPECT_EQ(metrics_from_json(nlohmann::json::parse(j.dump())), m);
  EXPECT_THROW(metrics_from_json(nlohmann::json::parse(R"({"a": "x"})")), FormatError);
  std::string table = format_metrics_table(m);
  EXPECT_NE(table.find("recall@20"), std::string::npos);
  EXPECT_NE(table.find("0.2500"), std::string::npos);
}

}  // namespace
}  // namespace recsys::eval
