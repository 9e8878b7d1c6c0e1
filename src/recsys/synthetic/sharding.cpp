#include "recsys/synthetic/sharding.h"

#include <algorithm>
#include <charconv>
#include <numeric>

#include "recsys/core/error.h"
#include "recsys/core/random_stream.h"

namespace recsys::synthetic {

namespace {

bool parse_int(const std::string& s, int& out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

ShardSpec parse_shard_spec(const std::string& text, const std::string& flag) {
  const auto slash = text.find('/');
  ShardSpec spec;
  if (slash == std::string::npos || !parse_int(text.substr(0, slash), spec.index) ||
      !parse_int(text.substr(slash + 1), spec.count))
    throw ConfigError(flag + " " + text + ": expected i/n (shard i of n, 0 <= i < n), e.g. 0/4");
  if (spec.count < 1) throw ConfigError(flag + " " + text + ": n must be at least 1");
  if (spec.index < 0 || spec.index >= spec.count)
    throw ConfigError(flag + " " + text + ": i must lie in 0.." + std::to_string(spec.count - 1));
  return spec;
}

std::vector<int32_t> assign_cities_to_shards(const UserTable& users, int n_cities, int n_shards) {
  if (n_cities < 1 || n_shards < 1)
    throw InvalidArgument("assign_cities_to_shards: n_cities and n_shards must be >= 1");
  std::vector<int64_t> size(static_cast<size_t>(n_cities), 0);
  for (const int32_t c : users.home_city_id) {
    if (c < 0 || c >= n_cities)
      throw InvalidArgument("assign_cities_to_shards: home_city_id " + std::to_string(c) +
                            " outside 0.." + std::to_string(n_cities - 1));
    ++size[static_cast<size_t>(c)];
  }
  std::vector<int32_t> order(static_cast<size_t>(n_cities));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return size[static_cast<size_t>(a)] > size[static_cast<size_t>(b)];
  });
  std::vector<int64_t> load(static_cast<size_t>(n_shards), 0);
  std::vector<int32_t> shard_of(static_cast<size_t>(n_cities), 0);
  for (const int32_t c : order) {
    const auto lightest = static_cast<size_t>(std::min_element(load.begin(), load.end()) -
                                              load.begin());  // first minimum: lowest id
    shard_of[static_cast<size_t>(c)] = static_cast<int32_t>(lightest);
    load[lightest] += size[static_cast<size_t>(c)];
  }
  return shard_of;
}

std::vector<size_t> shard_user_rows(const UserTable& users, const std::vector<int32_t>& city_shard,
                                    int shard) {
  std::vector<size_t> rows;
  for (size_t u = 0; u < users.size(); ++u)
    if (city_shard[static_cast<size_t>(users.home_city_id[u])] == shard) rows.push_back(u);
  return rows;
}

bool is_designated_drawer(int64_t seed, int32_t drawer, int32_t partner) {
  const auto lo = static_cast<uint64_t>(static_cast<uint32_t>(std::min(drawer, partner)));
  const auto hi = static_cast<uint64_t>(static_cast<uint32_t>(std::max(drawer, partner)));
  const uint64_t h = mix64(mix64(static_cast<uint64_t>(seed) ^ 0x5eedf00dULL) ^ (lo << 32 | hi));
  return ((h & 1) ? std::min(drawer, partner) : std::max(drawer, partner)) == drawer;
}

}  // namespace recsys::synthetic
