#pragma once
// The JSON of the recommender's answers, shared by `recsys recommend` and the HTTP server:
//   places for a user   {"user_id": 7, "places": [{"place_id": 12, "score": 3.21,
//                        "explanation": "matches your category 3 and tags 41, 44; 2 friends
//                        went there (17, 90)"}, ...]}
//   cold start          {"user_id": null, "source": "inductive", "places": [...]}
//   friends             {"user_id": 7, "friends": [{"user_id": 9, "score": .., "explanation": ..,
//                        "mutual_friends": 3, "co_attended_places": 5, "same_city": true}]}
//   similar places      {"place_id": 12, "places": [...]} (score = cosine similarity)
//   attendance          {"user_id": 7, "friend_id": 9, "probability": 0.83, "friends": true,
//                        "place": {"place_id": .., "user_score": .., "friend_score": ..,
//                        "user_percentile": .., "friend_percentile": ..}}  ("place" only if asked)
//   user profile        {"user_id": 7, "known": true, "home_city": 2, "friends": 14,
//                        "seen_places": 31, "interests": [{"category": 3, "count": 9}, ...],
//                        "recent_places": [{"place_id": 12, "city": 2, "categories": [3],
//                        "live": false, "last_timestamp": 1700000000000000}, ...]}
//                        ("live": reported through events since the artifacts were built;
//                        last_timestamp: microseconds since the epoch, null when unknown)
//   place               {"place_id": 12, "city": 2, "neighborhood": 40, "price_band": 1,
//                        "time_slot": 2, "categories": [3], "tags": [41, 44], "lat": .., "lon": ..,
//                        "visitors": 25}  (unknown attributes are null)
// Scores are rounded to 6 significant digits; keys keep the order shown (ordered_json).
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "recsys/recommend/recommender.h"

namespace recsys::recommend {

std::string explanation_text(const PlaceExplanation& e);
std::string explanation_text(const FriendExplanation& e);

nlohmann::ordered_json to_json(const PlaceList& list);
// to_json(list).dump(), written straight into the text with no JSON tree in between: the
// server's hottest answer. Parsing it gives to_json(list).
std::string place_list_text(const PlaceList& list);
nlohmann::ordered_json to_json(const FriendList& list);
nlohmann::ordered_json to_json(const SimilarPlaces& list);
nlohmann::ordered_json to_json(const AttendanceAnswer& answer);

// The profile of a user: `live_places` are raw place ids reported since the artifacts were built
// (newest last), listed first in "recent_places". A user the artifacts do not know is "known":
// false, with only the live places. Interests: the categories of the places they have seen, by
// how many of those places have them (at most `max_interests`); recent places: newest first by
// last interaction time (at most `max_recent`). NotFound when unknown and without live places.
nlohmann::ordered_json user_profile_json(const Recommender& rec, int64_t user_id,
                                         std::span<const int64_t> live_places,
                                         int max_interests = 10, int max_recent = 10);
// A place's attributes; NotFound for an unknown raw id.
nlohmann::ordered_json place_json(const Recommender& rec, int64_t place_id);

}  // namespace recsys::recommend
