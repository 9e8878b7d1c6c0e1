#include "recsys/eval/popularity_scorer.h"

#include <cmath>
#include <cstring>
#include <string>

#include "recsys/core/error.h"

namespace recsys::eval {

PopularityScorer::PopularityScorer(std::vector<float> item_scores)
    : item_scores_(std::move(item_scores)) {
  if (item_scores_.empty()) throw InvalidArgument("PopularityScorer: no items");
  for (size_t i = 0; i < item_scores_.size(); ++i) {
    if (std::isnan(item_scores_[i])) {
      throw InvalidArgument("PopularityScorer: the score of item " + std::to_string(i) + " is NaN");
    }
  }
}

PopularityScorer PopularityScorer::from_interactions(const UserItemLists& interactions,
                                                     int64_t n_items) {
  if (n_items < 1) {
    throw InvalidArgument("PopularityScorer: n_items must be >= 1, got " + std::to_string(n_items));
  }
  std::vector<float> degree(static_cast<size_t>(n_items), 0.0f);
  for (int32_t item : interactions.items()) {
    if (item >= n_items) {
      throw InvalidArgument("PopularityScorer: item " + std::to_string(item) +
                            " outside the catalogue of " + std::to_string(n_items) + " items");
    }
    degree[item] += 1.0f;
  }
  return PopularityScorer(std::move(degree));
}

void PopularityScorer::score(const int32_t* /*users*/, int64_t n, float* out) const {
  const size_t row_bytes = item_scores_.size() * sizeof(float);
  for (int64_t r = 0; r < n; ++r) {
    std::memcpy(out + r * static_cast<int64_t>(item_scores_.size()), item_scores_.data(),
                row_bytes);
  }
}

}  // namespace recsys::eval
