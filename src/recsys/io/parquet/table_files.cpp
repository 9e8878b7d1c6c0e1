#include "recsys/io/parquet/table_files.h"

#include <fmt/format.h>

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::parquet {

namespace fs = std::filesystem;

std::vector<fs::path> table_files(const fs::path& dir, const std::string& name) {
  const fs::path file = dir / (name + ".parquet");
  const fs::path folder = dir / name;
  const bool has_file = fs::is_regular_file(file);
  const bool has_folder = fs::is_directory(folder);
  if (has_file && has_folder)
    throw IoError(
        fmt::format("{} and {}/ both exist: a table is one file or one folder of part "
                    "files, not both",
                    file.string(), folder.string()));
  if (has_file) return {file};
  if (!has_folder) return {};
  std::vector<fs::path> parts;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string leaf = entry.path().filename().string();
    if (leaf.empty() || leaf[0] == '.' || leaf[0] == '_') continue;
    if (!entry.is_regular_file() || entry.path().extension() != ".parquet") continue;
    parts.push_back(entry.path());
  }
  if (parts.empty())
    throw IoError(
        fmt::format("{}/: a table folder without part files (*.parquet)", folder.string()));
  std::sort(parts.begin(), parts.end());
  return parts;
}

std::string part_file_name(int index) {
  return fmt::format("part-{:05d}.parquet", index);
}

void append_batch(RecordBatch& into, const RecordBatch& from, const std::string& what) {
  if (into.columns.empty() && into.names.empty()) {
    into = from;
    return;
  }
  if (into.names != from.names)
    throw FormatError(what + ": the parts do not have the same columns");
  for (size_t c = 0; c < into.columns.size(); ++c) {
    Column& a = into.columns[c];
    const Column& b = from.columns[c];
    if (a.type != b.type)
      throw FormatError(fmt::format("{}: column '{}' has type {} in one part and {} in another",
                                    what, into.names[c], to_string(a.type), to_string(b.type)));
    append_column(a, b);
  }
}

TableReader::TableReader(std::vector<fs::path> files, std::string display_name)
    : display_(std::move(display_name)) {
  if (files.empty()) throw InvalidArgument("TableReader: " + display_ + ": no files");
  int groups = 0;
  for (auto& f : files) {
    parts_.emplace_back(f);
    const Reader& r = parts_.back();
    const auto& first = parts_.front().columns();
    const auto& these = r.columns();
    bool same = first.size() == these.size();
    for (size_t c = 0; same && c < first.size(); ++c)
      same = first[c].name == these[c].name && first[c].parquet_type == these[c].parquet_type;
    if (!same)
      throw FormatError(
          fmt::format("{}: its columns differ from those of {} (the parts of {} "
                      "must share one schema)",
                      f.string(), files.front().string(), display_));
    first_group_.push_back(groups);
    groups += r.num_row_groups();
  }
  first_group_.push_back(groups);
}

std::optional<TableReader> TableReader::open(const fs::path& dir, const std::string& name) {
  auto files = table_files(dir, name);
  if (files.empty()) return std::nullopt;
  const bool partitioned = fs::is_directory(dir / name);
  TableReader t(std::move(files),
                partitioned ? (dir / name).string() + "/" : (dir / (name + ".parquet")).string());
  t.partitioned_ = partitioned;
  return t;
}

TableReader TableReader::open_required(const fs::path& dir, const std::string& name) {
  auto t = open(dir, name);
  if (!t)
    throw IoError(
        fmt::format("{} (or the part files {}/part-*.parquet): missing (is {} a "
                    "generated data set?)",
                    (dir / (name + ".parquet")).string(), (dir / name).string(), dir.string()));
  return std::move(*t);
}

std::optional<std::string> TableReader::metadata(const std::string& key) const {
  return parts_.front().metadata(key);
}

int64_t TableReader::num_rows() const {
  int64_t n = 0;
  for (const auto& p : parts_) n += p.num_rows();
  return n;
}

int TableReader::num_row_groups() const {
  return first_group_.back();
}

RecordBatch TableReader::read_row_group(int index, const std::vector<std::string>& columns) const {
  if (index < 0 || index >= num_row_groups())
    throw InvalidArgument(fmt::format("{}: row group {} out of range (it has {})", display_, index,
                                      num_row_groups()));
  const auto it = std::upper_bound(first_group_.begin(), first_group_.end(), index);
  const auto part = static_cast<size_t>(it - first_group_.begin() - 1);
  return parts_[part].read_row_group(index - first_group_[part], columns);
}

RecordBatch TableReader::read_all(const std::vector<std::string>& columns) const {
  if (parts_.size() == 1) return parts_.front().read_all(columns);
  RecordBatch all;
  for (const auto& p : parts_) append_batch(all, p.read_all(columns), display_);
  return all;
}

}  // namespace recsys::parquet
