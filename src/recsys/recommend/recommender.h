#pragma once
// The recommender: loaded once from the artifacts, then answers any number of queries; every
// query method is const and thread-safe. Results are plain structs (recommend_json.h turns them
// into the JSON the CLI and the HTTP server print). Unknown ids throw NotFound, bad parameters
// ConfigError, queries the model cannot answer (attendance without the head) Unsupported.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "recsys/recommend/artifacts.h"
#include "recsys/recommend/candidate_table.h"
#include "recsys/recommend/city_shard.h"
#include "recsys/recommend/cold_start_profile.h"
#include "recsys/recommend/diversity.h"
#include "recsys/recommend/explanation.h"
#include "recsys/recommend/interaction_history.h"
#include "recsys/recommend/place_catalogue.h"
#include "recsys/recommend/place_filter.h"
#include "recsys/recommend/popularity.h"

namespace recsys::recommend {

inline constexpr double kDefaultDiversity = 0.2;
inline constexpr int kMaxK = 1000;

struct PlaceQuery {
  int k = 20;
  PlaceFilter filter;
  bool exclude_seen = true;              // places the user already interacted with
  double diversity = kDefaultDiversity;  // MMR weight in [0, 1] (diversity.h); 0: off
};

struct PlaceItem {
  int32_t row = -1;
  int64_t place_id = -1;
  float score = 0;
  PlaceExplanation explanation;
};

struct PlaceList {
  std::optional<int64_t> user_id;  // unset for a cold-start profile
  std::string source;              // "model", "inductive", "liked-places", "friends", "popularity"
  std::vector<PlaceItem> places;
};

struct FriendItem {
  int32_t row = -1;
  int64_t user_id = -1;
  float score = 0;  // model score plus the same-city boost
  FriendExplanation explanation;
};

struct FriendList {
  int64_t user_id = -1;
  std::vector<FriendItem> friends;
};

struct SimilarPlaces {
  int64_t place_id = -1;
  std::vector<PlaceItem> places;  // score = cosine similarity of the embeddings
};

struct AttendanceAnswer {
  int64_t user_id = -1, friend_id = -1;
  float probability = 0;  // the attendance head's probability that the two go out together
  bool friends = false;   // a known friendship (training or validation)
  struct AtPlace {
    int64_t place_id = -1;
    float user_score = 0, friend_score = 0;             // model scores of the place
    double user_percentile = 0, friend_percentile = 0;  // share of places scored lower
  };
  std::optional<AtPlace> place;
};

struct RecommenderOptions {
  SeenSplits seen = SeenSplits::kTrainValid;
  // Friend suggestions: a candidate in the user's home city gains this share of the score
  // spread of the candidate pool (docs/decisions.md, "Recommender").
  double same_city_boost = 0.3;
  // Catalogue sharding (city_shard.h): the graph's ids of the cities whose places this
  // recommender serves; empty: every city. Place results (for users, similar places, cold
  // start) then come from these cities only, and the full place index is dropped.
  std::vector<int32_t> cities;
  // Per-user candidate lists computed at load (candidate_table.h); per_user 0: always the index.
  CandidateTableOptions candidates;
};

class Recommender {
 public:
  explicit Recommender(Artifacts artifacts, const RecommenderOptions& options = {});
  ~Recommender();
  Recommender(Recommender&&) noexcept;

  const Artifacts& artifacts() const { return artifacts_; }
  const PlaceCatalogue& catalogue() const { return *catalogue_; }
  const InteractionHistory& history() const { return *history_; }
  // The city shard served, or null when every city is.
  const CityShard* shard() const { return shard_.get(); }

  // The user's row; NotFound for an unknown raw id.
  int32_t user_row(int64_t user_id) const { return catalogue_->users().row(user_id); }
  int32_t place_row(int64_t place_id) const { return catalogue_->places().row(place_id); }

  // `extra_seen`: more place rows the user has interacted with (e.g. live events since the
  // artifacts were built; any order), excluded and explained like the history's.
  PlaceList places_for_user(int64_t user_id, const PlaceQuery& query,
                            std::span<const int32_t> extra_seen = {}) const;
  FriendList friends_for_user(int64_t user_id, int k) const;
  SimilarPlaces similar_places(int64_t place_id, int k, const PlaceFilter& filter = {}) const;
  AttendanceAnswer attendance(int64_t user_id, int64_t friend_id,
                              std::optional<int64_t> place_id = std::nullopt) const;
  PlaceList cold_start(const ColdStartProfile& profile, const PlaceQuery& query) const;

  // The embedding-space top places for a query vector, with the filter, the excluded rows
  // (ascending) and diversity applied; scores are inner products.
  // `user`: the known user the query vector belongs to (-1: none), whose candidate list is
  // tried before the index.
  std::vector<index::Hit> search_places(const float* query, const PlaceQuery& q,
                                        std::span<const int32_t> exclude,
                                        int32_t user = -1) const;
  // The users whose candidate lists were precomputed (null: none, every query uses the index).
  const CandidateTable* candidates() const { return candidates_ ? &*candidates_ : nullptr; }

 private:
  // NotFound when a sharded recommender is asked for a city it does not hold.
  void check_shard(const PlaceFilter& filter) const;
  std::vector<PlaceItem> items(const std::vector<index::Hit>& hits, const Taste& taste,
                               std::span<const int32_t> friends) const;

  Artifacts artifacts_;
  RecommenderOptions options_;
  std::unique_ptr<PlaceCatalogue> catalogue_;
  std::unique_ptr<InteractionHistory> history_;
  std::unique_ptr<PlacePopularity> popularity_;
  UnitVectors place_unit_;  // for MMR and cosine similarity
  std::unique_ptr<CityShard> shard_;
  std::optional<CandidateTable> candidates_;
};

}  // namespace recsys::recommend
