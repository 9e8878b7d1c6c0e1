#pragma once
// `recsys import lbsn`: a location-based social network folder in the layout of
// the LBSNDatasets collection (tab separated, ids from 0), as in
// ../shared/data/lbsn:
//   check_ins.txt | checkins.txt   user, place, unix time (seconds)      required
//   poi_coos.txt                   place, latitude, longitude             required
//   train.txt, test.txt            user, place, count: the split          required
//   tune.txt                       the validation split (-> "valid")      optional
//   poi_categories.txt             place, category (one line per pair)   optional
//   social_relations.txt           user, user (friendship, undirected)   optional
//   data_size.txt                  n_users, n_places[, n_categories]     optional
// Output tables (docs/data-contract.md, "Imported data"):
//   interactions.parquet   one row per check-in: user_id, place_id, timestamp,
//                          attended (true), split (of the pair, from the split files);
//                          sorted by user, timestamp, place
//   places.parquet         place_id, city_id, neighborhood_id, lat, lon[, category_ids]
//   users.parquet          user_id, home_city_id, home_neighborhood_id (mode over the
//                          user's training check-ins; null without any)
//   cities.parquet, neighborhoods.parquet (geo_clustering.h)
//   user_user_edges.parquet user_a < user_b, each friendship once (when given)
#include <filesystem>

#include "recsys/data/geo_clustering.h"
#include "recsys/data/import_summary.h"

namespace recsys::data {

struct LbsnImportOptions {
  std::filesystem::path input_dir;
  std::filesystem::path output_dir;
  GeoClusteringOptions geo;
  bool force = false;
};

// Parses and cross-checks every file first (FormatError "file:line: ..."), then
// writes the folder atomically. Consistency rules: every check-in's (user, place)
// pair is in exactly one split file, every split pair has at least one check-in,
// every place id 0..n-1 has coordinates, ids are within data_size.txt's counts.
ImportSummary import_lbsn(const LbsnImportOptions& options);

}  // namespace recsys::data
