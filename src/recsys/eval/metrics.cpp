#include "recsys/eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "recsys/core/error.h"

namespace recsys::eval {
namespace {

void check_k(int k, const char* metric) {
  if (k < 1)
    throw InvalidArgument(std::string(metric) + ": k must be >= 1, got " + std::to_string(k));
}

void check_relevant(int64_t n_relevant, const char* metric) {
  if (n_relevant < 1) {
    throw InvalidArgument(std::string(metric) + ": a user needs at least one relevant item, got " +
                          std::to_string(n_relevant));
  }
}

void check_scores(std::span<const float> scores, size_t n_labels, const char* metric) {
  if (scores.size() != n_labels) {
    throw InvalidArgument(std::string(metric) + ": " + std::to_string(scores.size()) +
                          " scores but " + std::to_string(n_labels) + " labels");
  }
  if (scores.empty()) throw InvalidArgument(std::string(metric) + ": no scores");
  for (size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) {
      throw InvalidArgument(std::string(metric) + ": score " + std::to_string(i) + " is NaN");
    }
  }
}

int64_t count_positives(std::span<const uint8_t> labels, const char* metric) {
  int64_t positives = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] > 1) {
      throw InvalidArgument(std::string(metric) + ": label " + std::to_string(i) + " is " +
                            std::to_string(labels[i]) + ", expected 0 or 1");
    }
    positives += labels[i];
  }
  return positives;
}

// Indices sorted by descending score; ties keep index order (the metrics below treat tied
// scores as one group, so the order inside a group does not matter).
std::vector<size_t> order_by_score_descending(std::span<const float> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

void check_probabilities(std::span<const float> predicted, std::span<const float> target,
                         const char* metric, bool unit_interval) {
  if (predicted.size() != target.size()) {
    throw InvalidArgument(std::string(metric) + ": " + std::to_string(predicted.size()) +
                          " predictions but " + std::to_string(target.size()) + " targets");
  }
  if (predicted.empty()) throw InvalidArgument(std::string(metric) + ": no predictions");
  for (size_t i = 0; i < predicted.size(); ++i) {
    for (float v : {predicted[i], target[i]}) {
      bool bad = !std::isfinite(v) || (unit_interval && (v < 0.0f || v > 1.0f));
      if (bad) {
        throw InvalidArgument(
            std::string(metric) + ": value " + std::to_string(v) + " at position " +
            std::to_string(i) +
            (unit_interval ? " is not a probability in [0, 1]" : " is not finite"));
      }
    }
  }
}

}  // namespace

std::vector<uint8_t> relevance_flags(std::span<const int32_t> ranked,
                                     std::span<const int32_t> relevant) {
  std::vector<int32_t> sorted(relevant.begin(), relevant.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<uint8_t> hits(ranked.size());
  for (size_t i = 0; i < ranked.size(); ++i) {
    hits[i] = std::binary_search(sorted.begin(), sorted.end(), ranked[i]) ? 1 : 0;
  }
  return hits;
}

double dcg_discount(int64_t rank) {
  return 1.0 / std::log2(static_cast<double>(rank) + 2.0);
}

double recall_at_k(std::span<const uint8_t> hits, int64_t n_relevant, int k) {
  check_k(k, "recall@k");
  check_relevant(n_relevant, "recall@k");
  size_t end = std::min(hits.size(), static_cast<size_t>(k));
  int64_t found = 0;
  for (size_t i = 0; i < end; ++i) found += hits[i] ? 1 : 0;
  return static_cast<double>(found) / static_cast<double>(n_relevant);
}

double ndcg_at_k(std::span<const uint8_t> hits, int64_t n_relevant, int k) {
  check_k(k, "ndcg@k");
  check_relevant(n_relevant, "ndcg@k");
  size_t end = std::min(hits.size(), static_cast<size_t>(k));
  double dcg = 0.0;
  for (size_t i = 0; i < end; ++i) {
    if (hits[i]) dcg += dcg_discount(static_cast<int64_t>(i));
  }
  double idcg = 0.0;
  int64_t ideal = std::min<int64_t>(n_relevant, k);
  for (int64_t i = 0; i < ideal; ++i) idcg += dcg_discount(i);
  return dcg / idcg;
}

double hit_rate_at_k(std::span<const uint8_t> hits, int k) {
  check_k(k, "hit@k");
  size_t end = std::min(hits.size(), static_cast<size_t>(k));
  for (size_t i = 0; i < end; ++i) {
    if (hits[i]) return 1.0;
  }
  return 0.0;
}

double reciprocal_rank(std::span<const uint8_t> hits) {
  for (size_t i = 0; i < hits.size(); ++i) {
    if (hits[i]) return 1.0 / static_cast<double>(i + 1);
  }
  return 0.0;
}

CatalogueCoverage::CatalogueCoverage(int64_t n_items, int k) : k_(k) {
  check_k(k, "coverage@k");
  if (n_items < 1) {
    throw InvalidArgument("coverage@k: the catalogue needs at least one item, got " +
                          std::to_string(n_items));
  }
  seen_.assign(static_cast<size_t>(n_items), 0);
}

void CatalogueCoverage::add(std::span<const int32_t> ranked) {
  size_t end = std::min(ranked.size(), static_cast<size_t>(k_));
  for (size_t i = 0; i < end; ++i) {
    int32_t item = ranked[i];
    if (item < 0 || static_cast<size_t>(item) >= seen_.size()) {
      throw InvalidArgument("coverage@k: item " + std::to_string(item) +
                            " outside the catalogue of " + std::to_string(seen_.size()) + " items");
    }
    if (!seen_[item]) {
      seen_[item] = 1;
      ++n_seen_;
    }
  }
}

double CatalogueCoverage::value() const {
  return static_cast<double>(n_seen_) / static_cast<double>(seen_.size());
}

double roc_auc(std::span<const float> scores, std::span<const uint8_t> labels) {
  check_scores(scores, labels.size(), "roc_auc");
  int64_t positives = count_positives(labels, "roc_auc");
  int64_t negatives = static_cast<int64_t>(labels.size()) - positives;
  if (positives == 0 || negatives == 0) {
    throw InvalidArgument("roc_auc: needs both classes, got " + std::to_string(positives) +
                          " positives and " + std::to_string(negatives) + " negatives");
  }
  // Walk from the highest score down; within a group of tied scores, each positive beats
  // the negatives below the group and ties (0.5) with the group's negatives.
  std::vector<size_t> order = order_by_score_descending(scores);
  double wins = 0.0;
  int64_t negatives_below = negatives;
  for (size_t start = 0; start < order.size();) {
    size_t end = start;
    int64_t group_pos = 0;
    int64_t group_neg = 0;
    while (end < order.size() && scores[order[end]] == scores[order[start]]) {
      if (labels[order[end]]) {
        ++group_pos;
      } else {
        ++group_neg;
      }
      ++end;
    }
    negatives_below -= group_neg;
    wins += static_cast<double>(group_pos) *
            (static_cast<double>(negatives_below) + 0.5 * static_cast<double>(group_neg));
    start = end;
  }
  return wins / (static_cast<double>(positives) * static_cast<double>(negatives));
}

double average_precision(std::span<const float> scores, std::span<const uint8_t> labels) {
  check_scores(scores, labels.size(), "average_precision");
  int64_t positives = count_positives(labels, "average_precision");
  if (positives == 0) throw InvalidArgument("average_precision: no positive labels");
  std::vector<size_t> order = order_by_score_descending(scores);
  double ap = 0.0;
  int64_t true_positives = 0;
  for (size_t start = 0; start < order.size();) {
    size_t end = start;
    int64_t group_pos = 0;
    while (end < order.size() && scores[order[end]] == scores[order[start]]) {
      group_pos += labels[order[end]];
      ++end;
    }
    true_positives += group_pos;
    double precision = static_cast<double>(true_positives) / static_cast<double>(end);
    ap += static_cast<double>(group_pos) / static_cast<double>(positives) * precision;
    start = end;
  }
  return ap;
}

double brier_score(std::span<const float> predicted, std::span<const float> target) {
  check_probabilities(predicted, target, "brier_score", true);
  double sum = 0.0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    double d = static_cast<double>(predicted[i]) - static_cast<double>(target[i]);
    sum += d * d;
  }
  return sum / static_cast<double>(predicted.size());
}

double mean_absolute_error(std::span<const float> predicted, std::span<const float> target) {
  check_probabilities(predicted, target, "mean_absolute_error", false);
  double sum = 0.0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    sum += std::abs(static_cast<double>(predicted[i]) - static_cast<double>(target[i]));
  }
  return sum / static_cast<double>(predicted.size());
}

}  // namespace recsys::eval
