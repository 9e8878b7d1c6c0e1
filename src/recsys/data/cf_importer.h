#pragma once
// `recsys import cf`: the LightGCN text format (one line per user,
// `user item item ...`, space separated, ids from 0) into the project's tables:
//   interactions.parquet  user_id, place_id, timestamp (always null: the format has
//                         no time), split ("train" / "valid" / "test")
//   users.parquet         user_id (0 .. max user id)
//   places.parquet        place_id (0 .. max item id)
// Rows keep the order of the files (train, then valid, then test, line by line).
#include <filesystem>
#include <string>

#include "recsys/data/import_summary.h"

namespace recsys::data {

struct CfImportOptions {
  std::filesystem::path train;  // required
  std::filesystem::path valid;  // optional (empty = none)
  std::filesystem::path test;   // required
  std::filesystem::path output_dir;
  // The split label of valid.txt's rows: "valid" (default: kept as given; the
  // standard LightGCN protocol trains on train + valid), "train" or "test".
  std::string valid_as = "valid";
  bool force = false;
};

// Parses every file first (FormatError "file:line: ..." on the first malformed
// line), then writes the folder atomically. Throws ConfigError for bad options,
// IoError for unreadable inputs or an existing output without `force`.
ImportSummary import_cf(const CfImportOptions& options);

}  // namespace recsys::data
