// Hand-computed cases for every metric in recsys/eval/metrics.h.
#include "recsys/eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::eval {
namespace {

// ranked = [5, 3, 9, 1, 7], relevant = {3, 7, 8}: hits at ranks 1 and 4 (0-based).
const std::vector<int32_t> kRanked{5, 3, 9, 1, 7};
const std::vector<int32_t> kRelevant{8, 7, 3};

TEST(RankingMetrics, RelevanceFlags) {
  EXPECT_EQ(relevance_flags(kRanked, kRelevant), (std::vector<uint8_t>{0, 1, 0, 0, 1}));
}

TEST(RankingMetrics, Recall) {
  auto hits = relevance_flags(kRanked, kRelevant);
  EXPECT_DOUBLE_EQ(recall_at_k(hits, 3, 1), 0.0);        // [5]: none of 3
  EXPECT_DOUBLE_EQ(recall_at_k(hits, 3, 2), 1.0 / 3.0);  // [5, 3]: 1 of 3
  EXPECT_DOUBLE_EQ(recall_at_k(hits, 3, 5), 2.0 / 3.0);  // 3 and 7: 2 of 3
  // Fewer candidates than K: the missing positions are misses, |relevant| stays 3.
  EXPECT_DOUBLE_EQ(recall_at_k(hits, 3, 10), 2.0 / 3.0);
}

TEST(RankingMetrics, Ndcg) {
  auto hits = relevance_flags(kRanked, kRelevant);
  // K=2: DCG = 1/log2(1+2) = 0.6309297535714575; IDCG over min(3, 2) = 2 positions
  //      = 1/log2(2) + 1/log2(3) = 1.6309297535714575; NDCG = 0.38685280723454163.
  EXPECT_NEAR(ndcg_at_k(hits, 3, 2), 0.38685280723454163, 1e-12);
  // K=5: DCG = 1/log2(3) + 1/log2(6) = 0.6309297535714575 + 0.3868528072345416;
  //      IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.1309297535714575; NDCG = 0.4776237035032179.
  EXPECT_NEAR(ndcg_at_k(hits, 3, 5), 0.4776237035032179, 1e-12);
  // One relevant item at rank 0: DCG = IDCG = 1.
  std::vector<uint8_t> first{1, 0, 0};
  EXPECT_DOUBLE_EQ(ndcg_at_k(first, 1, 20), 1.0);
  // One relevant item at rank 2, K = 3: DCG = 1/log2(4) = 0.5, IDCG = 1.
  std::vector<uint8_t> third{0, 0, 1};
  EXPECT_DOUBLE_EQ(ndcg_at_k(third, 1, 3), 0.5);
  EXPECT_DOUBLE_EQ(ndcg_at_k(third, 1, 2), 0.0);
}

TEST(RankingMetrics, HitRateAndReciprocalRank) {
  auto hits = relevance_flags(kRanked, kRelevant);
  EXPECT_DOUBLE_EQ(hit_rate_at_k(hits, 1), 0.0);
  EXPECT_DOUBLE_EQ(hit_rate_at_k(hits, 2), 1.0);
  EXPECT_DOUBLE_EQ(reciprocal_rank(hits), 0.5);  // first hit at rank 1 (0-based): 1/2
  std::vector<uint8_t> none{0, 0, 0};
  EXPECT_DOUBLE_EQ(reciprocal_rank(none), 0.0);
  EXPECT_DOUBLE_EQ(hit_rate_at_k(none, 3), 0.0);
  EXPECT_DOUBLE_EQ(reciprocal_rank(std::vector<uint8_t>{}), 0.0);
}

TEST(RankingMetrics, RejectsBadArguments) {
  auto hits = relevance_flags(kRanked, kRelevant);
  EXPECT_THROW(recall_at_k(hits, 0, 5), InvalidArgument);
  EXPECT_THROW(ndcg_at_k(hits, 3, 0), InvalidArgument);
  EXPECT_THROW(hit_rate_at_k(hits, -1), InvalidArgument);
}

TEST(CatalogueCoverage, CountsDistinctItemsInTopK) {
  CatalogueCoverage coverage(10, 2);
  coverage.add(std::vector<int32_t>{1, 2, 3});  // top 2: {1, 2}
  coverage.add(std::vector<int32_t>{2, 5});     // adds 5
  coverage.add(std::vector<int32_t>{});         // a user with no candidates
  EXPECT_DOUBLE_EQ(coverage.value(), 3.0 / 10.0);
  EXPECT_THROW(coverage.add(std::vector<int32_t>{10}), InvalidArgument);
  EXPECT_THROW(CatalogueCoverage(0, 2), InvalidArgument);
}

TEST(BinaryMetrics, RocAucWithTies) {
  // scores [0.9, 0.8, 0.8, 0.3, 0.1], labels [1, 0, 1, 0, 0]: 2 positives, 3 negatives.
  // Positive 0.9 beats all 3 negatives: 3. Positive 0.8 ties the negative 0.8 (0.5) and beats
  // 0.3 and 0.1: 2.5. AUC = (3 + 2.5) / (2 * 3) = 0.9166666...
  std::vector<float> scores{0.9f, 0.8f, 0.8f, 0.3f, 0.1f};
  std::vector<uint8_t> labels{1, 0, 1, 0, 0};
  EXPECT_NEAR(roc_auc(scores, labels), 5.5 / 6.0, 1e-12);
  // All scores equal: every pair is a tie, AUC = 0.5.
  std::vector<float> flat{1.0f, 1.0f, 1.0f};
  EXPECT_DOUBLE_EQ(roc_auc(flat, std::vector<uint8_t>{1, 0, 0}), 0.5);
  // Perfectly reversed: 0.
  EXPECT_DOUBLE_EQ(roc_auc(std::vector<float>{0.1f, 0.9f}, std::vector<uint8_t>{1, 0}), 0.0);
}

TEST(BinaryMetrics, AveragePrecisionGroupsTies) {
  // Same data. Threshold 0.9: 1 TP of 1 predicted, precision 1, recall step 1/2 -> 0.5.
  // Threshold 0.8 (two tied items): 2 TP of 3 predicted, precision 2/3, recall step 1/2 -> 1/3.
  // AP = 0.5 + 1/3 = 0.8333...
  std::vector<float> scores{0.9f, 0.8f, 0.8f, 0.3f, 0.1f};
  std::vector<uint8_t> labels{1, 0, 1, 0, 0};
  EXPECT_NEAR(average_precision(scores, labels), 0.5 + 1.0 / 3.0, 1e-12);
  // Positives ranked 1st and 3rd, no ties: (1/1 + 2/3) / 2 = 0.8333...
  EXPECT_NEAR(average_precision(std::vector<float>{3, 2, 1}, std::vector<uint8_t>{1, 0, 1}),
              (1.0 + 2.0 / 3.0) / 2.0, 1e-12);
}

TEST(BinaryMetrics, RejectsBadInput) {
  std::vector<float> scores{0.5f, 0.4f};
  EXPECT_THROW(roc_auc(scores, std::vector<uint8_t>{1, 1}), InvalidArgument);  // no negative
  EXPECT_THROW(roc_auc(scores, std::vector<uint8_t>{1}), InvalidArgument);     // size mismatch
  EXPECT_THROW(roc_auc(scores, std::vector<uint8_t>{1, 2}), InvalidArgument);  // label 2
  EXPECT_THROW(average_precision(scores, std::vector<uint8_t>{0, 0}), InvalidArgument);
  std::vector<float> with_nan{0.5f, std::nanf("")};
  EXPECT_THROW(roc_auc(with_nan, std::vector<uint8_t>{1, 0}), InvalidArgument);
  EXPECT_THROW(roc_auc(std::vector<float>{}, std::vector<uint8_t>{}), InvalidArgument);
}

TEST(ProbabilityMetrics, BrierAndMae) {
  // p = [0.2, 0.7, 1.0], y = [0, 1, 0.5]
  // Brier = (0.2^2 + 0.3^2 + 0.5^2) / 3 = (0.04 + 0.09 + 0.25) / 3 = 0.12666...
  // MAE = (0.2 + 0.3 + 0.5) / 3 = 0.3333...
  std::vector<float> p{0.2f, 0.7f, 1.0f};
  std::vector<float> y{0.0f, 1.0f, 0.5f};
  EXPECT_NEAR(brier_score(p, y), 0.38 / 3.0, 1e-7);
  EXPECT_NEAR(mean_absolute_error(p, y), 1.0 / 3.0, 1e-7);
  EXPECT_THROW(brier_score(std::vector<float>{1.5f}, std::vector<float>{1.0f}), InvalidArgument);
  EXPECT_THROW(brier_score(p, std::vector<float>{0.0f}), InvalidArgument);
  EXPECT_THROW(mean_absolute_error(std::vector<float>{INFINITY}, std::vector<float>{0.0f}),
               InvalidArgument);
  EXPECT_THROW(mean_absolute_error(std::vector<float>{}, std::vector<float>{}), InvalidArgument);
}

}  // namespace
}  // namespace recsys::eval
