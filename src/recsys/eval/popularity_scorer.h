#pragma once
// Scores every user with the same per-item vector, e.g. the training degree of
// each item (popularity). Ties (items of equal degree) are broken by the
// evaluator's rule: lower item id first.
#include <cstdint>
#include <vector>

#include "recsys/eval/block_scorer.h"
#include "recsys/eval/user_item_lists.h"

namespace recsys::eval {

class PopularityScorer : public BlockScorer {
 public:
  // Throws InvalidArgument when item_scores is empty or holds a NaN.
  explicit PopularityScorer(std::vector<float> item_scores);

  // Item score = number of users whose list holds the item (a repeated entry counts once per
  // occurrence); items 0 .. n_items - 1. Throws InvalidArgument for an item >= n_items.
  static PopularityScorer from_interactions(const UserItemLists& interactions, int64_t n_items);

  int64_t n_items() const override { return static_cast<int64_t>(item_scores_.size()); }
  void score(const int32_t* users, int64_t n, float* out) const override;
  const std::vector<float>& item_scores() const { return item_scores_; }

 private:
  std::vector<float> item_scores_;
};

}  // namespace recsys::eval
