#pragma once
// Parquet reader: every file the writer writes, and what DuckDB writes by default
// for the same types (PLAIN and RLE_DICTIONARY encodings, data page v1 and v2,
// SNAPPY / ZSTD / GZIP / UNCOMPRESSED). A corrupt, truncated or non-Parquet file
// throws FormatError naming the file and what is wrong; it never crashes or hangs.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "recsys/io/parquet/table.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {

struct ColumnChunkInfo {
  std::string column;
  Codec codec;
  int64_t compressed_bytes = 0;
  int64_t uncompressed_bytes = 0;
  std::optional<int64_t> null_count;
  std::optional<std::string> min;  // rendered as text for display
  std::optional<std::string> max;
};

struct RowGroupInfo {
  int64_t num_rows = 0;
  std::vector<ColumnChunkInfo> columns;
};

class Reader {
 public:
  explicit Reader(std::filesystem::path path);  // reads and validates the footer
  ~Reader();
  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;

  const std::filesystem::path& path() const;
  const Schema& schema() const;
  int64_t num_rows() const;
  int num_row_groups() const;
  const RowGroupInfo& row_group(int index) const;
  const std::vector<std::pair<std::string, std::string>>& key_value_metadata() const;
  std::optional<std::string> metadata(const std::string& key) const;
  std::string created_by() const;

  // Reads one row group; `columns` selects and orders columns by name (empty = all).
  // An unknown column name throws InvalidArgument naming it and the file.
  RecordBatch read_row_group(int index, const std::vector<std::string>& columns = {}) const;
  // All row groups concatenated.
  RecordBatch read_all(const std::vector<std::string>& columns = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recsys::parquet
