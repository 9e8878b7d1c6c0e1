// Neighbour sampling for hetero's mini-batches (neighbour_sampler.h): bags of at most `fanout`
// distinct neighbours, never the excluded target, uniform, deterministic per seed; fanout 0 is
// the full bag; the dense place mean over given bags matches the full-list mean.
#include "recsys/model/neighbour_sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "recsys/core/error.h"

namespace recsys::model {
namespace {

// Row 0: 10 entries (100..109), row 1: 2 entries, row 2: empty, row 3: 200 entries (0..199).
NeighbourLists lists() {
  NeighbourLists l;
  l.offsets = {0};
  for (int32_t v = 100; v < 110; ++v) l.indices.push_back(v);
  l.offsets.push_back(static_cast<int64_t>(l.indices.size()));
  l.indices.insert(l.indices.end(), {7, 8});
  l.offsets.push_back(static_cast<int64_t>(l.indices.size()));
  l.offsets.push_back(static_cast<int64_t>(l.indices.size()));
  for (int32_t v = 0; v < 200; ++v) l.indices.push_back(v);
  l.offsets.push_back(static_cast<int64_t>(l.indices.size()));
  return l;
}

std::vector<int64_t> bag(const Bags& b, size_t i) {
  const auto lo = static_cast<size_t>(b.offsets[i]);
  const auto hi = i + 1 < b.offsets.size() ? static_cast<size_t>(b.offsets[i + 1])
                                           : b.indices.size();
  return {b.indices.begin() + static_cast<std::ptrdiff_t>(lo),
          b.indices.begin() + static_cast<std::ptrdiff_t>(hi)};
}

TEST(NeighbourSampler, RespectsTheFanoutAndExcludesTheTarget) {
  const auto l = lists();
  const int32_t rows[] = {0, 1, 2, 3, 0, 3};
  const int32_t exclude[] = {104, 8, -1, 50, -1, -1};
  const uint8_t drop[] = {0, 0, 0, 0, 1, 0};
  std::mt19937_64 rng(7);
  for (int rep = 0; rep < 200; ++rep) {
    const Bags b = sample_bags(l, rows, 6, exclude, drop, 3, rng);
    ASSERT_EQ(b.offsets.size(), 6u);
    const auto b0 = bag(b, 0);
    ASSERT_EQ(b0.size(), 3u);
    EXPECT_TRUE(std::is_sorted(b0.begin(), b0.end()));  // list order, hence distinct here
    EXPECT_EQ(std::set<int64_t>(b0.begin(), b0.end()).size(), 3u);
    for (int64_t v : b0) {
      EXPECT_GE(v, 100);
      EXPECT_LT(v, 110);
      EXPECT_NE(v, 104);
    }
    EXPECT_EQ(bag(b, 1), (std::vector<int64_t>{7}));  // fewer than the fanout: all but the target
    EXPECT_TRUE(bag(b, 2).empty());
    const auto b3 = bag(b, 3);
    ASSERT_EQ(b3.size(), 3u);
    EXPECT_EQ(std::count(b3.begin(), b3.end(), 50), 0);
    EXPECT_TRUE(bag(b, 4).empty());  // dropped (cold-start) row
    EXPECT_EQ(bag(b, 5).size(), 3u);
  }
}

TEST(NeighbourSampler, LargeFanoutsDrawDistinctEntriesWithoutTheTarget) {
  const auto l = lists();
  const int32_t rows[] = {3};
  const int32_t exclude[] = {0};
  std::mt19937_64 rng(3);
  const Bags b = sample_bags(l, rows, 1, exclude, nullptr, 150, rng);
  ASSERT_EQ(b.indices.size(), 150u);
  EXPECT_EQ(std::set<int64_t>(b.indices.begin(), b.indices.end()).size(), 150u);
  EXPECT_EQ(std::count(b.indices.begin(), b.indices.end(), 0), 0);
}

TEST(NeighbourSampler, DrawsEveryOtherNeighbourEquallyOften) {
  // Row 0 without 104: 9 candidates, 3 per draw -> each expected in 1/3 of 3000 draws.
  const auto l = lists();
  const int32_t rows[] = {0};
  const int32_t exclude[] = {104};
  std::map<int64_t, int> count;
  std::mt19937_64 rng(11);
  for (int rep = 0; rep < 3000; ++rep)
    for (int64_t v : sample_bags(l, rows, 1, exclude, nullptr, 3, rng).indices) ++count[v];
  EXPECT_EQ(count.size(), 9u);
  for (const auto& [v, c] : count) {
    EXPECT_GT(c, 850) << v;
    EXPECT_LT(c, 1150) << v;
  }
}

TEST(NeighbourSampler, IsDeterministicPerSeed) {
  const auto l = lists();
  const int32_t rows[] = {0, 3, 3, 0};
  auto draw = [&](uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<int64_t> all;
    for (int rep = 0; rep < 5; ++rep) {
      const Bags b = sample_bags(l, rows, 4, nullptr, nullptr, 4, rng);
      all.insert(all.end(), b.indices.begin(), b.indices.end());
    }
    return all;
  };
  EXPECT_EQ(draw(42), draw(42));
  EXPECT_NE(draw(42), draw(43));
}

TEST(NeighbourSampler, FanoutZeroIsTheFullBagAndNegativeIsAnError) {
  const auto l = lists();
  const int32_t rows[] = {0, 1, 3};
  const int32_t exclude[] = {101, -1, 5};
  std::mt19937_64 rng(1);
  const std::mt19937_64 before = rng;
  const Bags s = sample_bags(l, rows, 3, exclude, nullptr, 0, rng);
  const Bags f = make_bags(l, rows, 3, exclude, nullptr);
  EXPECT_EQ(s.indices, f.indices);
  EXPECT_EQ(s.offsets, f.offsets);
  EXPECT_TRUE(rng == before);  // no draws: the default training stream is unchanged
  try {
    sample_bags(l, rows, 3, nullptr, nullptr, -1, rng);
    FAIL() << "no InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("hetero.max_neighbours"), std::string::npos) << e.what();
  }
}

TEST(NeighbourSampler, DenseRowsFromBagsAverageTheBagsPlaces) {
  HeteroInputs in;
  in.n_users = 2;
  in.n_places = 3;
  in.user_cols = 1;
  in.place_cols = 2;
  in.user_x = {5, 6};
  in.place_x = {1, 10, 3, 30, 5, 50};
  in.user_places.offsets = {0, 3, 3};
  in.user_places.indices = {0, 1, 2};
  const int32_t users[] = {0, 0, 1};
  const int32_t exclude[] = {-1, 2, -1};
  const Bags full = make_bags(in.user_places, users, 3, exclude, nullptr);
  std::vector<float> a(9), b(9);
  user_dense_rows_from_bags(in, users, full, 3, a.data());
  user_dense_rows(in, users, exclude, nullptr, 3, b.data());
  EXPECT_EQ(a, b);
  Bags one;
  one.indices = {2};
  one.offsets = {0};
  std::vector<float> c(3);
  user_dense_rows_from_bags(in, users, one, 1, c.data());
  EXPECT_EQ(c, (std::vector<float>{5, 5, 50}));
  EXPECT_THROW(user_dense_rows_from_bags(in, users, one, 2, c.data()), InvalidArgument);
}

}  // namespace
}  // namespace recsys::model
