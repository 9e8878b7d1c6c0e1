#pragma once
// Item-kNN: cosine similarity of items over the binary training interactions,
//   sim(i, j) = |users of i and j| / sqrt(|users of i| * |users of j|),
// the `neighbours` most similar items kept per item (ties: lower item id), and
// score(u, j) = sum over the user's training items i of sim(i, j) where j is
// among i's neighbours.
#include <cstdint>
#include <vector>

#include "recsys/eval/block_scorer.h"
#include "recsys/eval/user_item_lists.h"

namespace recsys::model {

// Sparse neighbour lists: the neighbours of item i are items[offsets[i] .. offsets[i + 1]),
// most similar first, with their similarities.
struct ItemNeighbours {
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> items;
  std::vector<float> similarities;
  int64_t n_items() const { return static_cast<int64_t>(offsets.size()) - 1; }
};

// user_items: training items per user (distinct per row); item ids < n_items. OpenMP over
// items; the result does not depend on the thread count. Throws InvalidArgument for k < 1.
ItemNeighbours compute_item_neighbours(const eval::UserItemLists& user_items, int64_t n_items,
                                       int k);

class ItemKnnScorer : public eval::BlockScorer {
 public:
  // Keeps references: both must outlive the scorer. Throws InvalidArgument on an item id out
  // of range.
  ItemKnnScorer(const ItemNeighbours& neighbours, const eval::UserItemLists& user_items);
  int64_t n_items() const override { return neighbours_.n_items(); }
  void score(const int32_t* users, int64_t n, float* out) const override;

 private:
  const ItemNeighbours& neighbours_;
  const eval::UserItemLists& user_items_;
};

}  // namespace recsys::model
