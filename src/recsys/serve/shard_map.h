#pragma once
// The router's lookup tables for catalogue sharding by city (docs/decisions.md, "Scaling out
// serving"), as the bodies of two nginx `map` blocks:
//   cities: "CITY UPSTREAM;" for every city of every shard (a city filter picks its shard);
//   users:  "USER UPSTREAM;" for every user whose home city is in a shard (a request without a
//           city filter goes to the user's home-city shard).
// Shard i's upstream is named "<prefix><i>". Users without a home city, or whose home city is in
// no shard, are left out: the router's `default` sends them to the first shard.
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/recommend/place_catalogue.h"

namespace recsys::serve {

struct ShardMaps {
  std::string cities, users;
  int64_t users_mapped = 0, users_unmapped = 0;
};

// ConfigError when no shard is given, a shard is empty or a city is in two shards; NotFound for
// a city the catalogue does not have.
ShardMaps nginx_shard_maps(const recommend::PlaceCatalogue& catalogue, const std::vector<std::vector<int32_t>>& shards,
                           const std::string& upstream_prefix = "shard");

// "0,1,5" -> {0, 1, 5}; ConfigError naming `what` for anything but non-negative integers.
std::vector<int32_t> parse_city_list(const std::string& text, const std::string& what);

}  // namespace recsys::serve
