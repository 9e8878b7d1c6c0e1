#pragma once
// Sharded generation (`recsys generate --shard i/n`): which users a shard owns.
//
// The unit of sharding is a city. Social edges only join users of the same home
// city, so a shard that owns whole cities computes its edges, their
// co-attendance and its positive friend labels from its own users alone. Cities
// go to shards greedily by user count (largest city first, to the shard with the
// fewest users so far; ties by the lower id), from the user profiles that every
// shard regenerates (each user from its own random stream), so every shard
// computes the same assignment without talking to the others.
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/synthetic/users.h"

namespace recsys::synthetic {

struct ShardSpec {
  int index = 0;  // 0 .. count-1
  int count = 1;
};

// "i/n" with 0 <= i < n and n >= 1; anything else throws ConfigError naming `flag`.
ShardSpec parse_shard_spec(const std::string& text, const std::string& flag = "--shard");

// The shard of every city (n_cities entries).
std::vector<int32_t> assign_cities_to_shards(const UserTable& users, int n_cities, int n_shards);

// The rows of the users whose home city belongs to `shard`, ascending.
std::vector<size_t> shard_user_rows(const UserTable& users, const std::vector<int32_t>& city_shard,
                                    int shard);

// The pair {a, b} of a negative friend label is drawn by exactly one of its two
// users, chosen by a hash of (seed, min, max): a user keeps a drawn partner only
// when it is the pair's designated drawer. So a pair is never drawn by two users,
// and each shard writes the negatives its own users drew without asking another
// shard what its users drew.
bool is_designated_drawer(int64_t seed, int32_t drawer, int32_t partner);

}  // namespace recsys::synthetic
