#include "recsys/recommend/diversity.h"

#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "recsys/core/error.h"

// LAPACK (from libopenblas; Debian ships no lapacke.h with it).
extern "C" void ssyev_(const char* jobz, const char* uplo, const int* n, float* a, const int* lda,
                       float* w, float* work, const int* lwork, int* info);

namespace recsys::recommend {

namespace {

// The rows of v (rows x dim) in the basis of the k leading eigenvectors of V^T V (rows x k).
std::vector<float> principal_rows(const float* v, int64_t rows, int dim, int k) {
  std::vector<float> gram(static_cast<size_t>(dim) * static_cast<size_t>(dim), 0.0f);
  // Row-major upper triangle of V^T V = column-major lower triangle, what ssyev reads with 'L'.
  cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, dim, static_cast<int>(rows), 1.0f, v, dim, 0.0f,
              gram.data(), dim);
  std::vector<float> values(static_cast<size_t>(dim));
  int info = 0, lwork = -1;
  float query = 0;
  ssyev_("V", "L", &dim, gram.data(), &dim, values.data(), &query, &lwork, &info);
  lwork = std::max(1, static_cast<int>(query));
  std::vector<float> work(static_cast<size_t>(lwork));
  if (info == 0) ssyev_("V", "L", &dim, gram.data(), &dim, values.data(), work.data(), &lwork, &info);
  if (info != 0) throw Error(fmt::format("diversity: LAPACK ssyev failed (info {})", info));
  // Eigenvalues ascend; eigenvector j is column j of the column-major result.
  std::vector<float> basis(static_cast<size_t>(dim) * static_cast<size_t>(k));  // dim x k
  for (int j = 0; j < k; ++j)
    for (int c = 0; c < dim; ++c)
      basis[static_cast<size_t>(c) * static_cast<size_t>(k) + static_cast<size_t>(j)] =
          gram[static_cast<size_t>(dim - 1 - j) * static_cast<size_t>(dim) + static_cast<size_t>(c)];
  std::vector<float> out(static_cast<size_t>(rows) * static_cast<size_t>(k));
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(rows), k, dim, 1.0f, v, dim,
              basis.data(), k, 0.0f, out.data(), k);
  return out;
}

}  // namespace

UnitVectors::UnitVectors(const float* vectors, int64_t rows, int dim) {
  std::vector<float> reduced;
  if (dim > kMaxCosineDim && rows > kMaxCosineDim) {
    reduced = principal_rows(vectors, rows, dim, kMaxCosineDim);
    vectors = reduced.data();
    dim = kMaxCosineDim;
  }
  int used = 0;  // columns up to the last one that is non-zero in some row
  for (int64_t r = 0; r < rows; ++r)
    for (int c = dim - 1; c >= used; --c)
      if (vectors[r * dim + c] != 0.0f) {
        used = c + 1;
        break;
      }
  const int width = std::max(16, (used + 15) / 16 * 16);
  data_.assign(static_cast<size_t>(rows * width), 0.0f);
  for (int64_t r = 0; r < rows; ++r) {
    const float* v = vectors + r * dim;
    double s = 0;
    for (int c = 0; c < used; ++c) s += static_cast<double>(v[c]) * v[c];
    const auto scale = s > 0 ? static_cast<float>(1.0 / std::sqrt(s)) : 0.0f;
    for (int c = 0; c < used; ++c) data_[static_cast<size_t>(r * width + c)] = v[c] * scale;
  }
  matrix_ = {data_.data(), rows, width, width};
}

float UnitVectors::cosine(int32_t a, int32_t b) const {
  float out = 0;
  index::score_rows(matrix_, row(a), &b, 0, 1, &out);
  return out;
}

std::vector<index::Hit> mmr_rerank(const std::vector<index::Hit>& pool, int k, double diversity,
                                   const UnitVectors& unit) {
  if (!(diversity >= 0 && diversity <= 1))
    throw ConfigError(fmt::format("diversity {}: must be in [0, 1]", diversity));
  const size_t want = std::min(pool.size(), static_cast<size_t>(std::max(k, 0)));
  if (diversity == 0 || pool.size() <= 1 || want == 0)
    return std::vector<index::Hit>(pool.begin(), pool.begin() + static_cast<ptrdiff_t>(want));
  float hi = -std::numeric_limits<float>::infinity(), lo = -hi;
  for (const auto& h : pool) hi = std::max(hi, h.score), lo = std::min(lo, h.score);
  const float span = hi > lo ? hi - lo : 1.0f;
  const auto keep = static_cast<float>(1 - diversity), weight = static_cast<float>(diversity);
  const size_t n = pool.size();
  auto relevance = [&](size_t i) { return keep * (pool[i].score - lo) / span; };

  // The first pick has no penalty: the most relevant candidate (the first of equals).
  std::vector<index::Hit> out;
  out.reserve(want);
  size_t first = 0;
  for (size_t i = 1; i < n; ++i)
    if (relevance(i) > relevance(first)) first = i;
  out.push_back(pool[first]);
  if (want == 1) return out;

  // Lazy greedy: from the second pick on, a candidate's value (relevance minus the penalty of
  // its largest cosine with the picked ones) can only fall as picks are added, so a value
  // computed against the first `seen` picks bounds the current one from above. The candidate
  // with the best bound is brought up to date with the picks it has not seen; if it still has
  // the best value (ties: the earlier pool position), it is the choice the full recomputation
  // would make; otherwise it goes back with its lower value. Same picks, far fewer dot products.
  struct Entry {
    float value;
    float max_sim;
    uint32_t slot;  // pool position
    uint32_t seen;  // picks its max_sim covers
  };
  auto below = [](const Entry& a, const Entry& b) {  // heap order: the best value on top
    return a.value < b.value || (a.value == b.value && a.slot > b.slot);
  };
  thread_local std::vector<int32_t> rows;
  thread_local std::vector<float> sim;
  thread_local std::vector<Entry> heap;
  rows.clear();
  for (const auto& h : pool) rows.push_back(h.row);
  sim.resize(n);
  index::score_rows(unit.matrix(), unit.row(pool[first].row), rows.data(), 0,
                    static_cast<int64_t>(n), sim.data());
  heap.clear();
  for (size_t i = 0; i < n; ++i)
    if (i != first) {
      const float max_sim = std::max(-1.0f, sim[i]);
      heap.push_back({relevance(i) - weight * max_sim, max_sim, static_cast<uint32_t>(i), 1});
    }
  std::make_heap(heap.begin(), heap.end(), below);
  std::vector<int32_t> picked = {pool[first].row};
  while (out.size() < want && !heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), below);
    Entry& e = heap.back();
    if (e.seen == picked.size()) {
      out.push_back(pool[e.slot]);
      picked.push_back(pool[e.slot].row);
      heap.pop_back();
      continue;
    }
    const int32_t row = pool[e.slot].row;
    const auto todo = static_cast<int64_t>(picked.size() - e.seen);
    index::score_rows(unit.matrix(), unit.row(row), picked.data() + e.seen, 0, todo, sim.data());
    for (int64_t j = 0; j < todo; ++j) e.max_sim = std::max(e.max_sim, sim[static_cast<size_t>(j)]);
    e.seen = static_cast<uint32_t>(picked.size());
    e.value = relevance(e.slot) - weight * e.max_sim;
    std::push_heap(heap.begin(), heap.end(), below);
  }
  return out;
}

}  // namespace recsys::recommend
