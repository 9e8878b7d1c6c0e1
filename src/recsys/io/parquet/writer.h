#pragma once
// Streaming Parquet writer. Rows are appended in batches; a row group is
// flushed whenever the buffered data reaches WriterOptions::row_group_bytes (or
// row_group_rows), so memory stays bounded whatever the file size. The file is
// written under a temporary name next to the target and renamed on close(): a
// crash or an exception never leaves a file that looks complete.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "recsys/io/parquet/table.h"

namespace recsys::parquet {

enum class Codec : uint8_t { Uncompressed, Snappy, Zstd, Gzip };

const char* to_string(Codec codec);
// Parses "snappy", "zstd", "gzip", "uncompressed"/"none"; throws ConfigError otherwise.
Codec parse_codec(const std::string& name);

struct WriterOptions {
  Codec codec = Codec::Snappy;
  int compression_level = 0;                   // codec default when 0 (zstd: 1..22, gzip: 1..9)
  int64_t row_group_bytes = 64LL << 20;        // flush a row group at this much buffered data
  int64_t row_group_rows = 0;                  // or at this many rows (0 = no row limit)
  int64_t page_bytes = 1LL << 20;              // target uncompressed data page size
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
};

class Writer {
 public:
  // Opens a temporary file beside `path`; throws IoError naming the path when it cannot.
  Writer(std::filesystem::path path, Schema schema, WriterOptions options = {});
  ~Writer();  // without close(): removes the temporary file, leaves `path` untouched
  Writer(Writer&&) noexcept;
  Writer& operator=(Writer&&) noexcept;
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Appends a batch whose columns match the schema in number, order, name, type
  // and nullability; throws InvalidArgument naming the column otherwise (and the
  // file is then never committed).
  void write(const RecordBatch& batch);
  // Adds or replaces a key-value metadata entry; allowed any time before close().
  void set_metadata(const std::string& key, const std::string& value);
  // Flushes the last row group, writes the footer, fsyncs and renames into place.
  void close();

  const Schema& schema() const;
  int64_t rows_written() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recsys::parquet
