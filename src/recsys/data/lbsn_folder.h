#pragma once
// The files of a location-based social network folder (LBSNDatasets layout),
// found by name: yelp uses check_ins.txt + poi_categories.txt +
// social_relations.txt + tune.txt, gowalla uses checkins.txt and has no
// categories, friendships or tune split.
#include <filesystem>
#include <utility>
#include <vector>

namespace recsys::data {

struct LbsnFolder {
  std::filesystem::path checkins;  // check_ins.txt or checkins.txt
  std::filesystem::path coos;      // poi_coos.txt
  // Optional files: empty when absent.
  std::filesystem::path categories, social, data_size;
  // train.txt, tune.txt (when present), test.txt with their split labels.
  std::vector<std::pair<std::filesystem::path, const char*>> splits;

  // Throws IoError naming the folder or file when a required file is missing, and
  // FormatError when both check-in file names exist.
  static LbsnFolder detect(const std::filesystem::path& dir);
  std::vector<std::filesystem::path> split_paths() const;
};

}  // namespace recsys::data
