// Parts of the recommender that need no artifacts: id maps, distances, MMR, profiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/recommend/cold_start_profile.h"
#include "recsys/recommend/diversity.h"
#include "recsys/recommend/explanation.h"
#include "recsys/recommend/id_map.h"
#include "recsys/recommend/place_catalogue.h"

namespace recsys::recommend {
namespace {

TEST(IdMap, FindsRowsAndRejectsUnknownIds) {
  const std::vector<int32_t> raw = {3, 8, 20, 21};
  const IdMap m("place", raw);
  EXPECT_EQ(m.row(20), 2);
  EXPECT_EQ(m.raw(1), 8);
  EXPECT_EQ(m.find(4), -1);
  try {
    m.row(4);
    FAIL() << "expected NotFound";
  } catch (const NotFound& e) {
    EXPECT_NE(std::string(e.what()).find("place id 4"), std::string::npos) << e.what();
  }
  const std::vector<int32_t> unsorted = {3, 3};
  EXPECT_THROW(IdMap("user", unsorted), InvalidArgument);
}

TEST(Haversine, KnownDistances) {
  EXPECT_NEAR(haversine_km(0, 0, 0, 1), 111.195, 0.01);  // one degree on the equator
  EXPECT_NEAR(haversine_km(48.8566, 2.3522, 51.5074, -0.1278), 343.5, 1.0);  // Paris - London
  EXPECT_DOUBLE_EQ(haversine_km(10, 20, 10, 20), 0.0);
}

TEST(FriendSet, HoldsExactlyTheFriends) {
  const std::vector<int32_t> friends = {0, 63, 64, 129};
  const FriendSet set(friends, 130);
  EXPECT_FALSE(set.empty());
  for (int32_t u = -1; u < 200; ++u)
    EXPECT_EQ(set.contains(u), std::find(friends.begin(), friends.end(), u) != friends.end()) << u;
  EXPECT_TRUE(FriendSet({}, 130).empty());
  EXPECT_FALSE(FriendSet({}, 130).contains(0));
}

// Four 2-d items: 0 and 1 point the same way, 2 and 3 the other.
struct MmrCase {
  std::vector<float> v = {1, 0, 1, 0.01f, 0, 1, 0.01f, 1};
  UnitVectors unit{v.data(), 4, 2};
  std::vector<index::Hit> pool = {{0, 4.0f}, {1, 3.9f}, {2, 3.0f}, {3, 2.9f}};
};

TEST(Mmr, UnitVectorsHaveUnitLengthAndGiveCosines) {
  const std::vector<float> v = {3, 4, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0};  // 4 rows x 3, last column 0
  const UnitVectors unit(v.data(), 4, 3);
  EXPECT_EQ(unit.matrix().width, 16);
  EXPECT_FLOAT_EQ(unit.row(0)[0], 0.6f);
  EXPECT_FLOAT_EQ(unit.row(0)[1], 0.8f);
  EXPECT_FLOAT_EQ(unit.row(1)[0], 0.0f);  // a zero vector stays zero
  EXPECT_FLOAT_EQ(unit.cosine(0, 2), 0.6f);
  EXPECT_FLOAT_EQ(unit.cosine(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(unit.cosine(0, 1), 0.0f);
}

// Wider than kMaxCosineDim, the cosines come from the leading principal directions: exact (to
// float rounding) when the rows span no more dimensions than that (rank 40 in 300 columns).
TEST(Mmr, WideVectorsKeepTheirCosinesInThePrincipalSubspace) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  const int rows = 500, dim = 300, rank = 40;
  std::vector<float> latent(static_cast<size_t>(rows * rank)), mix(static_cast<size_t>(rank * dim));
  for (auto& x : latent) x = normal(rng);
  for (auto& x : mix) x = normal(rng);
  std::vector<float> v(static_cast<size_t>(rows * dim), 0.0f);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < rank; ++j)
      for (int c = 0; c < dim; ++c)
        v[static_cast<size_t>(r * dim + c)] += latent[static_cast<size_t>(r * rank + j)] * mix[static_cast<size_t>(j * dim + c)];
  const UnitVectors unit(v.data(), rows, dim);
  EXPECT_EQ(unit.matrix().width, UnitVectors::kMaxCosineDim);
  const auto exact = [&](int a, int b) {
    double ab = 0, aa = 0, bb = 0;
    for (int c = 0; c < dim; ++c) {
      const double x = v[static_cast<size_t>(a * dim + c)], y = v[static_cast<size_t>(b * dim + c)];
      ab += x * y, aa += x * x, bb += y * y;
    }
    return ab / std::sqrt(aa * bb);
  };
  for (int t = 0; t < 200; ++t) {
    const auto a = static_cast<int32_t>(rng() % rows), b = static_cast<int32_t>(rng() % rows);
    EXPECT_NEAR(unit.cosine(a, b), exact(a, b), 2e-3) << a << " " << b;
  }
}

TEST(Mmr, ZeroDiversityKeepsTheOrder) {
  MmrCase c;
  const auto out = mmr_rerank(c.pool, 3, 0.0, c.unit);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].row, 0);
  EXPECT_EQ(out[1].row, 1);
  EXPECT_EQ(out[2].row, 2);
}

TEST(Mmr, DiversityPrefersADissimilarSecondItem) {
  MmrCase c;
  const auto out = mmr_rerank(c.pool, 2, 0.5, c.unit);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].row, 0);
  EXPECT_EQ(out[1].row, 2);             // item 1 is a near copy of item 0
  EXPECT_FLOAT_EQ(out[1].score, 3.0f);  // scores are kept
  const auto all = mmr_rerank(c.pool, 10, 0.5, c.unit);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[2].row, 1);  // then the best of the rest: both are near copies of a pick
  EXPECT_EQ(all[3].row, 3);
  EXPECT_THROW(mmr_rerank(c.pool, 2, 1.5, c.unit), ConfigError);
}

// The lazy greedy picks what recomputing every candidate's value at every step picks, on random
// pools (with tied scores and duplicate vectors) and every diversity.
TEST(Mmr, LazyGreedyMatchesTheFullRecomputation) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    const int rows = 60, dim = 24, n = 1 + static_cast<int>(rng() % 50);
    std::normal_distribution<float> normal;
    std::vector<float> v(static_cast<size_t>(rows * dim));
    for (auto& x : v) x = normal(rng);
    for (int d = 0; d < dim; ++d) v[static_cast<size_t>(dim + d)] = v[static_cast<size_t>(d)];
    const UnitVectors unit(v.data(), rows, dim);
    std::vector<index::Hit> pool;
    for (int i = 0; i < n; ++i)
      pool.push_back({static_cast<int32_t>(rng() % rows), static_cast<float>(rng() % 7)});
    std::sort(pool.begin(), pool.end(), [](auto& a, auto& b) { return a.score > b.score; });
    const double diversity = std::uniform_real_distribution<double>(0.05, 1.0)(rng);
    const int k = 1 + static_cast<int>(rng() % 30);
    // The full recomputation.
    float hi = pool.front().score, lo = pool.back().score;
    const float span = hi > lo ? hi - lo : 1.0f;
    const auto keep = static_cast<float>(1 - diversity), weight = static_cast<float>(diversity);
    std::vector<float> max_sim(pool.size(), -1.0f);
    std::vector<bool> taken(pool.size());
    std::vector<int32_t> want;
    while (want.size() < std::min<size_t>(pool.size(), static_cast<size_t>(k))) {
      size_t best = pool.size();
      float best_value = 0;
      for (size_t i = 0; i < pool.size(); ++i) {
        if (taken[i]) continue;
        const float value = keep * (pool[i].score - lo) / span - (want.empty() ? 0.0f : weight * max_sim[i]);
        if (best == pool.size() || value > best_value) best = i, best_value = value;
      }
      taken[best] = true;
      want.push_back(pool[best].row);
      for (size_t i = 0; i < pool.size(); ++i)
        max_sim[i] = std::max(max_sim[i], unit.cosine(pool[best].row, pool[i].row));
    }
    std::vector<int32_t> got;
    for (const auto& h : mmr_rerank(pool, k, diversity, unit)) got.push_back(h.row);
    EXPECT_EQ(got, want) << "trial " << trial;
  }
}

// Equal values go to the better model score, whatever order the candidates were removed in.
TEST(Mmr, TiesGoToThePoolOrder) {
  const std::vector<float> v = {1, 0, 0, 1, 0, 1, 0, 1};
  const UnitVectors unit(v.data(), 4, 2);
  const std::vector<index::Hit> pool = {{0, 1.0f}, {1, 1.0f}, {2, 1.0f}, {3, 1.0f}};
  const auto out = mmr_rerank(pool, 4, 0.5, unit);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].row, 0);
  EXPECT_EQ(out[1].row, 1);
  EXPECT_EQ(out[2].row, 2);
  EXPECT_EQ(out[3].row, 3);
}

TEST(Profile, ParsesEveryKey) {
  const auto p = parse_profile(nlohmann::json::parse(R"({"home_city": 2, "home_neighborhood": 5,
      "neighborhoods": [5, 6], "interest_categories": [1], "liked_places": [10, 11],
      "friends": [4]})"),
                               "p.json");
  EXPECT_EQ(p.home_city, 2);
  EXPECT_EQ(p.home_neighborhood, 5);
  EXPECT_EQ(p.neighborhoods, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(p.liked_places, (std::vector<int64_t>{10, 11}));
  EXPECT_TRUE(p.has_taste());
  EXPECT_FALSE(parse_profile(nlohmann::json::parse(R"({"home_city": 1})"), "p").has_taste());
}

TEST(Profile, RejectsUnknownKeysAndWrongTypes) {
  for (const char* text : {R"({"city": 1})", R"({"liked_places": 3})", R"({"friends": ["a"]})",
                           R"({"home_city": 1.5})", R"([1, 2])"}) {
    try {
      parse_profile(nlohmann::json::parse(text), "p.json");
      FAIL() << "accepted " << text;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("p.json"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace recsys::recommend
