#include "recsys/eval/top_k.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::eval {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

std::vector<int32_t> top(const std::vector<float>& scores, int k) {
  TopKSelector selector(k);
  std::vector<int32_t> out(static_cast<size_t>(k));
  int n = selector.select(scores.data(), static_cast<int64_t>(scores.size()), out.data());
  out.resize(static_cast<size_t>(n));
  return out;
}

TEST(TopKSelector, RanksByScoreThenLowerId) {
  //                  item: 0    1    2    3    4    5
  std::vector<float> scores{0.5, 2.0, 0.5, 3.0, 2.0, 0.5};
  EXPECT_EQ(top(scores, 3), (std::vector<int32_t>{3, 1, 4}));
  // The tie at 0.5 between items 0, 2, 5 is broken by the lower id.
  EXPECT_EQ(top(scores, 4), (std::vector<int32_t>{3, 1, 4, 0}));
  EXPECT_EQ(top(scores, 6), (std::vector<int32_t>{3, 1, 4, 0, 2, 5}));
}

TEST(TopKSelector, AllTiedGivesLowestIds) {
  std::vector<float> scores(100, 1.0f);
  EXPECT_EQ(top(scores, 5), (std::vector<int32_t>{0, 1, 2, 3, 4}));
}

TEST(TopKSelector, MaskedItemsAreNotCandidates) {
  std::vector<float> scores{kNegInf, 1.0f, kNegInf, -5.0f};
  // Only 2 candidates for K = 3: a shorter list, never a masked item.
  EXPECT_EQ(top(scores, 3), (std::vector<int32_t>{1, 3}));
  EXPECT_TRUE(top(std::vector<float>(4, kNegInf), 2).empty());
}

TEST(TopKSelector, ReturnsScores) {
  std::vector<float> scores{0.1f, 0.7f, 0.3f};
  TopKSelector selector(2);
  int32_t items[2];
  float values[2];
  ASSERT_EQ(selector.select(scores.data(), 3, items, values), 2);
  EXPECT_EQ(items[0], 1);
  EXPECT_EQ(items[1], 2);
  EXPECT_FLOAT_EQ(values[0], 0.7f);
  EXPECT_FLOAT_EQ(values[1], 0.3f);
}

TEST(TopKSelector, MatchesFullSortOnRandomRowsWithTies) {
  std::mt19937 gen(7);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 1 + static_cast<int>(gen() % 3000);
    const int k = 1 + static_cast<int>(gen() % 60);
    std::vector<float> scores(static_cast<size_t>(n));
    for (float& s : scores) s = static_cast<float>(gen() % 20);  // many ties
    for (int i = 0; i < n; i += 7) scores[i] = kNegInf;
    std::vector<int32_t> expected;
    for (int i = 0; i < n; ++i) {
      if (scores[i] != kNegInf) expected.push_back(i);
    }
    std::stable_sort(expected.begin(), expected.end(),
                     [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
    expected.resize(std::min<size_t>(expected.size(), static_cast<size_t>(k)));
    EXPECT_EQ(top(scores, k), expected) << "trial " << trial;
  }
}

TEST(TopKSelector, PiecesGiveTheSameResultAsWholeRows) {
  std::mt19937 gen(11);
  std::vector<float> scores(1000);
  for (float& s : scores) s = static_cast<float>(gen() % 50);
  const std::vector<int32_t> whole = top(scores, 30);
  TopKSelector selector(30);
  for (int64_t piece : {1, 7, 16, 333}) {
    selector.reset();
    for (int64_t first = 0; first < 1000; first += piece) {
      selector.add(scores.data() + first, first, std::min<int64_t>(piece, 1000 - first));
    }
    std::vector<int32_t> out(30);
    out.resize(static_cast<size_t>(selector.finish(out.data())));
    EXPECT_EQ(out, whole) << "pieces of " << piece;
  }
  selector.reset();
  selector.add(scores.data(), 10, 5);
  EXPECT_THROW(selector.add(scores.data(), 0, 5), InvalidArgument);  // out of order
}

TEST(TopKSelector, RejectsNanAndBadK) {
  std::vector<float> scores{1.0f, std::nanf(""), 0.5f};
  EXPECT_THROW(top(scores, 2), InvalidArgument);
  // A NaN far into a long row, after the threshold is up, is found too.
  std::vector<float> long_row(5000);
  for (size_t i = 0; i < long_row.size(); ++i) long_row[i] = static_cast<float>(i % 97);
  long_row[4321] = std::nanf("");
  EXPECT_THROW(top(long_row, 3), InvalidArgument);
  EXPECT_THROW(TopKSelector(0), InvalidArgument);
}

}  // namespace
}  // namespace recsys::eval
