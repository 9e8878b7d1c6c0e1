#pragma once
// Every parameter of `recsys build-graph`, with its default, in one place.
#include <cstdint>
#include <filesystem>
#include <vector>
#include <optional>
#include <string>

namespace recsys::graph {

enum class SplitMode {
  Auto,        // predefined when interactions.parquet has a `split` column, else temporal
  Temporal,    // per user: the pairs first seen last go to test, the ones before to validation
  GlobalTime,  // pairs first seen at or after `cutoff` go to test; validation as temporal
  Predefined,  // the `split` column of interactions.parquet (train / valid / test)
  Random,      // per user, a seeded random order instead of time (data without timestamps)
};

const char* to_string(SplitMode mode);
// "auto", "temporal", "global-time", "predefined", "random"; ConfigError naming --split otherwise.
SplitMode parse_split_mode(const std::string& name);
// Microseconds since the epoch from "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[Z]" or an integer of
// microseconds; ConfigError naming --cutoff otherwise.
int64_t parse_cutoff(const std::string& text);

struct GraphBuildConfig {
  std::filesystem::path data_dir;
  std::filesystem::path output_dir;
  // Events logs of `recsys serve` whose interactions join the tables' (graph/event_input.h).
  std::vector<std::filesystem::path> event_logs;
  bool force = false;
  SplitMode split = SplitMode::Auto;
  double val_fraction = 0.1;   // share of each user's interacted places held out for validation
  double test_fraction = 0.2;  // ... and for test (temporal / random)
  std::optional<int64_t> cutoff_us;  // global-time: test = pairs first seen at or after this
  // Share of users (with interactions) whose interactions all go to test. Unset: 0.05, except
  // with a predefined split (0: a benchmark's split is kept exactly as given).
  std::optional<double> cold_start_fraction;
  // Predefined split only: validation pairs also take part in message passing (and in the
  // interaction-derived features), as the source's train+valid is its training data.
  bool valid_in_train = true;
  double social_val_fraction = 0.1;  // user-user edges / friend labels, by a seeded pair hash
  double social_test_fraction = 0.2;
  uint64_t seed = 42;

  // ConfigError naming the parameter when a value is out of range or the split needs a cutoff.
  void validate() const;
};

}  // namespace recsys::graph
