#include "recsys/recommend/recommender.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "recsys/core/error.h"
#include "recsys/recommend/diversity.h"
#include "recsys/recommend/vector_math.h"

namespace recsys::recommend {
namespace {

void check_k(int k) {
  if (k < 1 || k > kMaxK) throw ConfigError(fmt::format("k {}: must be in [1, {}]", k, kMaxK));
}

// Candidates fetched before re-ranking (MMR, city boost, cosine).
int pool_size(int k) {
  return std::max(4 * k, 50);
}

bool contains(std::span<const int32_t> sorted, int32_t x) {
  return std::binary_search(sorted.begin(), sorted.end(), x);
}

}  // namespace

Recommender::Recommender(Artifacts artifacts, const RecommenderOptions& options)
    : artifacts_(std::move(artifacts)),
      options_(options),
      catalogue_(std::make_unique<PlaceCatalogue>(*artifacts_.graph)),
      history_(std::make_unique<InteractionHistory>(*artifacts_.graph, options.seen)),
      popularity_(std::make_unique<PlacePopularity>(*artifacts_.graph)),
      place_unit_(artifacts_.embeddings.places.data(), catalogue_->n_places(), artifacts_.dim()) {
  if (!(options.same_city_boost >= 0))
    throw ConfigError(fmt::format("same_city_boost {}: must be >= 0", options.same_city_boost));
  candidates_ = CandidateTable::build(
      artifacts_.embeddings.users.data(), catalogue_->n_users(),
      artifacts_.embeddings.places.data(), catalogue_->n_places(), artifacts_.dim(), *history_,
      options.candidates);
  if (!options.cities.empty()) {
    shard_ = std::make_unique<CityShard>(options.cities, *catalogue_, artifacts_.embeddings.places.data(),
                                         artifacts_.dim(), artifacts_.index.places.params());
    artifacts_.index.places = index::VectorIndex();  // the shard's own index replaces it
  }
}

void Recommender::check_shard(const PlaceFilter& filter) const {
  if (shard_ && filter.city && !shard_->holds_city(*filter.city))
    throw NotFound(fmt::format("city {}: not in this city shard (it serves cities [{}])", *filter.city,
                               fmt::join(shard_->cities(), ", ")));
}
Recommender::~Recommender() = default;
Recommender::Recommender(Recommender&&) noexcept = default;

std::vector<index::Hit> Recommender::search_places(const float* query, const PlaceQuery& q,
                                                   std::span<const int32_t> exclude,
                                                   int32_t user) const {
  check_k(q.k);
  if (!(q.diversity >= 0 && q.diversity <= 1))
    throw ConfigError(fmt::format("diversity {}: must be in [0, 1]", q.diversity));
  check_filter(q.filter, *catalogue_);
  check_shard(q.filter);
  const auto& index = artifacts_.index.places;
  const int64_t n_places = catalogue_->n_places();
  const int pool = q.diversity > 0 ? pool_size(q.k) : q.k;
  // The allowed rows as a bitmap (filters, minus the excluded rows): the index then searches
  // for `pool` rows among them. Over-fetching k + |excluded| instead made HNSW walk with a
  // breadth of a few hundred for users with long histories (docs/benchmarks.md, "Serving").
  thread_local std::vector<uint8_t> allowed;
  int64_t count = 0;
  if (q.filter.empty() && shard_) {
    allowed = shard_->mask();
    count = shard_->n_places();
  } else if (q.filter.empty()) {
    allowed.assign(static_cast<size_t>(n_places), 1);
    count = n_places;
  } else {
    count = allowed_places(q.filter, *catalogue_, allowed);
    if (shard_) count = shard_->restrict(allowed);
  }
  for (int32_t r : exclude)
    if (allowed[static_cast<size_t>(r)]) allowed[static_cast<size_t>(r)] = 0, --count;
  std::vector<index::Hit> hits;
  // The user's precomputed list when it has `pool` allowed places, else the index (which
  // replaces the partial list).
  const bool listed = count > 0 && user >= 0 && candidates_ &&
                      candidates_->best_allowed(user, allowed.data(), pool, hits);
  if (count > 0 && !listed)
    hits = shard_                ? shard_->search(query, pool, allowed.data(), count)
           : count == n_places ? index.search(query, pool)
                               : index.search(query, pool, allowed.data(), count);
  return mmr_rerank(hits, q.k, q.diversity, place_unit_);
}

std::vector<PlaceItem> Recommender::items(const std::vector<index::Hit>& hits, const Taste& taste,
                                          std::span<const int32_t> friends) const {
  std::vector<PlaceItem> out;
  out.reserve(hits.size());
  const FriendSet friend_set(friends, catalogue_->n_users());
  for (const auto& h : hits)
    out.push_back({h.row, catalogue_->places().raw(h.row), h.score,
                   explain_place(*catalogue_, *history_, taste, friend_set, h.row)});
  return out;
}

PlaceList Recommender::places_for_user(int64_t user_id, const PlaceQuery& q,
                                       std::span<const int32_t> extra_seen) const {
  const int32_t u = user_row(user_id);
  std::span<const int32_t> seen = history_->seen_places(u);
  std::vector<int32_t> merged;
  if (!extra_seen.empty()) {
    for (int32_t r : extra_seen)
      if (r < 0 || r >= catalogue_->n_places())
        throw InvalidArgument(fmt::format("extra seen place row {} out of range", r));
    merged.assign(seen.begin(), seen.end());
    merged.insert(merged.end(), extra_seen.begin(), extra_seen.end());
    std::sort(merged.begin(), merged.end());
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    seen = merged;
  }
  const auto hits = search_places(artifacts_.user_vector(u), q,
                                  q.exclude_seen ? seen : std::span<const int32_t>(), u);
  PlaceList out;
  out.user_id = user_id;
  out.source = "model";
  out.places = items(hits, Taste::of(*catalogue_, seen), history_->friends(u));
  return out;
}

FriendList Recommender::friends_for_user(int64_t user_id, int k) const {
  check_k(k);
  const int32_t u = user_row(user_id);
  const auto known = history_->friends(u);
  const auto& index = artifacts_.index.users;
  const auto pool = static_cast<size_t>(pool_size(k));
  const auto fetch = std::min<int64_t>(static_cast<int64_t>(pool + known.size()) + 1, index.rows());
  auto hits = index.search(artifacts_.user_vector(u), static_cast<int>(fetch));
  std::erase_if(hits, [&](const index::Hit& h) { return h.row == u || contains(known, h.row); });
  if (hits.size() > pool) hits.resize(pool);
  FriendList out;
  out.user_id = user_id;
  if (hits.empty()) return out;
  float hi = hits.front().score, lo = hits.front().score;
  for (const auto& h : hits) hi = std::max(hi, h.score), lo = std::min(lo, h.score);
  const auto boost = static_cast<float>(options_.same_city_boost * (hi - lo));
  const int32_t city = catalogue_->home_city(u);
  for (auto& h : hits)
    if (city >= 0 && catalogue_->home_city(h.row) == city) h.score += boost;
  std::stable_sort(hits.begin(), hits.end(),
                   [](const index::Hit& a, const index::Hit& b) { return a.score > b.score; });
  if (hits.size() > static_cast<size_t>(k)) hits.resize(static_cast<size_t>(k));
  for (const auto& h : hits)
    out.friends.push_back({h.row, catalogue_->users().raw(h.row), h.score,
                           explain_friend(*catalogue_, *history_, u, h.row)});
  return out;
}

SimilarPlaces Recommender::similar_places(int64_t place_id, int k,
                                          const PlaceFilter& filter) const {
  check_k(k);
  const int32_t p = place_row(place_id);
  PlaceQuery q;
  q.k = std::min(pool_size(k), kMaxK);
  q.filter = filter;
  q.diversity = 0;
  const int32_t self[] = {p};
  auto hits = search_places(artifacts_.place_vector(p), q, self);
  // Candidates by inner product, ranked by cosine (inner product alone favours long vectors).
  for (auto& h : hits) h.score = place_unit_.cosine(p, h.row);
  std::stable_sort(hits.begin(), hits.end(),
                   [](const index::Hit& a, const index::Hit& b) { return a.score > b.score; });
  if (hits.size() > static_cast<size_t>(k)) hits.resize(static_cast<size_t>(k));
  SimilarPlaces out;
  out.place_id = place_id;
  out.places = items(hits, Taste::of(*catalogue_, self), {});
  const int32_t hood = catalogue_->neighborhood(p);
  for (auto& item : out.places) {
    item.explanation.similar_to = place_id;
    item.explanation.same_neighborhood = hood >= 0 && catalogue_->neighborhood(item.row) == hood;
  }
  return out;
}

AttendanceAnswer Recommender::attendance(int64_t user_id, int64_t friend_id,
                                         std::optional<int64_t> place_id) const {
  const int32_t a = user_row(user_id), b = user_row(friend_id);
  if (a == b) throw InvalidArgument(fmt::format("attendance: user {} paired with itself", user_id));
  std::optional<int32_t> p;
  if (place_id) p = place_row(*place_id);
  if (!artifacts_.hetero)
    throw Unsupported(fmt::format(
        "attendance: model \"{}\" (embeddings {}) has no attendance head; it needs a hetero "
        "model's serving files",
        artifacts_.embeddings.manifest.value("model", "?"), artifacts_.embeddings.dir.string()));
  AttendanceAnswer out;
  out.user_id = user_id;
  out.friend_id = friend_id;
  out.probability = artifacts_.hetero->attendance_probability(artifacts_.user_vector(a),
                                                              artifacts_.user_vector(b));
  out.friends = contains(history_->friends(a), b);
  if (p) {
    const int dim = artifacts_.dim();
    const float* place = artifacts_.place_vector(*p);
    AttendanceAnswer::AtPlace at;
    at.place_id = *place_id;
    at.user_score = dot(artifacts_.user_vector(a), place, dim);
    at.friend_score = dot(artifacts_.user_vector(b), place, dim);
    int64_t below_a = 0, below_b = 0;
    const auto n = catalogue_->n_places();
    for (int32_t r = 0; r < n; ++r) {
      below_a += dot(artifacts_.user_vector(a), artifacts_.place_vector(r), dim) < at.user_score;
      below_b += dot(artifacts_.user_vector(b), artifacts_.place_vector(r), dim) < at.friend_score;
    }
    at.user_percentile = static_cast<double>(below_a) / static_cast<double>(n);
    at.friend_percentile = static_cast<double>(below_b) / static_cast<double>(n);
    out.place = at;
  }
  return out;
}

PlaceList Recommender::cold_start(const ColdStartProfile& profile, const PlaceQuery& q) const {
  const auto& c = *catalogue_;
  if (profile.home_city) c.check_city(*profile.home_city);
  if (profile.home_neighborhood) c.check_neighborhood(*profile.home_neighborhood);
  for (auto n : profile.neighborhoods) c.check_neighborhood(n);
  for (auto k : profile.interest_categories) c.check_category(k);
  std::vector<int32_t> liked, friends;
  std::vector<int64_t> unknown_places, unknown_users;
  for (auto id : profile.liked_places) {
    const int32_t r = c.places().find(id);
    r < 0 ? unknown_places.push_back(id) : liked.push_back(r);
  }
  for (auto id : profile.friends) {
    const int32_t r = c.users().find(id);
    r < 0 ? unknown_users.push_back(id) : friends.push_back(r);
  }
  if (!unknown_places.empty() || !unknown_users.empty())
    throw NotFound(fmt::format("profile: unknown place ids [{}], unknown user ids [{}]",
                               fmt::join(unknown_places, ", "), fmt::join(unknown_users, ", ")));
  for (auto* v : {&liked, &friends}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  std::vector<int32_t> interests(profile.interest_categories.begin(),
                                 profile.interest_categories.end());
  const Taste taste = Taste::of(c, liked, interests);

  PlaceList out;
  std::vector<float> query;
  const int dim = artifacts_.dim();
  if (profile.has_taste() && artifacts_.hetero) {
    model::NewUserProfile np;
    np.home_city = profile.home_city ? static_cast<int32_t>(*profile.home_city) : -1;
    np.home_neighborhood =
        profile.home_neighborhood ? static_cast<int32_t>(*profile.home_neighborhood) : -1;
    np.neighborhoods.assign(profile.neighborhoods.begin(), profile.neighborhoods.end());
    np.interest_categories = interests;
    np.places = liked;
    np.friends = friends;
    query = artifacts_.hetero->embed_user(np);
    out.source = "inductive";
  } else if (!liked.empty() || !friends.empty()) {
    // Not inductive: the mean of the liked places' embeddings (scores = mean inner product with
    // them), else of the friends' user embeddings.
    const bool by_places = !liked.empty();
    const auto& rows = by_places ? liked : friends;
    query.assign(static_cast<size_t>(dim), 0.0f);
    for (int32_t r : rows) {
      const float* v = by_places ? artifacts_.place_vector(r) : artifacts_.user_vector(r);
      for (int d = 0; d < dim; ++d) query[static_cast<size_t>(d)] += v[d];
    }
    for (auto& x : query) x /= static_cast<float>(rows.size());
    out.source = by_places ? "liked-places" : "friends";
  }
  if (!query.empty()) {
    if (static_cast<int>(query.size()) != dim)
      throw FormatError(
          fmt::format("cold start: a {}-d user embedding for {}-d places", query.size(), dim));
    out.places = items(search_places(query.data(), q, liked), taste, friends);
    return out;
  }
  check_k(q.k);
  check_filter(q.filter, c);
  check_shard(q.filter);
  std::vector<uint8_t> allowed;
  if (!q.filter.empty()) allowed_places(q.filter, c, allowed);
  if (shard_ && q.filter.empty()) allowed = shard_->mask();
  else if (shard_) shard_->restrict(allowed);
  const int32_t city = profile.home_city ? static_cast<int32_t>(*profile.home_city) : -1;
  const auto hits =
      popularity_->top(c, q.k, city, interests, allowed.empty() ? nullptr : allowed.data());
  out.source = "popularity";
  out.places = items(hits, taste, friends);
  for (auto& item : out.places) item.explanation.visitors = popularity_->degree(item.row);
  return out;
}

}  // namespace recsys::recommend
