#pragma once
// The scoring interface of the top-K evaluator: anything that can fill a block
// of user x item scores. The dot product of embeddings (DotProductScorer, one
// GEMM per block) is the fast one; popularity, item-kNN or an oracle computing
// the true preference scores implement the same interface.
//
// Higher scores rank first. Return raw scores (logits, dot products), never a
// sigmoid of them: a float32 sigmoid saturates at 1.0 and turns the top of the
// list into ties. A score of -inf means "never recommend"; NaN is an error.
#include <cstdint>

namespace recsys::eval {

class BlockScorer {
 public:
  virtual ~BlockScorer() = default;

  // Number of items (columns): scores are for items 0 .. n_items() - 1.
  virtual int64_t n_items() const = 0;

  // Fills out[r * n_items() + i] with the score of item i for user users[r], r < n.
  // Called concurrently from several threads with different blocks: must be thread-safe.
  // Throws InvalidArgument for a user it does not know.
  virtual void score(const int32_t* users, int64_t n, float* out) const = 0;

  // Scorers for which a slice of items is as cheap as a whole row return a tile width > 0: the
  // evaluator then asks for item_tile() items at a time (score_items) and ranks each tile while
  // it is still in cache. 0 (the default): whole rows through score().
  virtual int64_t item_tile() const { return 0; }

  // Fills out[r * (item_end - item_begin) + (i - item_begin)] with the score of item i for user
  // users[r], item_begin <= i < item_end. The default scores whole rows and copies the slice.
  virtual void score_items(const int32_t* users, int64_t n, int64_t item_begin, int64_t item_end,
                           float* out) const;
};

}  // namespace recsys::eval
