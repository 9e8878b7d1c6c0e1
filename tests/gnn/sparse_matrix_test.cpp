#include "recsys/model/gnn/sparse_matrix.h"

#include <gtest/gtest.h>

#include <random>

#include "recsys/core/error.h"

namespace recsys::model::gnn {
namespace {

// A random rows x cols CSR matrix with about `density` of its entries set, and its dense copy.
std::pair<model::SparseMatrix, torch::Tensor> random_matrix(int64_t rows, int64_t cols,
                                                            double density, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::bernoulli_distribution keep(density);
  model::SparseMatrix a;
  a.rows = rows;
  a.cols = cols;
  a.offsets.assign(1, 0);
  torch::Tensor dense = torch::zeros({rows, cols});
  auto d = dense.accessor<float, 2>();
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c)
      if (keep(rng)) {
        const float v = value(rng);
        a.indices.push_back(static_cast<int32_t>(c));
        a.values.push_back(v);
        d[r][c] = v;
      }
    a.offsets.push_back(static_cast<int64_t>(a.indices.size()));
  }
  return {a, dense};
}

TEST(SparseMatrix, ForwardAndBackwardMatchDenseMatmul) {
  auto [csr, dense] = random_matrix(37, 23, 0.2, 1);
  auto a = std::make_shared<const SparseMatrix>(csr);
  EXPECT_EQ(a->rows(), 37);
  EXPECT_EQ(a->cols(), 23);
  torch::manual_seed(0);
  const torch::Tensor x0 = torch::randn({23, 5});
  const torch::Tensor weight = torch::randn({37, 5});

  torch::Tensor x = x0.clone().requires_grad_(true);
  torch::Tensor y = sparse_mm(a, x);
  (y * weight).sum().backward();

  torch::Tensor xr = x0.clone().requires_grad_(true);
  torch::Tensor yr = torch::mm(dense, xr);
  (yr * weight).sum().backward();

  EXPECT_TRUE(torch::allclose(y, yr, 1e-5, 1e-5));
  ASSERT_TRUE(x.grad().defined());
  EXPECT_TRUE(torch::allclose(x.grad(), xr.grad(), 1e-5, 1e-5));
}

TEST(SparseMatrix, ChainedProductsAndNonContiguousInput) {
  auto [csr, dense] = random_matrix(30, 30, 0.15, 2);
  auto a = std::make_shared<const SparseMatrix>(csr);
  torch::manual_seed(1);
  const torch::Tensor base = torch::randn({8, 30});  // transposed below: not contiguous
  torch::Tensor p = base.clone().requires_grad_(true);
  torch::Tensor x = p.t();
  ASSERT_FALSE(x.is_contiguous());
  torch::Tensor y = sparse_mm(a, sparse_mm(a, x)) + x;
  y.pow(2).sum().backward();

  torch::Tensor pr = base.clone().requires_grad_(true);
  torch::Tensor xr = pr.t();
  torch::Tensor yr = torch::mm(dense, torch::mm(dense, xr)) + xr;
  yr.pow(2).sum().backward();
  EXPECT_TRUE(torch::allclose(y, yr, 1e-4, 1e-4));
  EXPECT_TRUE(torch::allclose(p.grad(), pr.grad(), 1e-4, 1e-4));
}

TEST(SparseMatrix, SymmetricMatrixUsesItselfAsTranspose) {
  auto [csr, dense] = random_matrix(20, 20, 0.2, 3);
  // Symmetrise: dense + dense^T, rebuilt as CSR.
  torch::Tensor sym = dense + dense.t();
  model::SparseMatrix s;
  s.rows = s.cols = 20;
  s.offsets.assign(1, 0);
  auto acc = sym.accessor<float, 2>();
  for (int64_t r = 0; r < 20; ++r) {
    for (int64_t c = 0; c < 20; ++c)
      if (acc[r][c] != 0.0f) {
        s.indices.push_back(static_cast<int32_t>(c));
        s.values.push_back(acc[r][c]);
      }
    s.offsets.push_back(static_cast<int64_t>(s.indices.size()));
  }
  auto a = std::make_shared<const SparseMatrix>(s, /*symmetric=*/true);
  EXPECT_TRUE(a->symmetric());
  torch::Tensor x = torch::randn({20, 3}).requires_grad_(true);
  torch::Tensor w = torch::randn({20, 3});
  (sparse_mm(a, x) * w).sum().backward();
  EXPECT_TRUE(torch::allclose(x.grad(), torch::mm(sym.t(), w), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(a->multiply(x.detach(), true), torch::mm(sym.t(), x.detach()),
                              1e-5, 1e-5));
}

TEST(SparseMatrix, NoGradientWhenInputDoesNotRequireIt) {
  auto [csr, dense] = random_matrix(5, 4, 0.5, 4);
  auto a = std::make_shared<const SparseMatrix>(csr);
  torch::Tensor y = sparse_mm(a, torch::ones({4, 2}));
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(torch::allclose(y, torch::mm(dense, torch::ones({4, 2}))));
}

TEST(SparseMatrix, RejectsBadInput) {
  auto [csr, dense] = random_matrix(5, 4, 0.5, 5);
  auto a = std::make_shared<const SparseMatrix>(csr);
  EXPECT_THROW(sparse_mm(a, torch::ones({5, 2})), InvalidArgument);                 // rows
  EXPECT_THROW(sparse_mm(a, torch::ones({4, 2}, torch::kFloat64)), InvalidArgument);  // dtype
  model::SparseMatrix bad = csr;
  bad.indices[0] = 7;  // column outside [0, 4)
  EXPECT_THROW(SparseMatrix{bad}, InvalidArgument);
  bad = csr;
  bad.offsets.pop_back();
  EXPECT_THROW(SparseMatrix{bad}, InvalidArgument);
  EXPECT_THROW(SparseMatrix(csr, /*symmetric=*/true), InvalidArgument);  // not square
}

}  // namespace
}  // namespace recsys::model::gnn

namespace recsys::model::gnn {
namespace {

TEST(SparsePolynomial, MatchesLayerMeanOfDensePowers) {
  auto [csr, dense] = random_matrix(25, 25, 0.2, 6);
  auto a = std::make_shared<const SparseMatrix>(csr);
  torch::manual_seed(2);
  const torch::Tensor x0 = torch::randn({25, 4});
  const torch::Tensor w = torch::randn({25, 4});
  const std::vector<double> c{0.25, 0.25, 0.25, 0.25};
  torch::Tensor x = x0.clone().requires_grad_(true);
  (sparse_polynomial(a, x, c) * w).sum().backward();

  torch::Tensor xr = x0.clone().requires_grad_(true);
  torch::Tensor e1 = torch::mm(dense, xr), e2 = torch::mm(dense, e1), e3 = torch::mm(dense, e2);
  torch::Tensor yr = (xr + e1 + e2 + e3) / 4;
  (yr * w).sum().backward();
  EXPECT_TRUE(torch::allclose(sparse_polynomial(a, x0, c), yr, 1e-4, 1e-5));
  EXPECT_TRUE(torch::allclose(x.grad(), xr.grad(), 1e-4, 1e-5));
  EXPECT_THROW(sparse_polynomial(a, x0, {}), InvalidArgument);
}

}  // namespace
}  // namespace recsys::model::gnn
