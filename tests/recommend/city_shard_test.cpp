// Catalogue sharding by city (city_shard.h): a recommender that holds some cities answers only
// with their places, exactly like the full recommender filtered by one of its cities, and
// refuses the other cities.
#include "recsys/recommend/city_shard.h"

#include <gtest/gtest.h>

#include <vector>

#include "recommend_fixture.h"
#include "recsys/core/error.h"
#include "recsys/recommend/recommender.h"

namespace recsys::recommend {
namespace {

using testing::hetero_workdir;

const Recommender& full() {
  static const Recommender r(open_artifacts(hetero_workdir()));
  return r;
}
const Recommender& sharded() {  // cities 0 and 2 of the fixture's 3
  static const Recommender r = [] {
    RecommenderOptions o;
    o.cities = {2, 0, 2};
    return Recommender(open_artifacts(hetero_workdir()), o);
  }();
  return r;
}

TEST(CityShard, HoldsTheCitiesPlacesOnly) {
  const CityShard* shard = sharded().shard();
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(full().shard(), nullptr);
  EXPECT_EQ(shard->cities(), (std::vector<int32_t>{0, 2}));
  EXPECT_TRUE(shard->holds_city(2));
  EXPECT_FALSE(shard->holds_city(1));
  const auto& cat = full().catalogue();
  int64_t expected = 0;
  for (int32_t p = 0; p < cat.n_places(); ++p) {
    const bool in = cat.city(p) == 0 || cat.city(p) == 2;
    expected += in;
    EXPECT_EQ(shard->mask()[static_cast<size_t>(p)], in ? 1 : 0) << "place row " << p;
  }
  EXPECT_EQ(shard->n_places(), expected);
  EXPECT_EQ(shard->index().rows(), expected);
  EXPECT_GT(expected, 0);
  EXPECT_LT(expected, cat.n_places());
}

TEST(CityShard, AnswersLikeTheFullCatalogueFilteredByItsCities) {
  const auto& cat = full().catalogue();
  int checked = 0;
  for (int32_t u = 0; u < cat.n_users(); u += 13) {
    const int64_t user = cat.users().raw(u);
    PlaceQuery q;
    q.k = 10;
    for (const auto& p : sharded().places_for_user(user, q).places) {
      const int32_t city = cat.city(p.row);
      EXPECT_TRUE(city == 0 || city == 2) << "user " << user << ": place " << p.place_id << " of city " << city;
    }
    for (int32_t city : {0, 2}) {
      q.filter.city = city;
      const auto a = sharded().places_for_user(user, q).places, b = full().places_for_user(user, q).places;
      ASSERT_EQ(a.size(), b.size()) << "user " << user << " city " << city;
      for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].place_id, b[i].place_id) << "user " << user << " city " << city << " rank " << i;
        EXPECT_FLOAT_EQ(a[i].score, b[i].score);
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
  const int64_t place = cat.places().raw(0);
  for (const auto& p : sharded().similar_places(place, 10).places) {
    const int32_t city = cat.city(p.row);
    EXPECT_TRUE(city == 0 || city == 2) << "similar to " << place << ": city " << city;
  }
}

TEST(CityShard, RefusesOtherCitiesAndBadLists) {
  PlaceQuery q;
  q.filter.city = 1;
  EXPECT_THROW(sharded().places_for_user(full().catalogue().users().raw(0), q), NotFound);
  ColdStartProfile profile;
  EXPECT_THROW(sharded().cold_start(profile, q), NotFound);
  const auto& a = full().artifacts();
  const float* places = a.embeddings.places.data();
  EXPECT_THROW(CityShard({}, full().catalogue(), places, a.dim(), {}), ConfigError);
  EXPECT_THROW(CityShard({0, 99}, full().catalogue(), places, a.dim(), {}), NotFound);
}

}  // namespace
}  // namespace recsys::recommend
