// Parts of the recommender that need no artifacts: id maps, distances, MMR, profiles.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/recommend/cold_start_profile.h"
#include "recsys/recommend/diversity.h"
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

// Four 2-d items: 0 and 1 point the same way, 2 and 3 the other.
struct MmrCase {
  std::vector<float> v = {1, 0, 1, 0.01f, 0, 1, 0.01f, 1};
  std::vector<float> inv = inverse_norms(v.data(), 4, 2);
  std::vector<index::Hit> pool = {{0, 4.0f}, {1, 3.9f}, {2, 3.0f}, {3, 2.9f}};
};

TEST(Mmr, ZeroDiversityKeepsTheOrder) {
  MmrCase c;
  const auto out = mmr_rerank(c.pool, 3, 0.0, c.v.data(), 2, c.inv);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].row, 0);
  EXPECT_EQ(out[1].row, 1);
  EXPECT_EQ(out[2].row, 2);
}

TEST(Mmr, DiversityPrefersADissimilarSecondItem) {
  MmrCase c;
  const auto out = mmr_rerank(c.pool, 2, 0.5, c.v.data(), 2, c.inv);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].row, 0);
  EXPECT_EQ(out[1].row, 2);             // item 1 is a near copy of item 0
  EXPECT_FLOAT_EQ(out[1].score, 3.0f);  // scores are kept
  EXPECT_EQ(mmr_rerank(c.pool, 10, 0.5, c.v.data(), 2, c.inv).size(), 4u);
  EXPECT_THROW(mmr_rerank(c.pool, 2, 1.5, c.v.data(), 2, c.inv), ConfigError);
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
