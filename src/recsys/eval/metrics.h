#pragma once
// Evaluation metrics.
//
// Ranking metrics work on one user's ranked list, described by its relevance
// flags: hits[i] = 1 when the item at rank i (0-based) is relevant. Positions
// past the end of the list (fewer candidates than K) count as not relevant.
//   Recall@K  = (relevant items in the top K) / |relevant|
//   NDCG@K    = DCG@K / IDCG@K, DCG@K = sum over relevant ranks i < K of 1 / log2(i + 2),
//               IDCG@K = sum over i < min(|relevant|, K) of 1 / log2(i + 2)  (binary relevance)
//   HitRate@K = 1 when any of the top K is relevant, else 0
//   RR        = 1 / (1 + rank of the first relevant item) within the list given, 0 when none;
//               the evaluator ranks max(K) items, so its MRR is cut off at the largest K.
// Binary-label metrics (friend labels) and probability metrics (attendance):
//   ROC-AUC   = probability that a random positive scores above a random negative, ties 0.5
//   AP        = sum over distinct score thresholds t (descending) of (R_t - R_prev) * P_t,
//               the step-wise area under the precision-recall curve (tied scores form one step)
//   Brier     = mean (p - y)^2, MAE = mean |p - y|
// Every function throws InvalidArgument on input it cannot score (empty, NaN, bad label, k < 1).
#include <cstdint>
#include <span>
#include <vector>

namespace recsys::eval {

// hits[i] = 1 when ranked[i] is in `relevant` (any order; duplicates in `relevant` are ignored).
std::vector<uint8_t> relevance_flags(std::span<const int32_t> ranked,
                                     std::span<const int32_t> relevant);

// n_relevant: number of distinct relevant items of the user (>= 1).
double recall_at_k(std::span<const uint8_t> hits, int64_t n_relevant, int k);
double ndcg_at_k(std::span<const uint8_t> hits, int64_t n_relevant, int k);
double hit_rate_at_k(std::span<const uint8_t> hits, int k);
double reciprocal_rank(std::span<const uint8_t> hits);

// 1 / log2(rank + 2) for rank = 0, 1, ...: the DCG discount.
double dcg_discount(int64_t rank);

// Fraction of the catalogue (n_items items) that appears in the top K of at least one user.
class CatalogueCoverage {
 public:
  CatalogueCoverage(int64_t n_items, int k);
  // Marks the first k entries of one user's ranked list; item ids must be in [0, n_items).
  void add(std::span<const int32_t> ranked);
  double value() const;

 private:
  std::vector<uint8_t> seen_;
  int64_t n_seen_ = 0;
  int k_;
};

// labels: 0 or 1; needs at least one of each.
double roc_auc(std::span<const float> scores, std::span<const uint8_t> labels);
// labels: 0 or 1; needs at least one positive.
double average_precision(std::span<const float> scores, std::span<const uint8_t> labels);
// predicted and target in [0, 1].
double brier_score(std::span<const float> predicted, std::span<const float> target);
double mean_absolute_error(std::span<const float> predicted, std::span<const float> target);

}  // namespace recsys::eval
