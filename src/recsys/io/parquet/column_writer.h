#pragma once
// Encodes one column of a row group: values are appended row range by row range
// into PLAIN-encoded data pages (v1) with RLE definition/repetition levels; a
// page is cut at WriterOptions::page_bytes and buffered until the row group is
// flushed to the file as one contiguous column chunk. Pages are compressed a
// batch at a time across the OpenMP threads.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/io/atomic_file.h"
#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/statistics.h"
#include "recsys/io/parquet/table.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {

class ColumnWriter {
 public:
  ColumnWriter(Field field, const WriterOptions& options);

  // Appends rows [begin, end) of `column` (already validated against the field).
  void append(const Column& column, size_t begin, size_t end);
  // Bytes held for the current row group (compressed pages + the open page).
  int64_t buffered_bytes() const {
    return chunk_bytes_ + static_cast<int64_t>(values_.size() + def_.size() / 8 + rep_.size() / 8);
  }
  // Writes the column chunk at the file's current end and returns its metadata;
  // the writer is then ready for the next row group.
  format::ColumnChunk flush(io::AtomicFile& file);

 private:
  void append_range(const Column& column, size_t begin, size_t end);
  size_t rows_for_budget(const Column& column, size_t begin, size_t end, int64_t budget) const;
  void finish_page();
  // Stores a finished page body of `num_values` level entries (compressed later, in batches).
  void add_page(std::vector<uint8_t> body, int64_t num_values);
  // Encodes the whole pages of rows [begin, ...) in parallel when that applies; returns the
  // first row it did not encode.
  size_t append_bulk(const Column& column, size_t begin, size_t end);
  template <class T>
  size_t append_full_pages(const std::vector<T>& v, size_t begin, size_t end, MinMax<T>& stats);
  int64_t page_fill() const {
    return static_cast<int64_t>(values_.size() + (def_.size() + rep_.size()) / 8);
  }
  template <class T>
  void append_fixed(const std::vector<T>& v, const Column& column, size_t begin, size_t end,
                    MinMax<T>& stats);
  template <class T>
  void append_list(const std::vector<T>& v, const Column& column, size_t begin, size_t end,
                   MinMax<T>& stats);
  void append_bool(const Column& column, size_t begin, size_t end);
  void append_string(const Column& column, size_t begin, size_t end);
  format::Statistics statistics() const;

  Field field_;
  Codec codec_;
  int level_;
  int64_t page_bytes_;
  int max_def_ = 0;
  int max_rep_ = 0;
  int32_t physical_type_ = 0;

  // open page
  std::vector<uint8_t> values_;
  std::vector<uint8_t> def_;
  std::vector<uint8_t> rep_;
  int64_t page_values_ = 0;  // level entries (rows for scalars)
  uint64_t bool_bits_ = 0;   // booleans written into values_ (bit-packed)

  // finished pages of this row group: header and (compressed) body, written out on flush;
  // bodies are moved in, not copied, and their buffers reused for later pages
  struct Page {
    std::vector<uint8_t> header;  // serialised once the body is final
    std::vector<uint8_t> body;    // uncompressed until sealed
    size_t uncompressed = 0;
    int32_t num_values = 0;
  };
  // Compresses the last `pending_` pages (in parallel) and writes their headers.
  void seal_pending();
  size_t compress_batch_;  // pages compressed together
  size_t pending_ = 0;     // unsealed pages at the end of pages_
  std::vector<Page> pages_;
  std::vector<std::vector<uint8_t>> spare_;  // recycled page buffers
  int64_t chunk_bytes_ = 0;
  int64_t chunk_uncompressed_ = 0;
  int64_t chunk_values_ = 0;
  int64_t null_count_ = 0;
  MinMax<int32_t> stats_i32_;
  MinMax<int64_t> stats_i64_;
  MinMax<float> stats_f32_;
  MinMax<double> stats_f64_;
  MinMax<uint8_t> stats_bool_;
  bool has_string_stats_ = false;
  std::string string_min_, string_max_;

  std::vector<uint8_t> take_buffer();
  void recycle(std::vector<uint8_t> buffer);

  std::vector<uint8_t> page_;  // levels + values, uncompressed
};

}  // namespace recsys::parquet
