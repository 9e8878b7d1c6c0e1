// The generated tables in memory: the seed's asserted properties (ids in range,
// vector lengths, sums to 1, ratings in [1, 5]) and the cross-table invariants.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "recsys/synthetic/generator.h"
#include "recsys/synthetic/oracle.h"
#include "recsys/synthetic/preference_model.h"

using namespace recsys::synthetic;

namespace {

SyntheticConfig small_config() {
  SyntheticConfig c;
  c.n_users = 600;
  c.n_places = 800;
  c.n_cities = 4;
  c.top_k = 10;
  return c;
}

const SyntheticDataset& dataset() {
  static const SyntheticDataset d = generate_in_memory(small_config());
  return d;
}

double sum(const float* x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += x[i];
  return s;
}

}  // namespace

TEST(SyntheticPlaces, IdsRangesAndTagVectors) {
  const auto c = small_config();
  const auto& p = dataset().places;
  ASSERT_EQ(p.size(), static_cast<size_t>(c.n_places));
  std::vector<float> dense(static_cast<size_t>(c.n_tags()));
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_EQ(p.place_id[i], static_cast<int32_t>(i));
    ASSERT_GE(p.city_id[i], 0);
    ASSERT_LT(p.city_id[i], c.n_cities);
    EXPECT_EQ(p.neighborhood_id[i] / c.neighborhoods_per_city, p.city_id[i]);
    const auto n_cats = p.category_offsets[i + 1] - p.category_offsets[i];
    EXPECT_GE(n_cats, c.place_categories_min);
    EXPECT_LE(n_cats, c.place_categories_max);
    const auto n_tags = p.tag_offsets[i + 1] - p.tag_offsets[i];
    EXPECT_GE(n_tags, c.place_tags_min);
    EXPECT_LE(n_tags, c.place_tags_max);
    std::set<int> cats(p.category_ids.begin() + p.category_offsets[i],
                       p.category_ids.begin() + p.category_offsets[i + 1]);
    for (auto k = p.tag_offsets[i]; k < p.tag_offsets[i + 1]; ++k)
      EXPECT_TRUE(cats.count(c.category_of_tag(p.tag_ids[static_cast<size_t>(k)])))
          << "place " << i << " tag " << p.tag_ids[static_cast<size_t>(k)];
    p.dense_tag_vector(i, dense.data());
    EXPECT_EQ(dense.size(), static_cast<size_t>(c.n_tags()));
    EXPECT_NEAR(sum(dense.data(), dense.size()), 1.0, 1e-5);
    EXPECT_GE(p.price_band[i], 1);
    EXPECT_LE(p.price_band[i], 4);
    EXPECT_GE(p.time_slot[i], 0);
    EXPECT_LE(p.time_slot[i], 3);
    EXPECT_GT(p.popularity[i], 0.0f);
  }
}

TEST(SyntheticUsers, PreferencesSumToOneAndNeighborhoodsAreHome) {
  const auto c = small_config();
  const auto& u = dataset().users;
  ASSERT_EQ(u.size(), static_cast<size_t>(c.n_users));
  for (size_t i = 0; i < u.size(); ++i) {
    EXPECT_EQ(u.user_id[i], static_cast<int32_t>(i));
    ASSERT_LT(u.home_city_id[i], c.n_cities);
    EXPECT_NEAR(sum(u.category_row(i), static_cast<size_t>(c.n_categories)), 1.0, 1e-5);
    EXPECT_NEAR(sum(u.tag_row(i), static_cast<size_t>(c.n_tags())), 1.0, 1e-5);
    const auto n_vibes = u.vibe_offsets[i + 1] - u.vibe_offsets[i];
    EXPECT_GE(n_vibes, c.vibes_min);
    EXPECT_LE(n_vibes, c.vibes_max);
    const auto f0 = u.frequent_offsets[i], f1 = u.frequent_offsets[i + 1];
    EXPECT_GE(f1 - f0, c.frequent_neighborhoods_min);
    EXPECT_LE(f1 - f0, c.frequent_neighborhoods_max);
    EXPECT_EQ(u.frequent_neighborhood_ids[static_cast<size_t>(f0)], u.home_neighborhood_id[i]);
    for (auto k = f0; k < f1; ++k)
      EXPECT_EQ(u.frequent_neighborhood_ids[static_cast<size_t>(k)] / c.neighborhoods_per_city,
                u.home_city_id[i]);
    EXPECT_GE(u.sessions[i], c.sessions_min);
    EXPECT_LE(u.sessions[i], c.sessions_max);
  }
}

TEST(SyntheticInteractions, RatingsIdsAndTimes) {
  const auto c = small_config();
  const auto& r = dataset().interactions;
  ASSERT_GT(r.size(), 0u);
  const int64_t start = c.start_micros();
  const int64_t end = start + (c.days + 1) * 86'400LL * 1'000'000LL;
  for (size_t i = 0; i < r.size(); ++i) {
    ASSERT_GE(r.implicit_rating[i], 1.0f);
    ASSERT_LE(r.implicit_rating[i], 5.0f);
    ASSERT_GE(r.user_id[i], 0);
    ASSERT_LT(r.user_id[i], c.n_users);
    ASSERT_GE(r.place_id[i], 0);
    ASSERT_LT(r.place_id[i], c.n_places);
    ASSERT_GE(r.timestamp_us[i], start);
    ASSERT_LT(r.timestamp_us[i], end);
    const int hour = static_cast<int>((r.timestamp_us[i] / 3'600'000'000LL) % 24);
    EXPECT_EQ(r.time_bucket[i], hour / 6);
    EXPECT_EQ(r.is_weekend[i], r.day_of_week[i] >= 5);
    if (i > 0 && r.user_id[i] == r.user_id[i - 1]) {
      EXPECT_GE(r.timestamp_us[i], r.timestamp_us[i - 1]);
    }
    if (i > 0) {
      EXPECT_GE(r.user_id[i], r.user_id[i - 1]);
    }
    EXPECT_GT(r.dwell_seconds[i], 0.0f);
  }
  // About 280 rows per user on average with the default behaviour ranges.
  const double per_user = static_cast<double>(r.size()) / c.n_users;
  EXPECT_GT(per_user, 150);
  EXPECT_LT(per_user, 450);
}

TEST(SyntheticInteractions, EngagementRisesWithTheTrueScore) {
  const auto c = small_config();
  const auto& d = dataset();
  const PreferenceModel model(c, d.geography, d.users, d.places);
  std::vector<std::pair<float, uint8_t>> pairs;
  for (size_t i = 0; i < d.interactions.size(); ++i)
    pairs.emplace_back(model.true_preference_score(static_cast<size_t>(d.interactions.user_id[i]),
                                                   static_cast<size_t>(d.interactions.place_id[i])),
                       d.interactions.attended[i]);
  std::sort(pairs.begin(), pairs.end());
  const size_t half = pairs.size() / 2;
  double low = 0, high = 0;
  for (size_t i = 0; i < half; ++i) low += pairs[i].second;
  for (size_t i = half; i < pairs.size(); ++i) high += pairs[i].second;
  EXPECT_GT(high, 1.5 * low);
}

TEST(SyntheticSocial, EdgesAreCanonicalAboveThresholdAndLabelsConsistent) {
  const auto c = small_config();
  const auto& d = dataset();
  const auto& e = d.social_edges;
  ASSERT_GT(e.size(), 0u);
  std::set<std::pair<int, int>> edge_set;
  for (size_t i = 0; i < e.size(); ++i) {
    ASSERT_LT(e.user_a[i], e.user_b[i]);
    ASSERT_LT(e.user_b[i], c.n_users);
    EXPECT_GE(e.similarity[i], c.similarity_threshold - 1e-6);
    EXPECT_LE(e.similarity[i], 1.0 + 1e-6);
    EXPECT_EQ(d.users.home_city_id[static_cast<size_t>(e.user_a[i])],
              d.users.home_city_id[static_cast<size_t>(e.user_b[i])]);
    EXPECT_NEAR(e.similarity[i],
                interest_similarity(d.users, static_cast<size_t>(e.user_a[i]),
                                    static_cast<size_t>(e.user_b[i])),
                1e-6);
    EXPECT_TRUE(edge_set.insert({e.user_a[i], e.user_b[i]}).second) << "duplicate edge";
  }
  const auto& l = d.friend_labels;
  size_t positives = 0;
  for (size_t i = 0; i < l.size(); ++i) {
    ASSERT_LT(l.user_a[i], l.user_b[i]);
    const bool is_edge = edge_set.count({l.user_a[i], l.user_b[i]}) > 0;
    if (l.label[i]) {
      ++positives;
      EXPECT_TRUE(is_edge);
      EXPECT_TRUE(l.similarity[i] >= c.positive_similarity ||
                  l.co_attendance[i] >= c.positive_co_attendance);
    } else {
      EXPECT_FALSE(is_edge);
    }
    EXPECT_GT(l.attend_probability[i], 0.0f);
    EXPECT_LT(l.attend_probability[i], 1.0f);
    if (i > 0) {
      EXPECT_TRUE(l.user_a[i - 1] < l.user_a[i] || l.user_b[i - 1] < l.user_b[i]);
    }
  }
  EXPECT_GT(positives, 0u);
  EXPECT_GT(l.size() - positives, positives / 2);
}

TEST(SyntheticReproducibility, AUsersRowsDoNotDependOnTheOtherUsers) {
  auto c = small_config();
  const Geography g = generate_geography(c);
  const PlaceTable places = generate_places(c, g);
  const UserTable all = generate_users(c, g);
  const UserTable slice = generate_users(c, g, 100, 120);  // a "shard"
  ASSERT_EQ(slice.size(), 20u);
  for (size_t i = 0; i < slice.size(); ++i) {
    EXPECT_EQ(slice.user_id[i], all.user_id[100 + i]);
    EXPECT_EQ(slice.home_city_id[i], all.home_city_id[100 + i]);
    EXPECT_TRUE(std::equal(slice.tag_row(i), slice.tag_row(i) + c.n_tags(), all.tag_row(100 + i)));
  }
  const PreferenceModel model_all(c, g, all, places);
  const PreferenceModel model_slice(c, g, slice, places);
  InteractionRows a, b;
  InteractionSampler(c, model_all).sample_user(105, a);
  InteractionSampler(c, model_slice).sample_user(5, b);
  ASSERT_GT(a.size(), 0u);
  EXPECT_EQ(a.place_id, b.place_id);
  EXPECT_EQ(a.timestamp_us, b.timestamp_us);
  EXPECT_EQ(a.implicit_rating, b.implicit_rating);

  // Places do not depend on the number of users, nor place p on the number of places.
  c.n_users = 50;
  c.n_places = 900;
  const PlaceTable more = generate_places(c, g);
  EXPECT_TRUE(
      std::equal(places.popularity.begin(), places.popularity.end(), more.popularity.begin()));
  EXPECT_TRUE(std::equal(places.tag_ids.begin(), places.tag_ids.end(), more.tag_ids.begin()));
}

TEST(SyntheticOracle, PrunedRankingEqualsScoringEveryPlace) {
  const auto c = small_config();
  const auto& d = dataset();
  const PreferenceModel model(c, d.geography, d.users, d.places);
  const OracleRanker ranker(model);
  const auto pruned = ranker.top_places(10, 90, 25);
  for (size_t u = 10; u < 90; ++u) {
    const auto exact = oracle_top_places(model, u, 25);
    ASSERT_EQ(pruned[u - 10].size(), exact.size());
    for (size_t k = 0; k < exact.size(); ++k) {
      EXPECT_EQ(pruned[u - 10][k].place_id, exact[k].place_id);
      EXPECT_EQ(pruned[u - 10][k].true_score, exact[k].true_score);
    }
    for (size_t k = 1; k < exact.size(); ++k)
      EXPECT_GE(exact[k - 1].true_score, exact[k].true_score);
  }
}

TEST(SyntheticPreference, FastHomeCityScoresEqualTheReferenceBitForBit) {
  const auto c = small_config();
  const auto& d = dataset();
  const PreferenceModel model(c, d.geography, d.users, d.places);
  std::vector<float> fast;
  for (size_t u = 0; u < d.users.size(); u += 7) {
    model.score_home_city(u, fast);
    const auto& rows = model.city_place_rows(d.users.home_city_id[u]);
    ASSERT_EQ(fast.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto comp = model.components(u, static_cast<size_t>(rows[i]));
      EXPECT_EQ(fast[i], comp.score) << "user " << u << " place " << rows[i];
      EXPECT_GE(comp.location, 0.0f);
      EXPECT_LE(comp.location, 1.0f);
      EXPECT_GE(comp.interest, 0.0f);
      EXPECT_LE(comp.interest, 1.0001f);
    }
  }
}

TEST(SyntheticEdgeCases, TinyAndLopsidedConfigurationsWork) {
  SyntheticConfig tiny;
  tiny.n_users = 2;
  tiny.n_places = 1;
  tiny.n_cities = 1;
  tiny.top_k = 1;
  const auto a = generate_in_memory(tiny);
  EXPECT_EQ(a.users.size(), 2u);
  EXPECT_EQ(a.places.size(), 1u);
  for (auto p : a.interactions.place_id) EXPECT_EQ(p, 0);

  // More cities than places: some users have no place at home and view other cities only.
  SyntheticConfig lopsided;
  lopsided.n_users = 300;
  lopsided.n_places = 20;
  lopsided.n_cities = 50;
  lopsided.city_weight_exponent = 0.0;
  lopsided.top_k = 5;
  const auto b = generate_in_memory(lopsided);
  EXPECT_GT(b.interactions.size(), 0u);
  for (auto p : b.interactions.place_id) EXPECT_LT(p, 20);

  // No out-of-city views at all.
  SyntheticConfig home_only;
  home_only.n_users = 200;
  home_only.n_places = 300;
  home_only.n_cities = 3;
  home_only.out_of_city_share = 0.0;
  home_only.top_k = 5;
  const auto c = generate_in_memory(home_only);
  for (size_t i = 0; i < c.interactions.size(); ++i)
    EXPECT_EQ(c.places.city_id[static_cast<size_t>(c.interactions.place_id[i])],
              c.users.home_city_id[static_cast<size_t>(c.interactions.user_id[i])]);
}
