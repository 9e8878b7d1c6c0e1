#pragma once
// A sparse matrix for LibTorch models (include only from src/recsys/model/gnn/*.cpp): the CSR
// form of recsys/model/sparse_matrix.h plus its transpose, built once, and Y = A * X for a dense
// float32 X as a differentiable operation whose backward is A^T * dY. Both products run a
// row-parallel (OpenMP) CSR kernel, vectorised for AVX-512 / AVX2 when the CPU has them: every
// output row is summed by one thread in a fixed order, so results do not depend on the thread
// count.
// LibTorch 1.13's own sparse CSR backward is ~5x slower than its forward here (GUIDE.md), hence
// this operation.
#include <torch/torch.h>

#include <memory>
#include <vector>

#include "recsys/model/sparse_matrix.h"

namespace recsys::model::gnn {

class SparseMatrix {
 public:
  // Validates the CSR arrays (offsets non-decreasing from 0 to nnz, column ids in [0, cols),
  // as many values as indices) and throws InvalidArgument naming the problem otherwise.
  // `symmetric`: the caller states A == A^T (e.g. a symmetric-normalised adjacency); the
  // transpose is then not stored twice.
  explicit SparseMatrix(model::SparseMatrix csr, bool symmetric = false);

  int64_t rows() const { return forward_.rows; }
  int64_t cols() const { return forward_.cols; }
  int64_t nonzeros() const { return forward_.nonzeros(); }
  bool symmetric() const { return symmetric_; }
  const model::SparseMatrix& csr() const { return forward_; }
  const model::SparseMatrix& transpose_csr() const { return symmetric_ ? forward_ : transpose_; }

  // A * x (transpose = false) or A^T * x, without autograd: x is a float32 CPU tensor of
  // (cols x width) (rows x width for A^T); made contiguous if it is not.
  torch::Tensor multiply(const torch::Tensor& x, bool transpose = false) const;

 private:
  model::SparseMatrix forward_;
  model::SparseMatrix transpose_;  // empty when symmetric_
  bool symmetric_;
};

// Y = A * X with autograd: dX = A^T * dY. X: float32 CPU (A.cols() x width); throws
// InvalidArgument on another dtype, device or shape.
torch::Tensor sparse_mm(std::shared_ptr<const SparseMatrix> a, const torch::Tensor& x);

// Y = sum_k coefficients[k] * A^k * X (k = 0 .. size-1; A square) with autograd, as one
// operation: dX = sum_k coefficients[k] * (A^T)^k * dY. Unlike a chain of sparse_mm calls it
// keeps no intermediate layer for the backward pass. LightGCN's layer-mean readout of K layers
// is coefficients = {1/(K+1), ..., 1/(K+1)} (K+1 entries).
torch::Tensor sparse_polynomial(std::shared_ptr<const SparseMatrix> a, const torch::Tensor& x,
                                std::vector<double> coefficients);

}  // namespace recsys::model::gnn
