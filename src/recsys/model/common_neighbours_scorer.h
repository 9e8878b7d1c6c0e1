#pragma once
// Friend recommendation heuristic: score(u, v) = number of common friends of u
// and v in the training social graph (a user x user BlockScorer).
#include "recsys/eval/block_scorer.h"
#include "recsys/eval/user_item_lists.h"

namespace recsys::model {

class CommonNeighboursScorer : public eval::BlockScorer {
 public:
  // friends: symmetric training friendships (each pair in both rows); keeps a reference.
  CommonNeighboursScorer(const eval::UserItemLists& friends, int64_t n_users);
  int64_t n_items() const override { return n_users_; }
  void score(const int32_t* users, int64_t n, float* out) const override;

 private:
  const eval::UserItemLists& friends_;
  int64_t n_users_;
};

}  // namespace recsys::model
