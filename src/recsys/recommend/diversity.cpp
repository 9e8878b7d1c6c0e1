#include "recsys/recommend/diversity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "recsys/core/error.h"
#include "recsys/index/exact_search.h"

namespace recsys::recommend {

std::vector<float> inverse_norms(const float* v, int64_t rows, int dim) {
  std::vector<float> out(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    double s = 0;
    const float* x = v + r * dim;
    for (int d = 0; d < dim; ++d) s += static_cast<double>(x[d]) * x[d];
    out[static_cast<size_t>(r)] = s > 0 ? static_cast<float>(1.0 / std::sqrt(s)) : 0.0f;
  }
  return out;
}

std::vector<index::Hit> mmr_rerank(const std::vector<index::Hit>& pool, int k, double diversity,
                                   const float* vectors, int dim,
                                   const std::vector<float>& inv_norm) {
  if (!(diversity >= 0 && diversity <= 1))
    throw ConfigError(fmt::format("diversity {}: must be in [0, 1]", diversity));
  const size_t want = std::min(pool.size(), static_cast<size_t>(std::max(k, 0)));
  if (diversity == 0 || pool.size() <= 1)
    return std::vector<index::Hit>(pool.begin(), pool.begin() + static_cast<ptrdiff_t>(want));
  float hi = -std::numeric_limits<float>::infinity(), lo = -hi;
  for (const auto& h : pool) hi = std::max(hi, h.score), lo = std::min(lo, h.score);
  const double span = hi > lo ? static_cast<double>(hi) - lo : 1.0;
  // The pool's unit vectors, gathered once into a zero-padded matrix the SIMD scoring kernel of
  // the exact search reads (index/exact_search.h): one kernel call per pick.
  const size_t n = pool.size();
  const int width = (dim + 15) / 16 * 16;
  const size_t stride = static_cast<size_t>(width);
  thread_local std::vector<float> unit, sim;
  unit.assign(n * stride, 0.0f);
  sim.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const float* v = vectors + static_cast<int64_t>(pool[i].row) * dim;
    const float s = inv_norm[static_cast<size_t>(pool[i].row)];
    for (int d = 0; d < dim; ++d) unit[i * stride + static_cast<size_t>(d)] = v[d] * s;
  }
  const index::RowMatrix matrix{unit.data(), static_cast<int64_t>(n), static_cast<int64_t>(stride), width};
  // max_sim[i]: largest cosine between candidate i and the picked ones.
  std::vector<float> max_sim(n, -1.0f);
  std::vector<uint8_t> taken(n, 0);
  std::vector<index::Hit> out;
  out.reserve(want);
  while (out.size() < want) {
    size_t best = n;
    double best_value = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < n; ++i) {
      if (taken[i]) continue;
      const double rel = (pool[i].score - lo) / span;
      const double penalty = out.empty() ? 0.0 : max_sim[i];
      const double value = (1 - diversity) * rel - diversity * penalty;
      if (value > best_value) best_value = value, best = i;
    }
    taken[best] = 1;
    out.push_back(pool[best]);
    if (out.size() == want) break;
    index::score_rows(matrix, unit.data() + best * stride, nullptr, 0, static_cast<int64_t>(n), sim.data());
    for (size_t i = 0; i < n; ++i)
      if (!taken[i]) max_sim[i] = std::max(max_sim[i], sim[i]);
  }
  return out;
}

}  // namespace recsys::recommend
