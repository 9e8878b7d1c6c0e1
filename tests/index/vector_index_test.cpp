#include "recsys/index/vector_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "recsys/core/error.h"

namespace recsys::index {
namespace {

namespace fs = std::filesystem;

// rows x dim Gaussian vectors; the last `zero_tail` columns are zero in every row.
std::vector<float> random_matrix(int64_t rows, int dim, uint32_t seed, int zero_tail = 0) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> m(static_cast<size_t>(rows * dim));
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < dim; ++c) m[r * dim + c] = c < dim - zero_tail ? normal(rng) : 0.0f;
  return m;
}

// Brute force: the k best rows among the allowed ones (ties: smaller row first).
std::vector<Hit> brute_force(const std::vector<float>& m, int dim, const float* q, int k,
                             const std::vector<uint8_t>* allowed = nullptr) {
  std::vector<Hit> all;
  const int64_t rows = static_cast<int64_t>(m.size()) / dim;
  for (int64_t r = 0; r < rows; ++r) {
    if (allowed && !(*allowed)[r]) continue;
    double s = 0;
    for (int c = 0; c < dim; ++c) s += double(m[r * dim + c]) * q[c];
    all.push_back({static_cast<int32_t>(r), static_cast<float>(s)});
  }
  std::sort(all.begin(), all.end(), [](const Hit& a, const Hit& b) {
    return a.score > b.score || (a.score == b.score && a.row < b.row);
  });
  if (static_cast<int>(all.size()) > k) all.resize(k);
  return all;
}

double recall(const std::vector<Hit>& got, const std::vector<Hit>& truth) {
  std::set<int32_t> t;
  for (const Hit& h : truth) t.insert(h.row);
  int found = 0;
  for (const Hit& h : got) found += t.count(h.row) > 0;
  return truth.empty() ? 1.0 : double(found) / truth.size();
}

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() /
         ("recsys-index-test-" + std::to_string(::getpid()) + "-" + name);
}

TEST(VectorIndexTest, FlatSearchIsExact) {
  const int dim = 37;  // not a multiple of 16: the padded scan must still be exact
  const auto m = random_matrix(1000, dim, 1);
  IndexParams p;
  p.kind = IndexKind::kFlat;
  const auto index = VectorIndex::build(m.data(), 1000, dim, p);
  EXPECT_EQ(index.rows(), 1000);
  EXPECT_EQ(index.dim(), dim);
  const auto queries = random_matrix(20, dim, 2);
  for (int i = 0; i < 20; ++i) {
    const float* q = queries.data() + i * dim;
    const auto got = index.search(q, 10);
    const auto want = brute_force(m, dim, q, 10);
    ASSERT_EQ(got.size(), want.size());
    for (size_t j = 0; j < got.size(); ++j) {
      EXPECT_EQ(got[j].row, want[j].row);
      EXPECT_NEAR(got[j].score, want[j].score, 1e-4);
    }
  }
}

TEST(VectorIndexTest, KLargerThanRowsReturnsAllRowsBestFirst) {
  const auto m = random_matrix(5, 8, 3);
  const auto index = VectorIndex::build(m.data(), 5, 8, IndexParams{});
  const auto q = random_matrix(1, 8, 4);
  const auto got = index.search(q.data(), 20);
  ASSERT_EQ(got.size(), 5u);
  for (size_t j = 1; j < got.size(); ++j) EXPECT_GE(got[j - 1].score, got[j].score);
  EXPECT_TRUE(index.search(q.data(), 0).empty());
}

TEST(VectorIndexTest, DropsZeroTailButKeepsFullDimAndVectors) {
  const int dim = 48;
  const auto m = random_matrix(300, dim, 5, /*zero_tail=*/16);
  const auto index = VectorIndex::build(m.data(), 300, dim, IndexParams{});
  EXPECT_EQ(index.dim(), dim);
  for (int32_t r : {0, 17, 299})
    for (int c = 0; c < dim; ++c) EXPECT_EQ(index.vector(r)[c], m[r * dim + c]);
  // The query's tail is non-zero; it must not change the scores (stored tail is zero).
  const auto q = random_matrix(1, dim, 6);
  const auto got = index.search(q.data(), 5);
  const auto want = brute_force(m, dim, q.data(), 5);
  for (size_t j = 0; j < want.size(); ++j) EXPECT_EQ(got[j].row, want[j].row);
}

TEST(VectorIndexTest, HnswRecallOnRandomData) {
  const int dim = 32, rows = 5000;
  const auto m = random_matrix(rows, dim, 7);
  IndexParams p;
  p.kind = IndexKind::kHnsw;
  p.hnsw_m = 16;
  p.ef_construction = 64;
  const auto index = VectorIndex::build(m.data(), rows, dim, p);
  const auto queries = random_matrix(50, dim, 8);
  double total = 0;
  for (int i = 0; i < 50; ++i) {
    const float* q = queries.data() + i * dim;
    const auto got = index.search(q, 20);
    ASSERT_EQ(got.size(), 20u);
    total += recall(got, brute_force(m, dim, q, 20));
  }
  EXPECT_GE(total / 50, 0.95);
}

TEST(VectorIndexTest, IvfRecallOnRandomData) {
  const int dim = 16, rows = 4000;
  const auto m = random_matrix(rows, dim, 9);
  IndexParams p;
  p.kind = IndexKind::kIvf;
  p.nprobe = 64;
  const auto index = VectorIndex::build(m.data(), rows, dim, p);
  EXPECT_GT(index.params().nlist, 0);
  const auto queries = random_matrix(30, dim, 10);
  double total = 0;
  for (int i = 0; i < 30; ++i) {
    const float* q = queries.data() + i * dim;
    const auto got = index.search(q, 20);
    ASSERT_EQ(got.size(), 20u);
    total += recall(got, brute_force(m, dim, q, 20));
  }
  EXPECT_GE(total / 30, 0.9);
}

// Every kind, every filter size (exact path and ANN path): only allowed rows, exactly
// min(k, allowed) of them, and the exact answer when the filter is small.
TEST(VectorIndexTest, FilteredSearchReturnsOnlyAllowedRowsAndExactlyK) {
  const int dim = 24, rows = 6000, k = 20;
  const auto m = random_matrix(rows, dim, 11);
  const auto queries = random_matrix(10, dim, 12);
  for (IndexKind kind : {IndexKind::kFlat, IndexKind::kHnsw, IndexKind::kIvf}) {
    IndexParams p;
    p.kind = kind;
    p.hnsw_m = 16;
    p.ef_construction = 64;
    p.exact_min_rows = 100;
    p.exact_share = 0.02;
    const auto index = VectorIndex::build(m.data(), rows, dim, p);
    for (int every : {1000, 200, 40, 3, 2}) {  // 6, 30, 150, 2000, 3000 allowed rows
      std::vector<uint8_t> allowed(rows, 0);
      int64_t count = 0;
      for (int r = 0; r < rows; r += every) allowed[r] = 1, ++count;
      for (int i = 0; i < 10; ++i) {
        const float* q = queries.data() + i * dim;
        const auto got = index.search(q, k, allowed.data(), i % 2 ? count : -1);
        ASSERT_EQ(static_cast<int64_t>(got.size()), std::min<int64_t>(k, count))
            << to_string(kind) << " every " << every;
        for (const Hit& h : got) ASSERT_TRUE(allowed[h.row]) << to_string(kind);
        const auto want = brute_force(m, dim, q, k, &allowed);
        if (count <= 150 || kind == IndexKind::kFlat) {
          for (size_t j = 0; j < want.size(); ++j) EXPECT_EQ(got[j].row, want[j].row);
        } else {
          EXPECT_GE(recall(got, want), 0.8) << to_string(kind) << " every " << every;
        }
      }
    }
    std::vector<uint8_t> none(rows, 0);
    EXPECT_TRUE(index.search(queries.data(), k, none.data()).empty());
  }
}

TEST(VectorIndexTest, SearchRowsIsExactOverTheListedRows) {
  const int dim = 20;
  const auto m = random_matrix(500, dim, 13);
  IndexParams p;
  p.kind = IndexKind::kHnsw;
  const auto index = VectorIndex::build(m.data(), 500, dim, p);
  const std::vector<int32_t> rows = {499, 3, 250, 7, 100, 42, 0};
  std::vector<uint8_t> allowed(500, 0);
  for (int32_t r : rows) allowed[r] = 1;
  const auto q = random_matrix(1, dim, 14);
  const auto got = index.search_rows(q.data(), 4, rows.data(), static_cast<int64_t>(rows.size()));
  const auto want = brute_force(m, dim, q.data(), 4, &allowed);
  ASSERT_EQ(got.size(), 4u);
  for (size_t j = 0; j < 4; ++j) EXPECT_EQ(got[j].row, want[j].row);
  const int32_t bad = 500;
  EXPECT_THROW(index.search_rows(q.data(), 1, &bad, 1), InvalidArgument);
}

TEST(VectorIndexTest, SaveLoadRoundTripGivesTheSameAnswers) {
  const int dim = 40, rows = 3000;
  const auto m = random_matrix(rows, dim, 15, /*zero_tail=*/8);
  const auto queries = random_matrix(10, dim, 16);
  for (IndexKind kind : {IndexKind::kFlat, IndexKind::kHnsw, IndexKind::kIvf}) {
    IndexParams p;
    p.kind = kind;
    p.hnsw_m = 16;
    p.ef_construction = 64;
    const auto index = VectorIndex::build(m.data(), rows, dim, p);
    const fs::path file = temp_path("vector-index-" + to_string(kind));
    index.save(file);
    const auto loaded = VectorIndex::load(file);
    fs::remove(file);
    EXPECT_EQ(loaded.rows(), rows);
    EXPECT_EQ(loaded.dim(), dim);
    EXPECT_EQ(loaded.params().kind, kind);
    EXPECT_EQ(loaded.params().nlist, index.params().nlist);
    for (int32_t r : {0, 1234, rows - 1})
      for (int c = 0; c < dim; ++c) ASSERT_EQ(loaded.vector(r)[c], m[r * dim + c]);
    for (int i = 0; i < 10; ++i) {
      const auto a = index.search(queries.data() + i * dim, 10);
      const auto b = loaded.search(queries.data() + i * dim, 10);
      ASSERT_EQ(a.size(), b.size());
      for (size_t j = 0; j < a.size(); ++j) EXPECT_EQ(a[j].row, b[j].row) << to_string(kind);
    }
  }
}

TEST(VectorIndexTest, LoadRejectsOtherFiles) {
  const fs::path file = temp_path("not-an-index");
  { std::ofstream(file) << "hello, this is not an index file at all"; }
  try {
    VectorIndex::load(file);
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos);
  }
  // A valid header followed by a damaged FAISS payload.
  const auto m = random_matrix(100, 8, 17);
  VectorIndex::build(m.data(), 100, 8, IndexParams{}).save(file);
  const auto size = fs::file_size(file);
  fs::resize_file(file, size - 200);
  EXPECT_THROW(VectorIndex::load(file), FormatError);
  fs::remove(file);
  EXPECT_THROW(VectorIndex::load(file), IoError);
}

TEST(VectorIndexTest, ConcurrentSearchesAgree) {
  const int dim = 32, rows = 4000;
  const auto m = random_matrix(rows, dim, 18);
  IndexParams p;
  p.kind = IndexKind::kHnsw;
  p.hnsw_m = 16;
  p.ef_construction = 64;
  const auto index = VectorIndex::build(m.data(), rows, dim, p);
  const auto queries = random_matrix(64, dim, 19);
  std::vector<std::vector<Hit>> serial(64), parallel(64);
  for (int i = 0; i < 64; ++i) serial[i] = index.search(queries.data() + i * dim, 10);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < 64; i += 4) parallel[i] = index.search(queries.data() + i * dim, 10);
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 64; ++i) {
    ASSERT_EQ(serial[i].size(), parallel[i].size());
    for (size_t j = 0; j < serial[i].size(); ++j) EXPECT_EQ(serial[i][j].row, parallel[i][j].row);
  }
}

TEST(VectorIndexTest, BadParametersAreConfigErrors) {
  const auto m = random_matrix(10, 4, 20);
  IndexParams p;
  p.hnsw_m = 1;
  EXPECT_THROW(VectorIndex::build(m.data(), 10, 4, p), ConfigError);
  p = IndexParams{};
  p.kind = IndexKind::kIvf;
  p.nlist = 11;
  EXPECT_THROW(VectorIndex::build(m.data(), 10, 4, p), ConfigError);
  p = IndexParams{};
  p.kind = IndexKind::kHnsw;
  EXPECT_THROW(VectorIndex::build(m.data(), 0, 4, p), ConfigError);
  EXPECT_THROW(parse_index_kind("annoy"), ConfigError);
  EXPECT_EQ(parse_index_kind("hnsw"), IndexKind::kHnsw);
  auto index = VectorIndex::build(m.data(), 10, 4, IndexParams{});
  EXPECT_THROW(index.set_search_breadth(0, 1), ConfigError);
}

TEST(VectorIndexTest, AutoParamsPickFlatForSmallAndAnnForLarge) {
  EXPECT_EQ(auto_params(1000, 64).kind, IndexKind::kFlat);
  EXPECT_NE(auto_params(10'000'000, 64).kind, IndexKind::kFlat);
}

}  // namespace
}  // namespace recsys::index
