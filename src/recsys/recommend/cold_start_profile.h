#pragma once
// A new user as a client describes it (`recsys recommend --profile FILE.json`, the server's
// cold-start request). JSON object, every key optional:
//   {"home_city": 3, "home_neighborhood": 41, "neighborhoods": [41, 44],
//    "interest_categories": [2, 7], "liked_places": [raw place ids], "friends": [raw user ids]}
// City, neighborhood and category ids are the data set's ids (= the graph's node indices).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace recsys::recommend {

struct ColdStartProfile {
  std::optional<int64_t> home_city, home_neighborhood;
  std::vector<int64_t> neighborhoods, interest_categories, liked_places, friends;

  // No liked places, friends or interests: only popularity can answer.
  bool has_taste() const {
    return !liked_places.empty() || !friends.empty() || !interest_categories.empty();
  }
};

// ConfigError naming `source` and the key for an unknown key or a value of the wrong type.
ColdStartProfile parse_profile(const nlohmann::json& j, const std::string& source);

}  // namespace recsys::recommend
