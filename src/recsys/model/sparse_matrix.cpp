#include "recsys/model/sparse_matrix.h"

#include <algorithm>

namespace recsys::model {

SparseMatrix SparseMatrix::transposed() const {
  SparseMatrix t;
  t.rows = cols;
  t.cols = rows;
  t.offsets.assign(static_cast<size_t>(cols) + 1, 0);
  for (int32_t c : indices) ++t.offsets[static_cast<size_t>(c) + 1];
  for (int64_t c = 0; c < cols; ++c) t.offsets[c + 1] += t.offsets[c];
  t.indices.resize(indices.size());
  t.values.resize(values.size());
  std::vector<int64_t> next(t.offsets.begin(), t.offsets.end() - 1);
  // Rows visited in ascending order, so each transposed row comes out sorted.
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e) {
      const auto pos = static_cast<size_t>(next[static_cast<size_t>(indices[e])]++);
      t.indices[pos] = static_cast<int32_t>(r);
      t.values[pos] = values[e];
    }
  return t;
}

namespace {

// The axpy loop is memory-bound but still gains from 256-bit FMA; GCC builds an AVX2+FMA clone
// chosen at load time where the CPU has it (the rest of the build targets baseline x86-64).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RECSYS_AVX2_CLONE __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define RECSYS_AVX2_CLONE
#endif

RECSYS_AVX2_CLONE void multiply_row(const SparseMatrix& a, int64_t r, const float* in, int64_t width, float* out) {
  float* __restrict dst = out + r * width;
  std::fill(dst, dst + width, 0.0f);
  for (int64_t e = a.offsets[r]; e < a.offsets[r + 1]; ++e) {
    const float v = a.values[e];
    const float* __restrict src = in + static_cast<int64_t>(a.indices[e]) * width;
    for (int64_t j = 0; j < width; ++j) dst[j] += v * src[j];
  }
}

}  // namespace

void multiply_dense(const SparseMatrix& a, const float* in, int64_t width, float* out,
                    bool parallel) {
  if (parallel) {
#pragma omp parallel for schedule(dynamic, 64)
    for (int64_t r = 0; r < a.rows; ++r) multiply_row(a, r, in, width, out);
  } else {
    for (int64_t r = 0; r < a.rows; ++r) multiply_row(a, r, in, width, out);
  }
}

}  // namespace recsys::model
