#include "recsys/model/bspm_filter.h"

#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "recsys/core/error.h"

namespace recsys::model {

NormalizedInteractions normalize_interactions(const eval::UserItemLists& train, int64_t n_users,
                                              int64_t n_items) {
  NormalizedInteractions m;
  SparseMatrix& r = m.r;
  r.rows = n_users;
  r.cols = n_items;
  r.offsets.assign(static_cast<size_t>(n_users) + 1, 0);
  std::vector<int32_t> row;
  for (int64_t u = 0; u < n_users; ++u) {
    const auto items = train.items_of(u);
    row.assign(items.begin(), items.end());
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    for (int32_t i : row)
      if (i < 0 || i >= n_items)
        throw InvalidArgument(
            fmt::format("training item {} of user {} outside [0, {})", i, u, n_items));
    r.indices.insert(r.indices.end(), row.begin(), row.end());
    r.offsets[static_cast<size_t>(u) + 1] = r.nonzeros();
  }
  m.user_degree.resize(static_cast<size_t>(n_users));
  m.item_degree.assign(static_cast<size_t>(n_items), 0.0f);
  for (int64_t u = 0; u < n_users; ++u)
    m.user_degree[u] = static_cast<float>(r.offsets[u + 1] - r.offsets[u]);
  for (int32_t i : r.indices) m.item_degree[static_cast<size_t>(i)] += 1.0f;
  r.values.resize(r.indices.size());
  for (int64_t u = 0; u < n_users; ++u)
    for (int64_t e = r.offsets[u]; e < r.offsets[u + 1]; ++e)
      r.values[e] = static_cast<float>(
          1.0 / std::sqrt(static_cast<double>(m.user_degree[u]) * m.item_degree[r.indices[e]]));
  m.r_t = r.transposed();
  return m;
}

BspmScorer::BspmScorer(const eval::UserItemLists& train, int64_t n_users, int64_t n_items,
                       const BspmParameters& params, std::vector<float> factors)
    : n_users_(n_users),
      n_items_(n_items),
      params_(params),
      m_(normalize_interactions(train, n_users, n_items)),
      factors_(std::move(factors)) {
  params_.validate();
  if (static_cast<int64_t>(factors_.size()) != n_items * params_.k)
    throw InvalidArgument(fmt::format("bspm: {} factor values where {} items x k = {} were expected",
                                      factors_.size(), n_items, params_.k));
  inv_sqrt_degree_.resize(static_cast<size_t>(n_items));
  sqrt_degree_.resize(static_cast<size_t>(n_items));
  for (int64_t i = 0; i < n_items; ++i) {
    const double d = m_.item_degree[i];
    sqrt_degree_[i] = static_cast<float>(std::sqrt(d));
    inv_sqrt_degree_[i] = d > 0 ? static_cast<float>(1.0 / std::sqrt(d)) : 0.0f;
  }
}

namespace {

// Per-thread buffers, item-major blocks (items x width) and one users x width block.
struct Workspace {
  std::vector<float> x0, idl, x, t, pt, acc, tmp, wt;
};

void resize(std::vector<float>& v, int64_t size) {
  if (static_cast<int64_t>(v.size()) < size) v.resize(static_cast<size_t>(size));
}

// The linear ODE dx/dt = x A with A = c_p P + c_i I on an item-major block.
struct LinearOde {
  const NormalizedInteractions& m;
  float c_p, c_i;
  int64_t width;
  std::vector<float>& pt;   // items x width
  std::vector<float>& tmp;  // users x width

  // pt = P x  (as blocks: tmp = R~ x, pt = R~^T tmp)
  void apply_p(const float* x) const {
    multiply_dense(m.r, x, width, tmp.data(), false);
    multiply_dense(m.r_t, tmp.data(), width, pt.data(), false);
  }
  // One step of size h from x (items x width) in place; t is scratch.
  void step(std::vector<float>& x, std::vector<float>& t, double h, bool rk4) const {
    const int64_t size = m.r.cols * width;
    if (!rk4) {
      apply_p(x.data());
      const float a = static_cast<float>(h) * c_p, b = 1.0f + static_cast<float>(h) * c_i;
      for (int64_t e = 0; e < size; ++e) x[e] = b * x[e] + a * pt[e];
      return;
    }
    // Horner: t = x; for j = 4..1: t = x + (h / j) A t; x = t.
    std::copy(x.begin(), x.begin() + size, t.begin());
    for (int j = 4; j >= 1; --j) {
      apply_p(t.data());
      const float s = static_cast<float>(h / j);
      const float a = s * c_p, b = s * c_i;
      for (int64_t e = 0; e < size; ++e) t[e] = x[e] + b * t[e] + a * pt[e];
    }
    std::copy(t.begin(), t.begin() + size, x.begin());
  }
};

}  // namespace

void BspmScorer::score(const int32_t* users, int64_t n, float* out) const {
  if (n <= 0) return;
  for (int64_t b = 0; b < n; ++b)
    if (users[b] < 0 || users[b] >= n_users_)
      throw InvalidArgument(fmt::format("bspm: user {} outside [0, {})", users[b], n_users_));
  thread_local Workspace ws;
  const int64_t ni = n_items_, size = ni * n, k = params_.k;
  for (auto* v : {&ws.x0, &ws.idl, &ws.x, &ws.t, &ws.pt, &ws.acc}) resize(*v, size);
  resize(ws.tmp, n_users_ * n);
  resize(ws.wt, n * k);

  std::fill(ws.x0.begin(), ws.x0.begin() + size, 0.0f);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t e = m_.r.offsets[users[b]]; e < m_.r.offsets[users[b] + 1]; ++e)
      ws.x0[static_cast<int64_t>(m_.r.indices[e]) * n + b] = 1.0f;

  // idl = D^1/2 V (V^T D^-1/2 x0): wt (n x k) then one GEMM.
  const float beta = static_cast<float>(params_.idl_beta);
  if (beta != 0.0f) {
    std::fill(ws.wt.begin(), ws.wt.begin() + n * k, 0.0f);
    for (int64_t b = 0; b < n; ++b) {
      float* w = ws.wt.data() + b * k;
      for (int64_t e = m_.r.offsets[users[b]]; e < m_.r.offsets[users[b] + 1]; ++e) {
        const int64_t i = m_.r.indices[e];
        const float s = inv_sqrt_degree_[i];
        const float* v = factors_.data() + i * k;
        for (int64_t j = 0; j < k; ++j) w[j] += s * v[j];
      }
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(ni),
                static_cast<int>(n), static_cast<int>(k), 1.0f, factors_.data(),
                static_cast<int>(k), ws.wt.data(), static_cast<int>(k), 0.0f, ws.idl.data(),
                static_cast<int>(n));
    for (int64_t i = 0; i < ni; ++i) {
      const float s = sqrt_degree_[i] * beta;
      float* row = ws.idl.data() + i * n;
      for (int64_t b = 0; b < n; ++b) row[b] *= s;
    }
  }

  const bool combine = params_.t_point_combination;
  int64_t states = 0;
  auto accumulate = [&] {
    if (!combine) return;
    if (states == 0) std::fill(ws.acc.begin(), ws.acc.begin() + size, 0.0f);
    for (int64_t e = 0; e < size; ++e) ws.acc[e] += ws.x[e];
    ++states;
  };

  std::copy(ws.x0.begin(), ws.x0.begin() + size, ws.x.begin());
  {
    const LinearOde blur{m_, 1.0f, -1.0f, n, ws.pt, ws.tmp};
    const double h = params_.blur_time / params_.blur_steps;
    for (int s = 0; s < params_.blur_steps; ++s) {
      blur.step(ws.x, ws.t, h, params_.blur_solver == "rk4");
      accumulate();
    }
  }
  const bool sharpen = params_.sharpen_time > 0;
  const bool idl_first = sharpen && params_.final_sharpening && beta != 0.0f;
  if (idl_first)
    for (int64_t e = 0; e < size; ++e) ws.x[e] += ws.idl[e];
  if (sharpen) {
    const LinearOde sharp{m_, -1.0f, 0.0f, n, ws.pt, ws.tmp};
    const double h = params_.sharpen_time / params_.sharpen_steps;
    for (int s = 0; s < params_.sharpen_steps; ++s) {
      sharp.step(ws.x, ws.t, h, params_.sharpen_solver == "rk4");
      accumulate();
    }
  }
  const float* result = ws.x.data();
  if (combine) {
    const float inv = 1.0f / static_cast<float>(states);
    for (int64_t e = 0; e < size; ++e) ws.acc[e] *= inv;
    result = ws.acc.data();
  }
  const bool idl_last = !idl_first && beta != 0.0f;
  for (int64_t b = 0; b < n; ++b) {
    float* row = out + b * ni;
    if (m_.user_degree[users[b]] == 0) {
      std::copy(m_.item_degree.begin(), m_.item_degree.end(), row);
      continue;
    }
    for (int64_t i = 0; i < ni; ++i)
      row[i] = result[i * n + b] + (idl_last ? ws.idl[i * n + b] : 0.0f);
  }
}

}  // namespace recsys::model
