#pragma once
// What an importer did: counts for the terminal summary and the JSON log line.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace recsys::data {

struct ImportSummary {
  std::string format;  // "cf" or "lbsn"
  std::filesystem::path output_dir;
  int64_t users = 0;  // rows of users.parquet (ids 0..users-1)
  int64_t items = 0;  // rows of places.parquet (ids 0..items-1)
  std::vector<std::pair<std::string, int64_t>> interactions_by_split;  // "train", "valid", "test"
  int64_t interactions = 0;    // rows of interactions.parquet
  int64_t distinct_pairs = 0;  // distinct (user, item) pairs over all splits
  // Other counts worth showing (check-ins, friendships, cities, neighborhoods, ...).
  std::vector<std::pair<std::string, int64_t>> extra;
  std::vector<std::pair<std::string, int64_t>> files;  // file name -> rows written
  double seconds = 0;

  // distinct_pairs / (users * items); 0 when either is 0.
  double density() const;
};

// A readable multi-line summary (for the terminal).
std::string format_import_summary(const ImportSummary& summary);
nlohmann::json import_summary_json(const ImportSummary& summary);

}  // namespace recsys::data
