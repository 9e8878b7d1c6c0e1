#pragma once
// Diversity re-ranking: maximal marginal relevance (Carbonell & Goldstein 1998) over a candidate
// pool. Each step picks the candidate maximising
//   (1 - diversity) * relevance - diversity * max cosine(candidate, already picked)
// where relevance is the model score min-max scaled to [0, 1] over the pool and cosine is taken
// between the items' embeddings. diversity = 0 keeps the pool's order.
#include <cstdint>
#include <vector>

#include "recsys/index/exact_search.h"
#include "recsys/index/vector_index.h"

namespace recsys::recommend {

// Item embeddings scaled to unit length (a zero vector stays zero), made once at load, in the
// layout the SIMD scoring kernel reads (index/exact_search.h): columns that are zero in every
// row are dropped and rows are zero-padded to a multiple of 16. A cosine is then one kernel dot
// product, and MMR reads the candidates' rows in place instead of gathering them per query.
// Wider than kMaxCosineDim, the rows are first expressed in their kMaxCosineDim leading principal
// directions (the top eigenvectors of V^T V): a cosine then costs a fixed 64 products instead of
// the embedding's width (hetero's exact feature blocks make place vectors ~450 wide), and it is
// exact when the rows span no more than kMaxCosineDim dimensions, close when the spectrum decays.
class UnitVectors {
 public:
  static constexpr int kMaxCosineDim = 64;
  UnitVectors(const float* vectors, int64_t rows, int dim);

  const index::RowMatrix& matrix() const { return matrix_; }
  const float* row(int32_t r) const {
    return matrix_.data + static_cast<int64_t>(r) * matrix_.stride;
  }
  float cosine(int32_t a, int32_t b) const;

 private:
  std::vector<float> data_;
  index::RowMatrix matrix_;
};

// `pool`: candidates best first (rows of `unit`). Returns min(k, pool size) candidates in
// picking order, scores unchanged. ConfigError unless 0 <= diversity <= 1.
std::vector<index::Hit> mmr_rerank(const std::vector<index::Hit>& pool, int k, double diversity,
                                   const UnitVectors& unit);

}  // namespace recsys::recommend
