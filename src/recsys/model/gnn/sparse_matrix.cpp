#include "recsys/model/gnn/sparse_matrix.h"

#include <fmt/format.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/utils.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::model::gnn {
namespace {

void check_csr(const model::SparseMatrix& a) {
  if (a.rows < 0 || a.cols < 0)
    throw InvalidArgument(fmt::format("sparse matrix: negative shape {} x {}", a.rows, a.cols));
  if (static_cast<int64_t>(a.offsets.size()) != a.rows + 1)
    throw InvalidArgument(fmt::format("sparse matrix: {} offsets for {} rows (rows + 1 expected)",
                                      a.offsets.size(), a.rows));
  if (a.values.size() != a.indices.size())
    throw InvalidArgument(fmt::format("sparse matrix: {} values for {} column indices",
                                      a.values.size(), a.indices.size()));
  if (a.offsets.front() != 0 || a.offsets.back() != a.nonzeros())
    throw InvalidArgument(fmt::format("sparse matrix: offsets run from {} to {}, not 0 to {}",
                                      a.offsets.front(), a.offsets.back(), a.nonzeros()));
  for (int64_t r = 0; r < a.rows; ++r)
    if (a.offsets[static_cast<size_t>(r)] > a.offsets[static_cast<size_t>(r) + 1])
      throw InvalidArgument(fmt::format("sparse matrix: offsets decrease at row {}", r));
  for (size_t e = 0; e < a.indices.size(); ++e)
    if (a.indices[e] < 0 || a.indices[e] >= a.cols)
      throw InvalidArgument(fmt::format("sparse matrix: column {} of nonzero {} is outside [0, {})",
                                        a.indices[e], e, a.cols));
}

// dX = A^T dY for one sparse_mm call; holds the matrix alive for as long as the graph does.
class SparseMmBackward : public torch::autograd::Node {
 public:
  explicit SparseMmBackward(std::shared_ptr<const SparseMatrix> a) : a_(std::move(a)) {}
  std::string name() const override { return "recsys::SparseMmBackward"; }
  torch::autograd::variable_list apply(torch::autograd::variable_list&& grads) override {
    if (!grads[0].defined()) return {torch::Tensor()};
    return {a_->multiply(grads[0], /*transpose=*/true)};
  }

 private:
  std::shared_ptr<const SparseMatrix> a_;
};

// The hot loop of LightGCN-style training (every propagation and its backward): for rows
// [begin, end) of A, row = sum_e value_e * in[col_e], stored into `out` (when not null) and
// added, times c, into `acc` (when not null). A row is summed in registers and written once;
// compiled for AVX-512, AVX2+FMA and baseline x86-64, picked at load time (target_clones).
using Float8 = float __attribute__((vector_size(32)));

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void rows_width64(
    const int64_t* offsets, const int32_t* indices, const float* values, int64_t begin,
    int64_t end, const float* __restrict in, float* __restrict out, float* __restrict acc,
    float c) {
  constexpr int64_t W = 64, V = W / 8;
  for (int64_t r = begin; r < end; ++r) {
    Float8 sum[V] = {};
    for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e) {
      const Float8 v = Float8{} + values[e];
      const float* src = in + static_cast<int64_t>(indices[e]) * W;
      for (int64_t k = 0; k < V; ++k) {
        Float8 x;
        __builtin_memcpy(&x, src + 8 * k, sizeof x);
        sum[k] += v * x;
      }
    }
    if (out) __builtin_memcpy(out + r * W, sum, sizeof sum);
    if (acc) {
      const Float8 cv = Float8{} + c;
      for (int64_t k = 0; k < V; ++k) {
        Float8 a;
        __builtin_memcpy(&a, acc + r * W + 8 * k, sizeof a);
        a += cv * sum[k];
        __builtin_memcpy(acc + r * W + 8 * k, &a, sizeof a);
      }
    }
  }
}

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void rows_any_width(
    const int64_t* offsets, const int32_t* indices, const float* values, int64_t begin,
    int64_t end, const float* __restrict in, int64_t width, float* __restrict out,
    float* __restrict acc, float c, float* __restrict scratch) {
  for (int64_t r = begin; r < end; ++r) {
    float* sum = out ? out + r * width : scratch;
    for (int64_t j = 0; j < width; ++j) sum[j] = 0.0f;
    for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e) {
      const float v = values[e];
      const float* __restrict src = in + static_cast<int64_t>(indices[e]) * width;
      for (int64_t j = 0; j < width; ++j) sum[j] += v * src[j];
    }
    if (acc)
      for (int64_t j = 0; j < width; ++j) acc[r * width + j] += c * sum[j];
  }
}

// out = A * in and/or acc += c * A * in, in parallel over blocks of rows (OpenMP). Each row is
// summed by one thread in the order of its nonzeros: the result does not depend on threads.
void multiply_accumulate(const model::SparseMatrix& a, const float* in, int64_t width, float* out,
                         float* acc, float c) {
  constexpr int64_t kBlock = 128;
  const int64_t blocks = (a.rows + kBlock - 1) / kBlock;
#pragma omp parallel
  {
    std::vector<float> scratch(width == 64 ? 0 : static_cast<size_t>(width));
#pragma omp for schedule(dynamic, 4)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t begin = b * kBlock, end = std::min(a.rows, begin + kBlock);
      if (width == 64)
        rows_width64(a.offsets.data(), a.indices.data(), a.values.data(), begin, end, in, out,
                     acc, c);
      else
        rows_any_width(a.offsets.data(), a.indices.data(), a.values.data(), begin, end, in,
                       width, out, acc, c, scratch.data());
    }
  }
}

// sum_k c[k] * op^k * x with op = A or A^T; x contiguous float32 of the right shape. The last
// power is only accumulated, never stored.
torch::Tensor apply_polynomial(const SparseMatrix& a, const torch::Tensor& x,
                               const std::vector<double>& c, bool transpose) {
  const model::SparseMatrix& op = transpose ? a.transpose_csr() : a.csr();
  const int64_t width = x.size(1);
  torch::Tensor y = x * c[0];
  if (width == 0) return y;
  torch::Tensor current = x, next;
  for (size_t k = 1; k < c.size(); ++k) {
    const bool keep = k + 1 < c.size();
    if (keep) next = torch::empty_like(x);
    multiply_accumulate(op, current.data_ptr<float>(), width,
                        keep ? next.data_ptr<float>() : nullptr, y.data_ptr<float>(),
                        static_cast<float>(c[k]));
    if (keep) current = next;
  }
  return y;
}

class SparsePolynomialBackward : public torch::autograd::Node {
 public:
  SparsePolynomialBackward(std::shared_ptr<const SparseMatrix> a, std::vector<double> c)
      : a_(std::move(a)), c_(std::move(c)) {}
  std::string name() const override { return "recsys::SparsePolynomialBackward"; }
  torch::autograd::variable_list apply(torch::autograd::variable_list&& grads) override {
    if (!grads[0].defined()) return {torch::Tensor()};
    return {apply_polynomial(*a_, grads[0].contiguous(), c_, /*transpose=*/true)};
  }

 private:
  std::shared_ptr<const SparseMatrix> a_;
  std::vector<double> c_;
};

}  // namespace

SparseMatrix::SparseMatrix(model::SparseMatrix csr, bool symmetric)
    : forward_(std::move(csr)), symmetric_(symmetric) {
  check_csr(forward_);
  if (symmetric_ && forward_.rows != forward_.cols)
    throw InvalidArgument(fmt::format("sparse matrix: a {} x {} matrix declared symmetric",
                                      forward_.rows, forward_.cols));
  if (!symmetric_) transpose_ = forward_.transposed();
}

torch::Tensor SparseMatrix::multiply(const torch::Tensor& x, bool transpose) const {
  const model::SparseMatrix& a = transpose ? transpose_csr() : forward_;
  if (x.scalar_type() != torch::kFloat32 || !x.device().is_cpu() || x.dim() != 2)
    throw InvalidArgument(
        fmt::format("sparse_mm: a 2-d float32 CPU tensor expected, got {}-d {} on {}", x.dim(),
                    std::string(c10::toString(x.scalar_type())), x.device().str()));
  if (x.size(0) != a.cols)
    throw InvalidArgument(fmt::format("sparse_mm: a {} x {} matrix times a tensor of {} rows",
                                      a.rows, a.cols, x.size(0)));
  const torch::Tensor in = x.contiguous();
  const int64_t width = in.size(1);
  torch::Tensor out = torch::empty({a.rows, width}, in.options().requires_grad(false));
  if (width > 0) multiply_accumulate(a, in.data_ptr<float>(), width, out.data_ptr<float>(), nullptr, 0);
  return out;
}

torch::Tensor sparse_mm(std::shared_ptr<const SparseMatrix> a, const torch::Tensor& x) {
  if (!a) throw InvalidArgument("sparse_mm: no matrix");
  torch::Tensor y = a->multiply(x.detach());
  if (torch::autograd::compute_requires_grad(x)) {
    auto node = std::shared_ptr<SparseMmBackward>(new SparseMmBackward(std::move(a)),
                                                  torch::autograd::deleteNode);
    node->set_next_edges(torch::autograd::collect_next_edges(x));
    torch::autograd::set_history(y, node);
  }
  return y;
}

}  // namespace recsys::model::gnn

namespace recsys::model::gnn {

torch::Tensor sparse_polynomial(std::shared_ptr<const SparseMatrix> a, const torch::Tensor& x,
                                std::vector<double> coefficients) {
  if (!a) throw InvalidArgument("sparse_polynomial: no matrix");
  if (coefficients.empty()) throw InvalidArgument("sparse_polynomial: no coefficients");
  if (a->rows() != a->cols())
    throw InvalidArgument(fmt::format("sparse_polynomial: powers of a {} x {} matrix",
                                      a->rows(), a->cols()));
  // multiply() checks dtype, device and shape; check them here too for the k = 0 term.
  if (x.scalar_type() != torch::kFloat32 || !x.device().is_cpu() || x.dim() != 2 ||
      x.size(0) != a->cols())
    throw InvalidArgument(fmt::format(
        "sparse_polynomial: a float32 CPU tensor of {} rows expected, got {}-d {} with {} rows",
        a->cols(), x.dim(), std::string(c10::toString(x.scalar_type())), x.dim() ? x.size(0) : 0));
  torch::Tensor y = apply_polynomial(*a, x.detach().contiguous(), coefficients, false);
  if (torch::autograd::compute_requires_grad(x)) {
    auto node = std::shared_ptr<SparsePolynomialBackward>(
        new SparsePolynomialBackward(std::move(a), std::move(coefficients)),
        torch::autograd::deleteNode);
    node->set_next_edges(torch::autograd::collect_next_edges(x));
    torch::autograd::set_history(y, node);
  }
  return y;
}

}  // namespace recsys::model::gnn
