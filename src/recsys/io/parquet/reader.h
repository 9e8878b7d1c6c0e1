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
  std::string column;  // dotted path of the leaf, e.g. "tags.list.element"
  Codec codec;
  std::string codec_name;  // as in the file (also for codecs this reader cannot decode)
  std::string encodings;   // e.g. "PLAIN,RLE"
  int64_t num_values = 0;
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

// One top-level column of the file, including columns whose Parquet type has no
// ColumnType (those are listed but throw when read).
struct ColumnDescription {
  std::string name;
  std::string parquet_type;  // e.g. "INT64 TIMESTAMP(MICROS, UTC)", "LIST<FLOAT>"
  bool supported = false;
  std::string unsupported_reason;
  ColumnType type = ColumnType::Int64;  // when supported
  bool nullable = false;
};

struct ReaderOptions {
  // Most level entries (values, nulls included) decoded from one column chunk:
  // bounds the memory a corrupt or hostile file can make the reader allocate.
  int64_t max_values_per_chunk = int64_t{1} << 31;
};

class Reader {
 public:
  explicit Reader(std::filesystem::path path);  // reads and validates the footer
  Reader(std::filesystem::path path, ReaderOptions options);
  // A file already in memory; `name` stands for the path in messages.
  static Reader from_bytes(std::string name, std::vector<uint8_t> bytes,
                           ReaderOptions options = {});
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
  // Every top-level column; schema() holds only the supported ones.
  const std::vector<ColumnDescription>& columns() const;

  // Reads one row group; `columns` selects and orders columns by name (empty = all).
  // An unknown column name throws InvalidArgument naming it and the file.
  RecordBatch read_row_group(int index, const std::vector<std::string>& columns = {}) const;
  // All row groups concatenated.
  RecordBatch read_all(const std::vector<std::string>& columns = {}) const;

 private:
  Reader() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recsys::parquet
