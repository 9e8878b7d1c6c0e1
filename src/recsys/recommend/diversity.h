#pragma once
// Diversity re-ranking: maximal marginal relevance (Carbonell & Goldstein 1998) over a candidate
// pool. Each step picks the candidate maximising
//   (1 - diversity) * relevance - diversity * max cosine(candidate, already picked)
// where relevance is the model score min-max scaled to [0, 1] over the pool and cosine is taken
// between the items' embeddings. diversity = 0 keeps the pool's order.
#include <cstdint>
#include <vector>

#include "recsys/index/vector_index.h"

namespace recsys::recommend {

// `pool`: candidates best first; `vectors(row)` gives an item's embedding of `dim` floats and
// `inverse_norms[row]` its 1 / L2 norm (0 for a zero vector). Returns min(k, pool size)
// candidates in picking order, scores unchanged. ConfigError unless 0 <= diversity <= 1.
std::vector<index::Hit> mmr_rerank(const std::vector<index::Hit>& pool, int k, double diversity,
                                   const float* vectors, int dim,
                                   const std::vector<float>& inverse_norms);

// 1 / L2 norm of each of `rows` vectors (0 for a zero vector).
std::vector<float> inverse_norms(const float* vectors, int64_t rows, int dim);

}  // namespace recsys::recommend
