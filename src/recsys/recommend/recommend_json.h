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
// Scores are rounded to 6 significant digits; keys keep the order shown (ordered_json).
#include <nlohmann/json.hpp>
#include <string>

#include "recsys/recommend/recommender.h"

namespace recsys::recommend {

std::string explanation_text(const PlaceExplanation& e);
std::string explanation_text(const FriendExplanation& e);

nlohmann::ordered_json to_json(const PlaceList& list);
nlohmann::ordered_json to_json(const FriendList& list);
nlohmann::ordered_json to_json(const SimilarPlaces& list);
nlohmann::ordered_json to_json(const AttendanceAnswer& answer);

}  // namespace recsys::recommend
