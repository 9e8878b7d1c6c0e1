#pragma once
// Exact inner-product top-k over the rows of a row-major matrix: the scan behind flat indices,
// behind filtered searches that leave few rows, and the reference the ANN indices are measured
// against. Rows are scored in blocks by a kernel compiled for AVX-512, AVX2+FMA and baseline
// x86-64 (picked at load time), then selected with a bounded heap; no per-row virtual calls.
#include <cstdint>
#include <vector>

namespace recsys::index {

struct Hit;

// A matrix as the scan sees it: row r starts at data + r * stride; only the first `width`
// columns are read (width <= stride, a multiple of 16: the columns past the vectors' own length
// are zero, so they add nothing). `query` must hold `width` floats.
struct RowMatrix {
  const float* data = nullptr;
  int64_t rows = 0;
  int64_t stride = 0;
  int width = 0;
};

// out[i] = <query, row rows[i]> for i < n (rows == nullptr: rows first .. first + n - 1).
void score_rows(const RowMatrix& m, const float* query, const int32_t* rows, int64_t first,
                int64_t n, float* out);

// The k best rows (largest inner product; ties: the smaller row first), best first.
// rows == nullptr: all rows of the matrix, else the n listed rows (which must be in range).
std::vector<Hit> exact_top_k(const RowMatrix& m, const float* query, int k,
                             const int32_t* rows = nullptr, int64_t n = -1);

// The k best rows among those with allowed[row] != 0.
std::vector<Hit> exact_top_k_allowed(const RowMatrix& m, const float* query, int k,
                                     const uint8_t* allowed);

}  // namespace recsys::index
