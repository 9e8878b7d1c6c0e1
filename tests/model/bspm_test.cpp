// BSPM: the block filter against a dense double-precision reference (classic RK4 stages, Euler),
// the truncated SVD against a dense eigen-check and against scipy on lastfm, and [bspm] config
// errors naming the key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <sstream>
#include <string>

#include "recsys/core/error.h"
#include "recsys/model/bspm_config.h"
#include "recsys/model/bspm_filter.h"
#include "recsys/model/npy_file.h"
#include "recsys/model/train_config.h"
#include "recsys/model/truncated_svd.h"

namespace recsys::model {
namespace {

namespace fs = std::filesystem;
using Dense = std::vector<std::vector<double>>;  // row-major rows

Dense zeros(int64_t r, int64_t c) { return Dense(r, std::vector<double>(c, 0.0)); }

Dense mul(const Dense& a, const Dense& b) {
  Dense c = zeros(static_cast<int64_t>(a.size()), static_cast<int64_t>(b[0].size()));
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t k = 0; k < b.size(); ++k)
      for (size_t j = 0; j < b[0].size(); ++j) c[i][j] += a[i][k] * b[k][j];
  return c;
}

Dense axpby(double a, const Dense& x, double b, const Dense& y) {
  Dense z = x;
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = 0; j < x[0].size(); ++j) z[i][j] = a * x[i][j] + b * y[i][j];
  return z;
}

// 7 users x 6 items; user 5 has no items, user 6 repeats an item.
eval::UserItemLists tiny_lists() {
  return eval::UserItemLists::from_lists(
      {{0, 1, 2}, {1, 3}, {0, 2, 4, 5}, {3, 4}, {1, 2, 5}, {}, {4, 0, 4}});
}
constexpr int64_t kUsers = 7, kItems = 6;

// An orthonormal items x k matrix (Gram-Schmidt of a fixed random one), row-major floats.
std::vector<float> orthonormal_factors(int64_t k) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  Dense cols = zeros(k, kItems);
  for (int64_t c = 0; c < k; ++c) {
    for (auto& x : cols[c]) x = u(rng);
    for (int64_t p = 0; p < c; ++p) {
      double dot = 0;
      for (int64_t i = 0; i < kItems; ++i) dot += cols[c][i] * cols[p][i];
      for (int64_t i = 0; i < kItems; ++i) cols[c][i] -= dot * cols[p][i];
    }
    double norm = 0;
    for (double x : cols[c]) norm += x * x;
    for (auto& x : cols[c]) x /= std::sqrt(norm);
  }
  std::vector<float> v(static_cast<size_t>(kItems * k));
  for (int64_t i = 0; i < kItems; ++i)
    for (int64_t c = 0; c < k; ++c) v[i * k + c] = static_cast<float>(cols[c][i]);
  return v;
}

// The filter of bspm_filter.h written out densely for all users: rows = users.
Dense reference_scores(const BspmParameters& p, const std::vector<float>& factors) {
  const auto lists = tiny_lists();
  Dense r = zeros(kUsers, kItems);
  for (int64_t u = 0; u < kUsers; ++u)
    for (int32_t i : lists.items_of(u)) r[u][i] = 1.0;
  std::vector<double> du(kUsers, 0), di(kItems, 0);
  for (int64_t u = 0; u < kUsers; ++u)
    for (int64_t i = 0; i < kItems; ++i) du[u] += r[u][i], di[i] += r[u][i];
  Dense rn = zeros(kUsers, kItems);
  for (int64_t u = 0; u < kUsers; ++u)
    for (int64_t i = 0; i < kItems; ++i)
      if (r[u][i] != 0) rn[u][i] = 1.0 / std::sqrt(du[u] * di[i]);
  Dense rnt = zeros(kItems, kUsers);
  for (int64_t u = 0; u < kUsers; ++u)
    for (int64_t i = 0; i < kItems; ++i) rnt[i][u] = rn[u][i];
  const Dense pmat = mul(rnt, rn);
  // M = D^-1/2 V V^T D^1/2
  Dense m = zeros(kItems, kItems);
  for (int64_t i = 0; i < kItems; ++i)
    for (int64_t j = 0; j < kItems; ++j) {
      double s = 0;
      for (int64_t c = 0; c < p.k; ++c) s += factors[i * p.k + c] * factors[j * p.k + c];
      m[i][j] = (di[i] > 0 ? 1 / std::sqrt(di[i]) : 0) * s * std::sqrt(di[j]);
    }
  const Dense idl = mul(r, m);
  // Classic RK4 / Euler for dx/dt = c_p x P + c_i x.
  auto f = [&](const Dense& x, double cp, double ci) { return axpby(cp, mul(x, pmat), ci, x); };
  auto step = [&](const Dense& x, double h, const std::string& solver, double cp, double ci) {
    if (solver == "euler") return axpby(1, x, h, f(x, cp, ci));
    const Dense k1 = f(x, cp, ci);
    const Dense k2 = f(axpby(1, x, h / 2, k1), cp, ci);
    const Dense k3 = f(axpby(1, x, h / 2, k2), cp, ci);
    const Dense k4 = f(axpby(1, x, h, k3), cp, ci);
    Dense y = x;
    for (size_t a = 0; a < y.size(); ++a)
      for (size_t b = 0; b < y[0].size(); ++b)
        y[a][b] += h / 6 * (k1[a][b] + 2 * k2[a][b] + 2 * k3[a][b] + k4[a][b]);
    return y;
  };
  Dense x = r, acc = zeros(kUsers, kItems);
  int states = 0;
  for (int s = 0; s < p.blur_steps; ++s) {
    x = step(x, p.blur_time / p.blur_steps, p.blur_solver, 1, -1);
    acc = axpby(1, acc, 1, x), ++states;
  }
  const bool sharpen = p.sharpen_time > 0;
  if (sharpen && p.final_sharpening) x = axpby(1, x, p.idl_beta, idl);
  if (sharpen)
    for (int s = 0; s < p.sharpen_steps; ++s) {
      x = step(x, p.sharpen_time / p.sharpen_steps, p.sharpen_solver, -1, 0);
      acc = axpby(1, acc, 1, x), ++states;
    }
  Dense out = p.t_point_combination ? axpby(1.0 / states, acc, 0, acc) : x;
  if (!(sharpen && p.final_sharpening)) out = axpby(1, out, p.idl_beta, idl);
  for (int64_t i = 0; i < kItems; ++i) out[5][i] = di[i];  // user 5: no items -> popularity
  return out;
}

void expect_filter_matches(const BspmParameters& p) {
  const auto lists = tiny_lists();
  const auto factors = orthonormal_factors(p.k);
  const BspmScorer scorer(lists, kUsers, kItems, p, factors);
  const Dense ref = reference_scores(p, factors);
  // Users in a scrambled order, scored as one block and one at a time.
  const std::vector<int32_t> users{3, 0, 6, 5, 1, 4, 2};
  std::vector<float> block(users.size() * kItems);
  scorer.score(users.data(), static_cast<int64_t>(users.size()), block.data());
  for (size_t b = 0; b < users.size(); ++b) {
    std::vector<float> single(kItems);
    scorer.score(&users[b], 1, single.data());
    for (int64_t i = 0; i < kItems; ++i) {
      const double want = ref[users[b]][i];
      EXPECT_NEAR(block[b * kItems + i], want, 1e-5 * (1 + std::abs(want)))
          << "user " << users[b] << " item " << i << " " << p.to_json().dump();
      EXPECT_NEAR(single[i], block[b * kItems + i], 1e-6 * (1 + std::abs(want)));
    }
  }
}

TEST(BspmFilter, MatchesDenseReferencePaperSetting) {
  BspmParameters p;  // rk4 sharpening, T_s = 2.5, final sharpening, idl_beta 0.2
  p.k = 3;
  expect_filter_matches(p);
}

TEST(BspmFilter, MatchesDenseReferenceOtherSettings) {
  BspmParameters p;
  p.k = 2;
  p.blur_solver = "rk4";
  p.blur_time = 0.7;
  p.blur_steps = 2;
  p.sharpen_solver = "euler";
  p.sharpen_steps = 3;
  p.sharpen_time = 1.2;
  p.t_point_combination = true;
  expect_filter_matches(p);
  p.final_sharpening = false;
  p.idl_beta = 0.5;
  expect_filter_matches(p);
  // GF-CF: x0 P + 0.3 x0 M (Euler blur over [0, 1], no sharpening).
  BspmParameters g;
  g.k = 4;
  g.idl_beta = 0.3;
  g.sharpen_time = 0;
  g.final_sharpening = false;
  expect_filter_matches(g);
}

TEST(BspmFilter, RejectsBadInput) {
  const auto lists = tiny_lists();
  BspmParameters p;
  p.k = 3;
  EXPECT_THROW(BspmScorer(lists, kUsers, kItems, p, orthonormal_factors(2)), InvalidArgument);
  EXPECT_THROW(BspmScorer(lists, kUsers, 4, p, std::vector<float>(12)), InvalidArgument);
  const BspmScorer scorer(lists, kUsers, kItems, p, orthonormal_factors(3));
  const int32_t bad = kUsers;
  std::vector<float> out(kItems);
  EXPECT_THROW(scorer.score(&bad, 1, out.data()), InvalidArgument);
}

TEST(TruncatedSvd, FullRankBlockGivesExactEigenpairs) {
  // 7 x 6 normalised matrix; k = 4 with oversampling up to all 6 columns is exact.
  const auto m = normalize_interactions(tiny_lists(), kUsers, kItems);
  const auto svd = truncated_svd(m.r, m.r_t, {.k = 4, .oversample = 10, .iterations = 2, .seed = 1});
  ASSERT_EQ(svd.singular_values.size(), 4u);
  // The largest singular value of D_U^-1/2 R D_I^-1/2 is 1.
  EXPECT_NEAR(svd.singular_values[0], 1.0, 1e-5);
  for (int64_t c = 0; c + 1 < 4; ++c)
    EXPECT_GE(svd.singular_values[c], svd.singular_values[c + 1]);
  // P v = sigma^2 v and V^T V = I.
  std::vector<float> pv(kItems * 4), tmp(kUsers * 4);
  multiply_dense(m.r, svd.right_vectors.data(), 4, tmp.data(), false);
  multiply_dense(m.r_t, tmp.data(), 4, pv.data(), false);
  for (int64_t c = 0; c < 4; ++c) {
    const double s2 = double(svd.singular_values[c]) * svd.singular_values[c];
    for (int64_t i = 0; i < kItems; ++i)
      EXPECT_NEAR(pv[i * 4 + c], s2 * svd.right_vectors[i * 4 + c], 1e-5) << c << " " << i;
    for (int64_t d = 0; d < 4; ++d) {
      double dot = 0;
      for (int64_t i = 0; i < kItems; ++i)
        dot += double(svd.right_vectors[i * 4 + c]) * svd.right_vectors[i * 4 + d];
      EXPECT_NEAR(dot, c == d ? 1.0 : 0.0, 1e-5);
    }
  }
  EXPECT_THROW(truncated_svd(m.r, m.r_t, {.k = 7}), InvalidArgument);
  EXPECT_THROW(truncated_svd(m.r, m.r, {.k = 2}), InvalidArgument);
}

eval::UserItemLists read_cf_lists(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<int32_t>> lists;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int64_t user;
    if (!(fields >> user)) continue;
    if (static_cast<int64_t>(lists.size()) <= user) lists.resize(static_cast<size_t>(user) + 1);
    int32_t item;
    while (fields >> item) lists[static_cast<size_t>(user)].push_back(item);
  }
  return eval::UserItemLists::from_lists(lists);
}

std::string python_with_scipy() {
  for (const char* candidate : {"/usr/bin/python3", "python3"}) {
    std::string probe = std::string(candidate) + " -c 'import scipy.sparse' >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) return candidate;
  }
  return "";
}

TEST(TruncatedSvd, MatchesScipyOnLastfm) {
  const fs::path train = fs::path(RECSYS_SHARED_DATA_DIR) / "cf" / "lastfm" / "train.txt";
  if (!fs::exists(train)) GTEST_SKIP() << "no " << train;
  const std::string python = python_with_scipy();
  ASSERT_FALSE(python.empty()) << "no python3 with scipy (scripts/setup installs python3-scipy)";
  const auto lists = read_cf_lists(train);
  const int64_t n_items = lists.max_item() + 1;
  const auto m = normalize_interactions(lists, lists.n_users(), n_items);
  // More iterations than the [bspm] default (8), which trades accuracy for time: this checks
  // that the iteration converges to scipy's answer, not how fast.
  const int64_t k = 64;
  const auto svd = truncated_svd(m.r, m.r_t, {.k = k, .oversample = 64, .iterations = 30, .seed = 42});
  const fs::path dir = fs::temp_directory_path() / ("recsys_svd_" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_npy(dir / "offsets.npy", std::span<const int64_t>(m.r.offsets), {m.r.rows + 1});
  write_npy(dir / "indices.npy", std::span<const int32_t>(m.r.indices), {m.r.nonzeros()});
  write_npy(dir / "values.npy", std::span<const float>(m.r.values), {m.r.nonzeros()});
  const std::vector<int64_t> shape{m.r.rows, m.r.cols};
  write_npy(dir / "shape.npy", std::span<const int64_t>(shape), {2});
  write_npy(dir / "singular_values.npy", std::span<const float>(svd.singular_values), {k});
  write_npy(dir / "right_vectors.npy", std::span<const float>(svd.right_vectors), {n_items, k});
  // Singular values within 0.1%; the leading half of the subspace within a 2.5 degree angle.
  const std::string cmd = python + " " + RECSYS_SOURCE_DIR +
                          "/tests/model/check_truncated_svd.py --dir " + dir.string() +
                          " --sigma-tol 1e-3 --subspace-k " + std::to_string(k / 2) +
                          " --min-cosine 0.999";
  const int status = std::system(cmd.c_str());
  fs::remove_all(dir);
  EXPECT_EQ(status, 0) << cmd;
}

TEST(BspmConfig, BadKeysNameTheKey) {
  auto error_of = [](const std::string& toml) -> std::string {
    TrainConfig c;
    try {
      c.apply_toml_string(toml, "test.toml");
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of("[bspm]\nk = 0\n").find("bspm.k"), std::string::npos);
  EXPECT_NE(error_of("[bspm]\nT_s = -1.0\n").find("bspm.T_s"), std::string::npos);
  EXPECT_NE(error_of("[bspm]\nK_s = 0\n").find("bspm.K_s"), std::string::npos);
  EXPECT_NE(error_of("[bspm]\nsharpen_solver = \"dopri5\"\n").find("bspm.sharpen_solver"),
            std::string::npos);
  EXPECT_NE(error_of("[bspm]\nidl_beta = \"x\"\n").find("bspm.idl_beta"), std::string::npos);
  EXPECT_NE(error_of("[bspm]\nfinal_sharpening = 1\n").find("bspm.final_sharpening"),
            std::string::npos);
  EXPECT_NE(error_of("[bspm]\nsharpness = 1\n").find("bspm.sharpness"), std::string::npos);
  EXPECT_NE(error_of("[bspm]\ntune_T_s = []\n").find("bspm.tune_T_s"), std::string::npos);
  EXPECT_NE(error_of("[bspm]\ntune_idl_beta = [0.1, -1]\n").find("bspm.tune_idl_beta"),
            std::string::npos);
  EXPECT_NE(error_of("[bspm]\ntune_holdout_fraction = 1.0\n").find("bspm.tune_holdout_fraction"),
            std::string::npos);
  EXPECT_NE(error_of("[bspm]\ntune = \"yes\"\n").find("bspm.tune"), std::string::npos);
  // Good keys: defaults overridden, the rest kept.
  TrainConfig c;
  c.apply_toml_string("model = \"bspm\"\n[bspm]\nk = 64\nT_s = 1.5\n", "test.toml");
  const auto p = BspmParameters::from_json(c.section("bspm"));
  EXPECT_EQ(p.k, 64);
  EXPECT_DOUBLE_EQ(p.sharpen_time, 1.5);
  EXPECT_DOUBLE_EQ(p.idl_beta, 0.2);
  EXPECT_EQ(p.sharpen_solver, "rk4");
  EXPECT_FALSE(p.tune);
  c.apply_toml_string("[bspm]\ntune = true\ntune_T_s = [1, 2]\n", "more.toml");
  const auto q = BspmParameters::from_json(c.section("bspm"));
  EXPECT_TRUE(q.tune);
  EXPECT_EQ(q.tune_sharpen_times, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(q.k, 64);  // kept from the first file
}

}  // namespace
}  // namespace recsys::model
