#pragma once
// score(u, i) = <user_embeddings[u], item_embeddings[i]>, a block of users at a
// time with one OpenBLAS sgemm (block x d) * (d x items), over all items or a
// tile of them (the evaluator ranks each tile while it is in cache).
#include <cstdint>
#include <span>

#include "recsys/eval/block_scorer.h"

namespace recsys::eval {

class DotProductScorer : public BlockScorer {
 public:
  // Row-major float32 matrices, n_users x dim and n_items x dim. The scorer does not copy
  // them: both must outlive it. Throws InvalidArgument when a size does not match.
  DotProductScorer(std::span<const float> user_embeddings, int64_t n_users,
                   std::span<const float> item_embeddings, int64_t n_items, int64_t dim);

  int64_t n_items() const override { return n_items_; }
  int64_t n_users() const { return n_users_; }
  int64_t dim() const { return dim_; }
  void score(const int32_t* users, int64_t n, float* out) const override;
  int64_t item_tile() const override { return item_tile_; }
  void score_items(const int32_t* users, int64_t n, int64_t item_begin, int64_t item_end,
                   float* out) const override;
  // Items per tile for the evaluator; 0: whole rows. Default kDefaultItemTile.
  void set_item_tile(int64_t items);
  static constexpr int64_t kDefaultItemTile = 2048;

 private:
  const float* users_;
  const float* items_;
  int64_t n_users_;
  int64_t n_items_;
  int64_t dim_;
  int64_t item_tile_ = kDefaultItemTile;
};

}  // namespace recsys::eval
