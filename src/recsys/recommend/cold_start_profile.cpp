#include "recsys/recommend/cold_start_profile.h"

#include <fmt/format.h>

#include "recsys/core/error.h"

namespace recsys::recommend {
namespace {

int64_t integer(const nlohmann::json& v, const std::string& source, const std::string& key) {
  if (!v.is_number_integer())
    throw ConfigError(fmt::format("{}: \"{}\" must hold integers, got {}", source, key, v.dump()));
  return v.get<int64_t>();
}

std::vector<int64_t> integers(const nlohmann::json& v, const std::string& source,
                              const std::string& key) {
  if (!v.is_array())
    throw ConfigError(fmt::format("{}: \"{}\" must be an array of integers", source, key));
  std::vector<int64_t> out;
  for (const auto& x : v) out.push_back(integer(x, source, key));
  return out;
}

}  // namespace

ColdStartProfile parse_profile(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw ConfigError(fmt::format("{}: a profile must be a JSON object", source));
  ColdStartProfile p;
  for (const auto& [key, v] : j.items()) {
    if (key == "home_city") {
      if (!v.is_null()) p.home_city = integer(v, source, key);
    } else if (key == "home_neighborhood") {
      if (!v.is_null()) p.home_neighborhood = integer(v, source, key);
    } else if (key == "neighborhoods") {
      p.neighborhoods = integers(v, source, key);
    } else if (key == "interest_categories") {
      p.interest_categories = integers(v, source, key);
    } else if (key == "liked_places") {
      p.liked_places = integers(v, source, key);
    } else if (key == "friends") {
      p.friends = integers(v, source, key);
    } else {
      throw ConfigError(
          fmt::format("{}: unknown profile key \"{}\" (expected home_city, home_neighborhood, "
                      "neighborhoods, interest_categories, liked_places, friends)",
                      source, key));
    }
  }
  return p;
}

}  // namespace recsys::recommend
