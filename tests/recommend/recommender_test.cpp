// The recommender on a small generated data set with a hetero model and an mf-bpr model
// (recommend_fixture.h): answers against brute force over the embeddings, filters, exclusions,
// diversity, friends, similar places, attendance, cold start, errors, and `recsys recommend`.
#include "recsys/recommend/recommender.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "recommend_fixture.h"
#include "recsys/core/error.h"
#include "recsys/recommend/recommend_json.h"

namespace recsys::recommend {
namespace {

using testing::hetero_workdir;
using testing::mf_embeddings;

const Recommender& hetero() {
  static const Recommender r(open_artifacts(hetero_workdir()));
  return r;
}
const Recommender& mf() {
  static const Recommender r(open_artifacts(mf_embeddings()));
  return r;
}

float dot(const float* a, const float* b, int dim) {
  float s = 0;
  for (int d = 0; d < dim; ++d) s += a[d] * b[d];
  return s;
}

// Exact scores of the k best allowed places, best first.
std::vector<float> brute_force(const Recommender& r, int32_t user, int k, const PlaceFilter& f,
                               bool exclude_seen) {
  const auto& a = r.artifacts();
  const auto seen = r.history().seen_places(user);
  std::vector<float> scores;
  for (int32_t p = 0; p < r.catalogue().n_places(); ++p) {
    if (!passes(f, r.catalogue(), p)) continue;
    if (exclude_seen && std::binary_search(seen.begin(), seen.end(), p)) continue;
    scores.push_back(dot(a.user_vector(user), a.place_vector(p), a.dim()));
  }
  std::sort(scores.rbegin(), scores.rend());
  if (scores.size() > static_cast<size_t>(k)) scores.resize(static_cast<size_t>(k));
  return scores;
}

// A user with some history (raw id) and its row.
int64_t active_user(const Recommender& r) {
  for (int32_t u = 0; u < r.catalogue().n_users(); ++u)
    if (r.history().seen_places(u).size() >= 5 && r.history().friends(u).size() >= 2)
      return r.catalogue().users().raw(u);
  ADD_FAILURE() << "no active user";
  return 0;
}

void expect_scores(const PlaceList& got, const std::vector<float>& want) {
  ASSERT_EQ(got.places.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got.places[i].score, want[i], 1e-4 * (1 + std::fabs(want[i]))) << "rank " << i;
}

TEST(Recommender, PlacesForAUserAreTheExactTopKWithoutSeenPlaces) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  const int32_t u = r.user_row(id);
  PlaceQuery q;
  q.k = 15;
  q.diversity = 0;
  const auto got = r.places_for_user(id, q);
  EXPECT_EQ(got.user_id, id);
  expect_scores(got, brute_force(r, u, 15, {}, true));
  const auto seen = r.history().seen_places(u);
  for (const auto& item : got.places) {
    EXPECT_FALSE(std::binary_search(seen.begin(), seen.end(), item.row));
    EXPECT_EQ(r.catalogue().places().raw(item.row), item.place_id);
  }
  q.exclude_seen = false;
  expect_scores(r.places_for_user(id, q), brute_force(r, u, 15, {}, false));
}

TEST(Recommender, ExtraSeenPlacesAreExcludedToo) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  PlaceQuery q;
  q.k = 10;
  q.diversity = 0;
  const auto before = r.places_for_user(id, q);
  const std::vector<int32_t> live = {before.places[0].row, before.places[3].row};
  const auto after = r.places_for_user(id, q, live);
  ASSERT_EQ(after.places.size(), 10u);
  for (const auto& item : after.places)
    EXPECT_TRUE(item.row != live[0] && item.row != live[1]) << item.place_id;
  EXPECT_EQ(after.places[0].place_id, before.places[1].place_id);
  const std::vector<int32_t> bad = {-1};
  EXPECT_THROW(r.places_for_user(id, q, bad), InvalidArgument);
}

TEST(Recommender, FiltersAreExactAndHold) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  const int32_t u = r.user_row(id);
  const auto& c = r.catalogue();
  const int32_t some = r.history().seen_places(u)[0];
  std::vector<PlaceFilter> filters(5);
  filters[0].city = c.city(some);
  filters[1].category = c.categories(some)[0];
  filters[2].price_band = c.price_band(some);
  filters[2].time_slot = c.time_slot(some);
  filters[3].neighborhood = c.neighborhood(some);
  filters[4].near = GeoCircle{c.lat(some), c.lon(some), 3.0};
  for (const auto& f : filters) {
    PlaceQuery q;
    q.k = 10;
    q.filter = f;
    q.diversity = 0;
    const auto got = r.places_for_user(id, q);
    expect_scores(got, brute_force(r, u, 10, f, true));
    for (const auto& item : got.places) EXPECT_TRUE(passes(f, c, item.row));
  }
}

// Candidate lists (candidate_table.h) of any length, or none, give the same exact answers: a list
// too short for the query (5 places beyond the seen ones, asked for 10, or a filter that leaves
// few of them) falls back to the index.
TEST(Recommender, CandidateListsOfAnyLengthGiveTheExactAnswer) {
  const int64_t id = active_user(hetero());
  const int32_t u = hetero().user_row(id);
  const auto& c = hetero().catalogue();
  const int32_t some = hetero().history().seen_places(u)[0];
  EXPECT_NE(hetero().candidates(), nullptr);  // the default: lists for every user
  for (int per_user : {0, 5, 12, 40}) {
    RecommenderOptions options;
    options.candidates.per_user = per_user;
    const Recommender r(open_artifacts(hetero_workdir()), options);
    EXPECT_EQ(r.candidates() != nullptr, per_user > 0);
    if (r.candidates()) {
      int64_t entries = 0;
      for (int32_t v = 0; v < c.n_users(); ++v)
        entries += std::min<int64_t>(per_user + static_cast<int64_t>(r.history().seen_places(v).size()),
                                     c.n_places());
      EXPECT_EQ(r.candidates()->entries(), entries);
    }
    std::vector<PlaceFilter> filters(2);
    filters[1].city = c.city(some);
    for (const auto& f : filters)
      for (bool exclude_seen : {true, false}) {
        PlaceQuery q;
        q.k = 10;
        q.filter = f;
        q.diversity = 0;
        q.exclude_seen = exclude_seen;
        const auto got = r.places_for_user(id, q);
        expect_scores(got, brute_force(r, u, 10, f, exclude_seen));
        for (const auto& item : got.places) EXPECT_TRUE(passes(f, c, item.row));
      }
  }
  RecommenderOptions bad;
  bad.candidates.per_user = -1;
  EXPECT_THROW(Recommender(open_artifacts(hetero_workdir()), bad), ConfigError);
}

TEST(Recommender, DiversityKeepsKItemsFromThePoolAndSpreadsThem) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  PlaceQuery plain, diverse;
  plain.k = diverse.k = 10;
  plain.diversity = 0;
  diverse.diversity = 0.7;
  const auto a = r.places_for_user(id, plain), b = r.places_for_user(id, diverse);
  ASSERT_EQ(b.places.size(), 10u);
  EXPECT_EQ(b.places[0].place_id, a.places[0].place_id);  // the best item is always first
  const auto& art = r.artifacts();
  auto mean_cosine = [&](const PlaceList& l) {
    double s = 0;
    int n = 0;
    for (size_t i = 0; i < l.places.size(); ++i)
      for (size_t j = i + 1; j < l.places.size(); ++j, ++n) {
        const float* x = art.place_vector(l.places[i].row);
        const float* y = art.place_vector(l.places[j].row);
        s += dot(x, y, art.dim()) / std::sqrt(dot(x, x, art.dim()) * dot(y, y, art.dim()));
      }
    return s / n;
  };
  EXPECT_LT(mean_cosine(b), mean_cosine(a));
}

TEST(Recommender, ExplanationsNameFriendsAndHistory) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  const int32_t u = r.user_row(id);
  PlaceQuery q;
  q.k = 30;
  const auto got = r.places_for_user(id, q);
  const auto friends = r.history().friends(u);
  bool any_category = false;
  for (const auto& item : got.places) {
    const auto& e = item.explanation;
    any_category |= !e.categories.empty();
    const auto visitors = r.history().place_visitors(item.row);
    int64_t count = 0;
    for (int32_t f : friends) count += std::binary_search(visitors.begin(), visitors.end(), f);
    EXPECT_EQ(e.friend_count, count);
    for (int64_t f : e.friends)
      EXPECT_TRUE(std::binary_search(friends.begin(), friends.end(), r.user_row(f)));
    EXPECT_FALSE(explanation_text(e).empty());
  }
  EXPECT_TRUE(any_category);
}

TEST(Recommender, FriendsExcludeSelfAndKnownFriends) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  const int32_t u = r.user_row(id);
  const auto got = r.friends_for_user(id, 12);
  ASSERT_EQ(got.friends.size(), 12u);
  const auto known = r.history().friends(u);
  for (size_t i = 0; i < got.friends.size(); ++i) {
    const auto& f = got.friends[i];
    EXPECT_NE(f.row, u);
    EXPECT_FALSE(std::binary_search(known.begin(), known.end(), f.row));
    if (i > 0) {
      EXPECT_LE(f.score, got.friends[i - 1].score);
    }
    EXPECT_EQ(f.explanation.same_city,
              r.catalogue().home_city(f.row) == r.catalogue().home_city(u));
  }
}

TEST(Recommender, SameCityBoostFavoursTheHomeCity) {
  RecommenderOptions strong;
  strong.same_city_boost = 10;  // more than any score gap in the pool
  const Recommender boosted(open_artifacts(hetero_workdir()), strong);
  const int64_t id = active_user(boosted);
  const auto got = boosted.friends_for_user(id, 10);
  ASSERT_FALSE(got.friends.empty());
  // Same-city candidates form a prefix of the list.
  bool other_seen = false;
  for (const auto& f : got.friends) {
    if (!f.explanation.same_city) other_seen = true;
    EXPECT_FALSE(other_seen && f.explanation.same_city);
  }
}

TEST(Recommender, SimilarPlacesAreRankedByCosineWithoutTheSource) {
  const auto& r = hetero();
  const int64_t place = r.catalogue().places().raw(7);
  const auto got = r.similar_places(place, 8);
  ASSERT_EQ(got.places.size(), 8u);
  for (size_t i = 0; i < got.places.size(); ++i) {
    EXPECT_NE(got.places[i].place_id, place);
    EXPECT_LE(got.places[i].score, 1.0001f);
    if (i > 0) {
      EXPECT_LE(got.places[i].score, got.places[i - 1].score);
    }
  }
  PlaceFilter f;
  f.city = r.catalogue().city(7);
  for (const auto& item : r.similar_places(place, 8, f).places)
    EXPECT_EQ(r.catalogue().city(item.row), *f.city);
}

TEST(Recommender, AttendanceNeedsTheHead) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  const int32_t u = r.user_row(id);
  const int64_t friend_id = r.catalogue().users().raw(r.history().friends(u)[0]);
  const auto a = r.attendance(id, friend_id, r.catalogue().places().raw(0));
  EXPECT_GT(a.probability, 0.0f);
  EXPECT_LT(a.probability, 1.0f);
  EXPECT_TRUE(a.friends);
  ASSERT_TRUE(a.place.has_value());
  EXPECT_GE(a.place->user_percentile, 0.0);
  EXPECT_LT(a.place->user_percentile, 1.0);
  const auto swapped = r.attendance(friend_id, id);
  EXPECT_FALSE(swapped.place.has_value());
  EXPECT_THROW(r.attendance(id, id), InvalidArgument);
  EXPECT_THROW(mf().attendance(id, friend_id), Unsupported);
}

TEST(Recommender, ColdStartUsesTheModelOrPopularity) {
  const auto& r = hetero();
  const auto& c = r.catalogue();
  ColdStartProfile nothing;
  nothing.home_city = 1;
  PlaceQuery q;
  q.k = 5;
  const auto pop = r.cold_start(nothing, q);
  EXPECT_EQ(pop.source, "popularity");
  ASSERT_EQ(pop.places.size(), 5u);
  for (size_t i = 0; i < pop.places.size(); ++i) {
    EXPECT_EQ(c.city(pop.places[i].row), 1);
    if (i > 0) {
      EXPECT_LE(pop.places[i].score, pop.places[i - 1].score);
    }
  }

  ColdStartProfile liked;
  liked.home_city = c.city(3);
  liked.liked_places = {c.places().raw(3), c.places().raw(4)};
  liked.interest_categories = {c.categories(3)[0]};
  const auto inductive = r.cold_start(liked, q);
  EXPECT_EQ(inductive.source, "inductive");
  EXPECT_EQ(inductive.places.size(), 5u);
  const auto fallback = mf().cold_start(liked, q);
  EXPECT_EQ(fallback.source, "liked-places");
  for (const auto* l : {&inductive, &fallback})
    for (const auto& item : l->places) EXPECT_TRUE(item.row != 3 && item.row != 4);

  ColdStartProfile unknown;
  unknown.liked_places = {c.places().raw(3), 99999999};
  unknown.friends = {88888888};
  try {
    r.cold_start(unknown, q);
    FAIL() << "expected NotFound";
  } catch (const NotFound& e) {
    EXPECT_NE(std::string(e.what()).find("99999999"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("88888888"), std::string::npos) << e.what();
  }
  ColdStartProfile bad_city;
  bad_city.home_city = 999;
  EXPECT_THROW(r.cold_start(bad_city, q), NotFound);
}

TEST(Recommender, ErrorsAreTyped) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  PlaceQuery q;
  EXPECT_THROW(r.places_for_user(-12345, q), NotFound);
  EXPECT_THROW(r.similar_places(-12345, 5), NotFound);
  q.k = 0;
  EXPECT_THROW(r.places_for_user(id, q), ConfigError);
  q.k = 5;
  q.diversity = -0.1;
  EXPECT_THROW(r.places_for_user(id, q), ConfigError);
  q.diversity = 0;
  q.filter.city = 12345;
  EXPECT_THROW(r.places_for_user(id, q), NotFound);
  q.filter = {};
  q.filter.near = GeoCircle{0, 0, -1};
  EXPECT_THROW(r.places_for_user(id, q), ConfigError);
}

TEST(Recommender, ConcurrentQueriesGiveTheSequentialAnswers) {
  const auto& r = hetero();
  std::vector<int64_t> users;
  for (int32_t u = 0; u < 40; ++u) users.push_back(r.catalogue().users().raw(u));
  PlaceQuery q;
  std::vector<nlohmann::ordered_json> want, got(users.size());
  for (auto id : users) want.push_back(to_json(r.places_for_user(id, q)));
  std::thread t1([&] {
    for (size_t i = 0; i < users.size(); i += 2) got[i] = to_json(r.places_for_user(users[i], q));
  });
  std::thread t2([&] {
    for (size_t i = 1; i < users.size(); i += 2) got[i] = to_json(r.places_for_user(users[i], q));
  });
  t1.join();
  t2.join();
  EXPECT_EQ(got, want);
}

TEST(Artifacts, RejectsEmbeddingsOfAnotherGraph) {
  namespace fs = std::filesystem;
  const fs::path w = testing::scratch() / "mismatch";
  fs::create_directories(w);
  fs::copy(mf_embeddings(), w / "embeddings", fs::copy_options::recursive);
  ASSERT_EQ(testing::run("build-graph --data " + (hetero_workdir() / "tables").string() +
                         " --output " + (w / "graph").string() + " --seed 7 -q"),
            0)
      << testing::err();
  try {
    open_artifacts(w);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("graph mismatch"), std::string::npos) << e.what();
  }
  EXPECT_THROW(open_artifacts(testing::scratch() / "no-such-dir"), IoError);
}

TEST(Artifacts, ReadsAnIndexFolderAndGivesTheSameAnswers) {
  const auto idx = testing::scratch() / "index";
  ASSERT_EQ(testing::run("index --embeddings " + (hetero_workdir() / "embeddings").string() +
                         " --output " + idx.string() + " -q"),
            0)
      << testing::err();
  const Recommender r(open_artifacts(hetero_workdir(), idx));
  EXPECT_EQ(r.artifacts().index_source, idx.string());
  EXPECT_TRUE(r.artifacts().hetero != nullptr);
  const int64_t id = active_user(r);
  PlaceQuery q;
  EXPECT_EQ(to_json(r.places_for_user(id, q)), to_json(hetero().places_for_user(id, q)));
}

// The server's place lists are written without a JSON tree: the text must be to_json's dump,
// byte for byte, for user lists, cold-start lists (with "source"), odd numbers and any strings.
TEST(RecommendJson, PlaceListTextIsToJson) {
  const auto& r = hetero();
  const int64_t id = active_user(r);
  PlaceQuery q;
  q.k = 12;
  std::vector<PlaceList> lists = {r.places_for_user(id, q)};
  ColdStartProfile profile;
  profile.home_city = r.catalogue().home_city(r.user_row(id));
  lists.push_back(r.cold_start(profile, q));
  PlaceList odd;
  odd.source = "quote \" backslash \\ newline \n tab \t bell \x07 caf\xc3\xa9";
  odd.places.push_back({0, 42, -1.25e-7f, {}});
  odd.places.push_back({1, 43, std::numeric_limits<float>::infinity(), {}});
  odd.places.push_back({2, 44, 123456789.0f, {}});
  lists.push_back(odd);
  PlaceList empty;
  empty.user_id = 7;
  lists.push_back(empty);
  for (const auto& l : lists) {
    const std::string text = place_list_text(l);
    EXPECT_EQ(text, to_json(l).dump());
    EXPECT_TRUE(nlohmann::ordered_json::accept(text)) << text;
  }
  EXPECT_FALSE(lists[0].places.empty());
  EXPECT_FALSE(lists[1].places.empty());
}

TEST(RecommendCommand, PrintsTheApiJson) {
  using testing::run;
  const auto w = hetero_workdir().string();
  const int64_t id = active_user(hetero());
  ASSERT_EQ(run("recommend --artifacts " + w + " --user " + std::to_string(id) + " --k 4"), 0)
      << testing::err();
  const auto j = nlohmann::ordered_json::parse(testing::out());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j.begin().key(), "user_id");
  EXPECT_EQ(j["user_id"], id);
  ASSERT_EQ(j["places"].size(), 4u);
  for (const auto& p : j["places"]) {
    EXPECT_TRUE(p.contains("place_id") && p.contains("score") && p.contains("explanation"));
    EXPECT_EQ(p.size(), 3u);
  }
  ASSERT_EQ(
      run("recommend --artifacts " + w + " --user " + std::to_string(id) + " --friends --k 3"), 0)
      << testing::err();
  EXPECT_EQ(nlohmann::json::parse(testing::out())["friends"].size(), 3u);
  EXPECT_NE(run("recommend --artifacts " + w + " --user -777"), 0);
  EXPECT_NE(testing::err().find("unknown user id -777"), std::string::npos) << testing::err();
  EXPECT_NE(run("recommend --artifacts " + w + " --user 1 --near 1,2"), 0);
  EXPECT_NE(run("recommend --artifacts " + mf_embeddings().string() + " --user " +
                std::to_string(id) + " --attendance " + std::to_string(id == 0 ? 1 : 0)),
            0);
  EXPECT_NE(testing::err().find("attendance head"), std::string::npos) << testing::err();
}

}  // namespace
}  // namespace recsys::recommend
