#pragma once
// Splits user-user friendships and friend labels into train / validation / test
// by a seeded hash of the unordered pair, so a pair is in the same split in both
// tables (a held-out friend label never has its friendship in the training
// graph). Friendships are symmetrised and deduplicated; self-loops are dropped.
#include <cstdint>
#include <vector>

#include "recsys/graph/build_config.h"
#include "recsys/graph/csr.h"
#include "recsys/graph/input_tables.h"

namespace recsys::graph {

struct SocialSplit {
  Csr train, valid, test;  // symmetric user x user CSRs (each pair stored both ways)
  int64_t train_pairs = 0, valid_pairs = 0, test_pairs = 0;
  int64_t self_loops_dropped = 0, duplicates_dropped = 0;
};

EventSplit pair_split(const GraphBuildConfig& config, int32_t a, int32_t b);

SocialSplit split_social_edges(const PairTable& edges, int64_t n_users,
                               const GraphBuildConfig& config);

// Per friend-label row: its split (EventSplit as int8).
std::vector<int8_t> split_friend_labels(const PairTable& labels, const GraphBuildConfig& config);

}  // namespace recsys::graph
