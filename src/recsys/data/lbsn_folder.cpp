#include "recsys/data/lbsn_folder.h"

#include <system_error>

#include "recsys/core/error.h"
#include "recsys/data/interaction_split.h"

namespace recsys::data {

namespace fs = std::filesystem;

namespace {
bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}
}  // namespace

LbsnFolder LbsnFolder::detect(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw IoError(dir.string() + ": is not a folder (--input)");
  LbsnFolder f;
  const bool a = is_file(dir / "check_ins.txt"), b = is_file(dir / "checkins.txt");
  if (a && b)
    throw FormatError(dir.string() + ": has both check_ins.txt and checkins.txt; keep one");
  if (!a && !b) throw IoError(dir.string() + ": no check-in file (check_ins.txt or checkins.txt)");
  f.checkins = dir / (a ? "check_ins.txt" : "checkins.txt");
  f.coos = dir / "poi_coos.txt";
  if (!is_file(f.coos)) throw IoError(f.coos.string() + ": missing (place coordinates)");
  for (const char* name : {"train.txt", "test.txt"})
    if (!is_file(dir / name)) throw IoError((dir / name).string() + ": missing (split file)");
  f.splits.emplace_back(dir / "train.txt", kSplitTrain);
  if (is_file(dir / "tune.txt")) f.splits.emplace_back(dir / "tune.txt", kSplitValid);
  f.splits.emplace_back(dir / "test.txt", kSplitTest);
  if (is_file(dir / "poi_categories.txt")) f.categories = dir / "poi_categories.txt";
  if (is_file(dir / "social_relations.txt")) f.social = dir / "social_relations.txt";
  if (is_file(dir / "data_size.txt")) f.data_size = dir / "data_size.txt";
  return f;
}

std::vector<fs::path> LbsnFolder::split_paths() const {
  std::vector<fs::path> out;
  for (const auto& [path, label] : splits) out.push_back(path);
  return out;
}

}  // namespace recsys::data
