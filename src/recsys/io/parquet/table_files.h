#pragma once
// A table of a data folder, stored either as one file `<dir>/<name>.parquet` or,
// Hive-style, as a folder of part files `<dir>/<name>/part-*.parquet` (what a
// sharded `recsys generate --shard i/n` writes, and what Spark, DuckDB and pandas
// read as one table). TableReader reads either as one table: the parts in file
// name order, their row groups numbered one after another. Names starting with
// '.' or '_' (temporary files, _SUCCESS markers) are not parts.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/table.h"

namespace recsys::parquet {

// The files of table `name` ("interactions", or "ground_truth/oracle_top_places"):
// {<dir>/<name>.parquet} when that file exists, else the part files of the folder
// <dir>/<name>/ in name order, else empty (the table is absent). Throws IoError
// naming the folder when it exists but holds no part file, and when both the
// file and the folder exist (which one is the table would be a guess).
std::vector<std::filesystem::path> table_files(const std::filesystem::path& dir,
                                               const std::string& name);

// The name of part `index` of a sharded table: "part-00003.parquet".
std::string part_file_name(int index);

// Appends `from`'s rows to `into` (same column names and types, else FormatError
// naming `what`); list offsets are rebased, validity merged.
void append_batch(RecordBatch& into, const RecordBatch& from, const std::string& what);

class TableReader {
 public:
  // Opens every file (footers only); the files must share their columns (names
  // and types), else FormatError naming the first file that differs.
  TableReader(std::vector<std::filesystem::path> files, std::string display_name);
  // The table `name` of `dir`, or nullopt when absent.
  static std::optional<TableReader> open(const std::filesystem::path& dir, const std::string& name);
  // As open(), but an absent table throws IoError naming the expected paths.
  static TableReader open_required(const std::filesystem::path& dir, const std::string& name);

  // "<dir>/<name>.parquet" or "<dir>/<name>/" as given, for messages.
  const std::string& display_name() const { return display_; }
  const std::vector<Reader>& parts() const { return parts_; }
  bool is_partitioned() const { return partitioned_; }

  const std::vector<ColumnDescription>& columns() const { return parts_.front().columns(); }
  const Schema& schema() const { return parts_.front().schema(); }
  // Of the first part (every part of a generated table carries the same).
  std::optional<std::string> metadata(const std::string& key) const;
  int64_t num_rows() const;
  int num_row_groups() const;
  RecordBatch read_row_group(int index, const std::vector<std::string>& columns = {}) const;
  RecordBatch read_all(const std::vector<std::string>& columns = {}) const;

 private:
  std::vector<Reader> parts_;
  std::vector<int> first_group_;  // global index of each part's first row group
  std::string display_;
  bool partitioned_ = false;
};

}  // namespace recsys::parquet
