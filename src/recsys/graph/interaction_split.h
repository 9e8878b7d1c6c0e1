#pragma once
// Aggregates interaction events per (user, place) pair and splits the pairs into
// training (message passing), validation and test without leakage:
//   - a pair belongs to exactly one split (all of its events go with it);
//   - temporal / global-time: a user's pairs are ordered by when the user first
//     interacted with the place; the latest go to test, the ones before to
//     validation. Events of training pairs later than the user's first held-out
//     pair (or the global cutoff) are dropped, so nothing in training happens
//     after anything held out;
//   - predefined: the `split` column; a pair seen in several splits goes to the
//     latest (test over valid over train);
//   - cold-start users (a seeded share of the users with interactions): every
//     pair goes to test.
// Ties and random orders come from a hash of (seed, user, place), so the result
// is deterministic and does not depend on row order.
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/graph/build_config.h"
#include "recsys/graph/input_tables.h"

namespace recsys::graph {

struct InteractionSet {  // one row per pair, sorted by (user, place)
  std::vector<int32_t> user, place;
  std::vector<int32_t> count;     // events aggregated
  std::vector<float> max_rating;  // largest implicit_rating (0 when the column is absent)
  std::vector<uint8_t> flags;     // InteractionFlag bits, OR over the events
  std::vector<int64_t> first_timestamp, last_timestamp;  // kNoTimestamp when unknown
  std::vector<float> weight;                             // ln(1 + count) + max_rating
  size_t size() const { return user.size(); }
};

struct InteractionSplit {
  SplitMode mode = SplitMode::Temporal;  // as resolved from Auto
  double cold_start_fraction = 0;
  bool valid_in_train = false;  // validation pairs are also in `train`
  InteractionSet train;         // the message-passing graph and the only source of derived features
  InteractionSet valid, test;
  std::vector<uint8_t> cold_start;  // per user: 1 = all interactions held out in test
  int64_t dropped_events = 0;       // events of train/valid pairs after the user's held-out time
};

// `file` names interactions.parquet in messages.
InteractionSplit split_interactions(const InteractionEvents& events, int64_t n_users,
                                    const GraphBuildConfig& config, const std::string& file);

// A seeded hash of (seed, salt, a, b) mapped to [0, 1).
double unit_hash(uint64_t seed, uint64_t salt, uint64_t a, uint64_t b);

}  // namespace recsys::graph
