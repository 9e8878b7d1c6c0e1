#include "recsys/serve/shard_map.h"

#include <fmt/format.h>

#include <charconv>
#include <map>

#include "recsys/core/error.h"

namespace recsys::serve {

ShardMaps nginx_shard_maps(const recommend::PlaceCatalogue& catalogue, const std::vector<std::vector<int32_t>>& shards,
                           const std::string& upstream_prefix) {
  if (shards.empty()) throw ConfigError("shard map: no shards given");
  std::map<int32_t, size_t> shard_of;  // city -> shard
  for (size_t s = 0; s < shards.size(); ++s) {
    if (shards[s].empty()) throw ConfigError(fmt::format("shard map: shard {} has no cities", s));
    for (int32_t city : shards[s]) {
      catalogue.check_city(city);
      const auto [it, fresh] = shard_of.emplace(city, s);
      if (!fresh && it->second != s)
        throw ConfigError(fmt::format("shard map: city {} is in shard {} and in shard {}", city, it->second, s));
    }
  }
  ShardMaps out;
  for (const auto& [city, s] : shard_of) out.cities += fmt::format("{} {}{};\n", city, upstream_prefix, s);
  for (int32_t row = 0; row < catalogue.n_users(); ++row) {
    const auto it = shard_of.find(catalogue.home_city(row));
    if (it == shard_of.end()) {
      ++out.users_unmapped;
      continue;
    }
    out.users += fmt::format("{} {}{};\n", catalogue.users().raw(row), upstream_prefix, it->second);
    ++out.users_mapped;
  }
  return out;
}

std::vector<int32_t> parse_city_list(const std::string& text, const std::string& what) {
  std::vector<int32_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    int32_t v = -1;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || v < 0)
      throw ConfigError(fmt::format("{} '{}': expected comma-separated city ids (non-negative integers), "
                                    "got '{}'",
                                    what, text, item));
    out.push_back(v);
    start = end + 1;
  }
  return out;
}

}  // namespace recsys::serve
