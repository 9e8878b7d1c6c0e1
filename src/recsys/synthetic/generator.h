#pragma once
// The synthetic data set, end to end: geography and taxonomy, places, users,
// interactions (streamed to Parquet in blocks of users), social edges, friend
// labels and the ground truth, written into an output folder that appears only
// when everything is written (AtomicDir).
//
// Files (docs/data-contract.md):
//   cities.parquet neighborhoods.parquet tags.parquet places.parquet users.parquet
//   interactions.parquet user_user_edges.parquet friend_labels.parquet
//   ground_truth/oracle_top_places.parquet   (never train on ground_truth/)
// or, sharded (generate_shard), the per-user tables as folders of part files.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "recsys/synthetic/config.h"
#include "recsys/synthetic/friend_labels.h"
#include "recsys/synthetic/geography.h"
#include "recsys/synthetic/interactions.h"
#include "recsys/synthetic/places.h"
#include "recsys/synthetic/sharding.h"
#include "recsys/synthetic/social_edges.h"
#include "recsys/synthetic/users.h"

namespace recsys::synthetic {

inline constexpr int kOracleTopN =
    100;  // places per user in ground_truth/oracle_top_places.parquet

struct StageReport {
  std::string stage;
  std::string file;  // relative to the output folder
  int64_t rows = 0;
  int64_t bytes = 0;
  double seconds = 0;          // wall time of the stage
  double cpu_seconds = 0;      // CPU time of the stage, all threads
  int64_t peak_rss_bytes = 0;  // process peak so far, at the end of the stage
};

struct GenerationReport {
  std::filesystem::path output_dir;
  std::vector<StageReport> stages;
  double total_seconds = 0;
};

// Validates the config, generates everything and commits `output_dir`.
// Throws ConfigError / IoError; on any failure nothing is left at output_dir
// (an existing folder is replaced only when `force`).
GenerationReport generate_dataset(const SyntheticConfig& config,
                                  const std::filesystem::path& output_dir, bool force);

// Shard `shard.index` of `shard.count` (sharding.h): the users of the shard's
// cities and their rows, as Hive-style part files
//   interactions/ user_user_edges/ friend_labels/ ground_truth/oracle_top_places/
//   each holding part-<index, 5 digits>.parquet
// in `output_dir`, which the shards share (created when missing). Shard 0 also
// writes the shared tables (cities, neighborhoods, tags, places, users) as single
// files. Every file is written under a temporary name and renamed into place, so
// a reader never sees half a part; an existing part of this shard is replaced
// only when `force`. The union of the n shards' rows is exactly what
// generate_dataset() writes.
GenerationReport generate_shard(const SyntheticConfig& config,
                                const std::filesystem::path& output_dir, const ShardSpec& shard,
                                bool force);

// The whole data set in memory (small configurations: tests, notebooks).
struct SyntheticDataset {
  Geography geography;
  PlaceTable places;
  UserTable users;
  InteractionRows interactions;
  SocialEdgeTable social_edges;
  FriendLabelTable friend_labels;
};
SyntheticDataset generate_in_memory(const SyntheticConfig& config);

// Key-value metadata every file carries.
inline constexpr const char* kMetaSchemaVersion = "recsys.schema_version";
inline constexpr const char* kMetaTable = "recsys.table";
inline constexpr const char* kMetaConfig = "recsys.synthetic_config";  // TOML
inline constexpr const char* kMetaShard = "recsys.shard";              // "i/n", in part files only

}  // namespace recsys::synthetic
