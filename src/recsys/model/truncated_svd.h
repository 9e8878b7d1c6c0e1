#pragma once
// The top-k right singular vectors of a sparse matrix A (rows x cols) by randomized subspace
// iteration (Halko, Martinsson & Tropp 2011, algorithm 4.4 with Rayleigh-Ritz): a random
// cols x l block (l = k + oversample) is multiplied by A^T A `iterations` times, re-orthonormalised
// (LAPACK Householder QR) after each product, and the k leading eigenpairs of
// Q^T A^T A Q = (A Q)^T (A Q) give the singular values and, rotated by Q, the vectors.
// The error of the subspace shrinks like (sigma_{l+1} / sigma_k)^(2 * iterations).
#include <cstdint>
#include <vector>

#include "recsys/model/sparse_matrix.h"

namespace recsys::model {

struct TruncatedSvdOptions {
  int64_t k = 0;           // singular triplets wanted, 1 <= k <= min(rows, cols)
  int64_t oversample = 64; // extra columns of the iterated block (capped at cols - k)
  int iterations = 8;      // products with A^T A after the random start
  uint64_t seed = 42;      // the random start
};

struct TruncatedSvd {
  int64_t k = 0;
  std::vector<float> singular_values;  // k, descending
  std::vector<float> right_vectors;    // cols x k row-major, orthonormal columns
};

// a_t must be a.transposed(). OpenMP for the sparse products, OpenBLAS/LAPACK for the rest.
// Throws InvalidArgument for k out of range or mismatched matrices, and Error when LAPACK fails.
TruncatedSvd truncated_svd(const SparseMatrix& a, const SparseMatrix& a_t,
                           const TruncatedSvdOptions& options);

}  // namespace recsys::model
