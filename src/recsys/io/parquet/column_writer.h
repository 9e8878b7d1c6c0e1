#pragma once
// Encodes one column of a row group: values are appended row range by row range
// into PLAIN-encoded data pages (v1) with RLE definition/repetition levels; a
// page is cut at WriterOptions::page_bytes. Pages are compressed a batch at a
// time across the OpenMP threads and finished in page order: written to the file
// at once by a streaming column (the first of the row group, whose chunk is
// where the file ends), otherwise buffered until the row group is flushed as
// one contiguous column chunk.
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
  // With `stream`, finished pages are written to it at once: only for the first column
  // of a row group (nothing else may write to the file until that row group's flush()).
  ColumnWriter(Field field, const WriterOptions& options, io::AtomicFile* stream = nullptr);

  // Appends rows [begin, end) of `column` (already validated against the field).
  void append(const Column& column, size_t begin, size_t end);
  // Bytes of the current row group's chunk: finished pages (written or buffered),
  // pages waiting for compression (uncompressed size) and the open page.
  int64_t buffered_bytes() const {
    return chunk_bytes_ + pending_bytes_ +
           static_cast<int64_t>(values_.size() + def_.size() / 8 + rep_.size() / 8);
  }
  // Writes the rest of the column chunk (all of it unless streaming) at the file's
  // current end and returns its metadata; the writer is then ready for the next row group.
  format::ColumnChunk flush(io::AtomicFile& file);

 private:
  void append_range(const Column& column, size_t begin, size_t end);
  size_t rows_for_budget(const Column& column, size_t begin, size_t end, int64_t budget) const;
  void finish_page();
  // Queues a page body of `num_values` level entries (compressed later, in batches).
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

  // A page's uncompressed bytes on their way to compression and output.
  struct PageInput {
    const uint8_t* data = nullptr;
    size_t size = 0;
    int32_t num_values = 0;
    std::vector<uint8_t>* owned = nullptr;  // this writer's buffer holding `data`, if any
  };
  // Pages queued by add_page (bodies uncompressed; moved in, not copied).
  struct Pending {
    std::vector<uint8_t> body;
    int32_t num_values = 0;
  };
  // A finished page of a buffering column: header and (compressed) body.
  struct Page {
    std::vector<uint8_t> header;
    std::vector<uint8_t> body;
  };
  // Compresses the queued pages (in parallel) and finishes them.
  void seal_pending();
  // A page's final bytes (compressed, or the input itself).
  struct Prepared {
    const uint8_t* body = nullptr;
    size_t size = 0;
    bool in_owned = false;  // body is *PageInput::owned
  };
  // Compresses pages source(0..count-1) on the OpenMP threads and finishes them in page
  // order (header, sizes, then written or buffered). With `overlap`, a thread writes a
  // page while another compresses the next (many pages at once: the bulk path);
  // without, the pages are finished after all are compressed (fewer hand-offs).
  template <class Source>
  void emit_pages(size_t count, bool overlap, const Source& source);
  // Finishes one page (called in page order). A streaming column writes its bytes and
  // recycles `stored`; a buffering one keeps *in.owned when p.in_owned, otherwise `stored`
  // (which then holds the bytes).
  void output_page(const PageInput& in, const Prepared& p, std::vector<uint8_t>& stored);
  io::AtomicFile* stream_ = nullptr;
  int64_t chunk_offset_ = -1;  // streaming: file offset of this row group's first page
  size_t compress_batch_;      // pages compressed together
  std::vector<Pending> pending_;
  int64_t pending_bytes_ = 0;  // uncompressed bytes of pending_
  std::vector<Page> pages_;    // buffering columns: finished pages of this row group
  std::vector<std::vector<uint8_t>> scratch_;  // per OpenMP thread: compressed page
  std::vector<uint8_t> header_;                // streaming: the page header being written
  std::vector<std::vector<uint8_t>> spare_;    // recycled page buffers
  int64_t chunk_bytes_ = 0;                    // finished pages: headers + bodies as stored
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
