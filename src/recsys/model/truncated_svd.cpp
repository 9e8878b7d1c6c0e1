#include "recsys/model/truncated_svd.h"

#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "recsys/core/error.h"

// LAPACK (from libopenblas; Debian ships no lapacke.h with it).
extern "C" {
void sgeqrf_(const int* m, const int* n, float* a, const int* lda, float* tau, float* work,
             const int* lwork, int* info);
void sorgqr_(const int* m, const int* n, const int* k, float* a, const int* lda, const float* tau,
             float* work, const int* lwork, int* info);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda,
             double* w, double* work, const int* lwork, int* iwork, const int* liwork, int* info);
}

namespace recsys::model {
namespace {

void check_info(int info, const char* routine) {
  if (info != 0) throw Error(fmt::format("truncated_svd: LAPACK {} failed (info {})", routine, info));
}

// Replaces the columns of q (n x l, row-major) by an orthonormal basis of their span.
void orthonormalize(std::vector<float>& q, int64_t n, int64_t l) {
  std::vector<float> col(q.size());  // column-major copy for LAPACK
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < l; ++j) col[j * n + i] = q[i * l + j];
  const int m = static_cast<int>(n), nc = static_cast<int>(l);
  std::vector<float> tau(static_cast<size_t>(l));
  int info = 0, query = -1;
  float size = 0;
  sgeqrf_(&m, &nc, col.data(), &m, tau.data(), &size, &query, &info);
  check_info(info, "sgeqrf");
  float size2 = 0;
  sorgqr_(&m, &nc, &nc, col.data(), &m, tau.data(), &size2, &query, &info);
  check_info(info, "sorgqr");
  int lwork = static_cast<int>(std::max(size, size2)) + 1;
  std::vector<float> work(static_cast<size_t>(lwork));
  sgeqrf_(&m, &nc, col.data(), &m, tau.data(), work.data(), &lwork, &info);
  check_info(info, "sgeqrf");
  sorgqr_(&m, &nc, &nc, col.data(), &m, tau.data(), work.data(), &lwork, &info);
  check_info(info, "sorgqr");
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < l; ++j) q[i * l + j] = col[j * n + i];
}

}  // namespace

TruncatedSvd truncated_svd(const SparseMatrix& a, const SparseMatrix& a_t,
                           const TruncatedSvdOptions& o) {
  const int64_t n = a.cols;
  if (a_t.rows != a.cols || a_t.cols != a.rows || a_t.nonzeros() != a.nonzeros())
    throw InvalidArgument("truncated_svd: a_t is not the transpose of a");
  if (o.k < 1 || o.k > std::min(a.rows, a.cols))
    throw InvalidArgument(fmt::format("truncated_svd: k = {} outside [1, min({}, {})]", o.k,
                                      a.rows, a.cols));
  if (o.oversample < 0 || o.iterations < 0)
    throw InvalidArgument("truncated_svd: oversample and iterations must be >= 0");
  const int64_t l = std::min(o.k + o.oversample, n);

  std::vector<float> q(static_cast<size_t>(n * l));
  std::mt19937_64 rng(o.seed);
  for (auto& x : q) x = static_cast<float>(static_cast<double>(rng() >> 11) * 0x1.0p-52 - 1.0);
  orthonormalize(q, n, l);
  std::vector<float> y(static_cast<size_t>(a.rows * l));
  for (int it = 0; it < o.iterations; ++it) {
    multiply_dense(a, q.data(), l, y.data(), true);
    multiply_dense(a_t, y.data(), l, q.data(), true);
    orthonormalize(q, n, l);
  }
  multiply_dense(a, q.data(), l, y.data(), true);

  // Rayleigh-Ritz: G = (A Q)^T (A Q), eigenpairs in double.
  std::vector<float> g(static_cast<size_t>(l * l));
  cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<int>(l), static_cast<int>(a.rows),
              1.0f, y.data(), static_cast<int>(l), 0.0f, g.data(), static_cast<int>(l));
  std::vector<double> gd(g.size());
  for (int64_t i = 0; i < l; ++i)
    for (int64_t j = i; j < l; ++j) gd[i * l + j] = gd[j * l + i] = g[i * l + j];
  std::vector<double> eig(static_cast<size_t>(l));
  const int ln = static_cast<int>(l);
  int info = 0, query = -1, iwork_size = 0;
  double work_size = 0;
  dsyevd_("V", "U", &ln, gd.data(), &ln, eig.data(), &work_size, &query, &iwork_size, &query,
          &info);
  check_info(info, "dsyevd");
  int lwork = static_cast<int>(work_size) + 1, liwork = iwork_size + 1;
  std::vector<double> work(static_cast<size_t>(lwork));
  std::vector<int> iwork(static_cast<size_t>(liwork));
  dsyevd_("V", "U", &ln, gd.data(), &ln, eig.data(), work.data(), &lwork, iwork.data(), &liwork,
          &info);
  check_info(info, "dsyevd");

  // Eigenvalues ascend; column c of gd (stored as gd[c * l + i], symmetric input) is vector c.
  TruncatedSvd r;
  r.k = o.k;
  r.singular_values.resize(static_cast<size_t>(o.k));
  std::vector<float> w(static_cast<size_t>(l * o.k));
  for (int64_t j = 0; j < o.k; ++j) {
    const int64_t c = l - 1 - j;
    r.singular_values[j] = static_cast<float>(std::sqrt(std::max(0.0, eig[c])));
    for (int64_t i = 0; i < l; ++i) w[i * o.k + j] = static_cast<float>(gd[c * l + i]);
  }
  r.right_vectors.resize(static_cast<size_t>(n * o.k));
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(n),
              static_cast<int>(o.k), ln, 1.0f, q.data(), ln, w.data(), static_cast<int>(o.k), 0.0f,
              r.right_vectors.data(), static_cast<int>(o.k));
  return r;
}

}  // namespace recsys::model
