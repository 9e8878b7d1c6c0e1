#pragma once
// BPR training triples (user, positive place, negative place) drawn as in the LightGCN
// reference implementation: the user uniformly among users with training places, the positive
// uniformly among that user's places, the negative uniformly among the places the user has
// not visited in training. An epoch has as many triples as there are training pairs. Every
// triple is a pure function of (seed, epoch, index in the epoch), so the draws do not depend on
// the thread count and a resumed run continues exactly where it stopped. No LibTorch here.
#include <cstdint>
#include <vector>

#include "recsys/eval/user_item_lists.h"

namespace recsys::model::gnn {

struct BprBatch {
  std::vector<int64_t> users, positives, negatives;
  int64_t size() const { return static_cast<int64_t>(users.size()); }
};

class BprSampler {
 public:
  // train: places per user (rows sorted, distinct), ids < n_items. Throws InvalidArgument when
  // there is no training pair.
  BprSampler(const eval::UserItemLists& train, int64_t n_items, uint64_t seed);

  int64_t epoch_size() const { return epoch_size_; }
  // Triples [begin, begin + count) of `epoch` (1-based), drawn in parallel (OpenMP). A triple
  // whose user has visited every place has no negative and is left out of the batch.
  BprBatch sample(int epoch, int64_t begin, int64_t count) const;

 private:
  const eval::UserItemLists& train_;
  int64_t n_items_;
  uint64_t seed_;
  int64_t epoch_size_;
  std::vector<int32_t> active_users_;  // users with >= 1 training place
};

}  // namespace recsys::model::gnn
