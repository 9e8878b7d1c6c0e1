#pragma once
// A float sparse matrix in compressed-sparse-row form and its product with a dense row-major
// block: out = A * in, where `in` has A.cols rows of `width` floats and `out` A.rows rows. Each
// nonzero adds a scaled contiguous row of `in` into a contiguous row of `out` (an axpy of
// `width` floats), which is how the graph filters (bspm) and the truncated SVD apply
// R~ and R~^T to many vectors at once.
#include <cstdint>
#include <vector>

namespace recsys::model {

struct SparseMatrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<int64_t> offsets{0};  // rows + 1 entries
  std::vector<int32_t> indices;     // column of each nonzero, ascending within a row
  std::vector<float> values;

  int64_t nonzeros() const { return static_cast<int64_t>(indices.size()); }
  // The transpose, also in CSR form (columns ascending within each row).
  SparseMatrix transposed() const;
};

// out[r * width + j] = sum over nonzeros (r, c) of value * in[c * width + j], for r < a.rows.
// `parallel`: OpenMP over rows (training); false when the caller is already one of several
// worker threads (scoring). The result does not depend on the thread count.
void multiply_dense(const SparseMatrix& a, const float* in, int64_t width, float* out,
                    bool parallel);

}  // namespace recsys::model
