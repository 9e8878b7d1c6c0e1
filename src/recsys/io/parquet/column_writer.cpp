#include "recsys/io/parquet/column_writer.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <string_view>

#include "recsys/core/error.h"
#include "recsys/io/parquet/codec.h"
#include "recsys/io/parquet/rle.h"

namespace recsys::parquet {
namespace {

// A streaming column asks the kernel to write back every this many bytes, so the
// final fsync finds most of the file already on disk.
constexpr int64_t kWritebackBytes = 4 << 20;

bool is_list(ColumnType t) {
  return t == ColumnType::ListInt32 || t == ColumnType::ListFloat;
}

int32_t physical_type_of(ColumnType t) {
  switch (t) {
    case ColumnType::Bool:
      return format::kBoolean;
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
    case ColumnType::ListInt32:
      return format::kInt32;
    case ColumnType::Int64:
    case ColumnType::TimestampMicros:
      return format::kInt64;
    case ColumnType::Float:
    case ColumnType::ListFloat:
      return format::kFloat;
    case ColumnType::Double:
      return format::kDouble;
    case ColumnType::String:
      return format::kByteArray;
  }
  return format::kInt64;
}

template <class T>
void append_bytes(std::vector<uint8_t>& out, const T* data, size_t n) {
  size_t at = out.size();
  out.resize(at + n * sizeof(T));
  if (n) std::memcpy(out.data() + at, data, n * sizeof(T));
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  uint8_t b[4] = {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8),
                  static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 24)};
  out.insert(out.end(), b, b + 4);
}

// Levels with a 4-byte length prefix, as data page v1 stores them.
void put_levels(std::vector<uint8_t>& out, const std::vector<uint8_t>& levels, int max_level) {
  size_t at = out.size();
  put_u32(out, 0);
  int width = bit_width_for(static_cast<uint64_t>(max_level));
  // Fast path: a single value repeated (no nulls, flat lists of length one, ...).
  bool constant =
      std::all_of(levels.begin(), levels.end(), [&](uint8_t v) { return v == levels.front(); });
  if (constant && !levels.empty()) {
    rle_encode_run(levels.front(), levels.size(), width, out);
  } else {
    rle_encode(levels.data(), levels.size(), width, out);
  }
  uint32_t len = static_cast<uint32_t>(out.size() - at - 4);
  std::memcpy(out.data() + at, &len, 4);
}

}  // namespace

ColumnWriter::ColumnWriter(Field field, const WriterOptions& options, io::AtomicFile* stream)
    : field_(std::move(field)),
      codec_(options.codec),
      level_(options.compression_level),
      page_bytes_(std::max<int64_t>(options.page_bytes, 1024)),
      stream_(stream),
      compress_batch_(static_cast<size_t>(2 * std::max(1, omp_get_max_threads()))) {
  physical_type_ = physical_type_of(field_.type);
  if (is_list(field_.type)) {
    max_rep_ = 1;
    max_def_ = (field_.nullable ? 1 : 0) + 1;
  } else {
    max_def_ = field_.nullable ? 1 : 0;
  }
}

void ColumnWriter::append(const Column& column, size_t begin, size_t end) {
  begin = append_bulk(column, begin, end);  // many whole pages at once, encoded in parallel
  while (begin < end) {
    int64_t budget = page_bytes_ - page_fill();
    if (budget <= 0) {
      finish_page();
      continue;
    }
    size_t n = rows_for_budget(column, begin, end, budget);
    append_range(column, begin, begin + n);
    begin += n;
    if (page_fill() >= page_bytes_) finish_page();
  }
}

size_t ColumnWriter::rows_for_budget(const Column& c, size_t begin, size_t end,
                                     int64_t budget) const {
  size_t max_rows = end - begin;
  switch (c.type) {
    case ColumnType::Bool:
      return std::min<size_t>(max_rows, static_cast<size_t>(budget) * 8);
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
    case ColumnType::Float:
      return std::min<size_t>(max_rows, static_cast<size_t>(budget + 3) / 4);
    case ColumnType::Int64:
    case ColumnType::TimestampMicros:
    case ColumnType::Double:
      return std::min<size_t>(max_rows, static_cast<size_t>(budget + 7) / 8);
    case ColumnType::String: {
      int64_t used = 0;
      size_t i = begin;
      while (i < end && used < budget) used += 4 + static_cast<int64_t>(c.str[i++].size());
      return std::max<size_t>(1, i - begin);
    }
    case ColumnType::ListInt32:
    case ColumnType::ListFloat: {
      // Offsets are non-decreasing: find the first row whose end passes the budget.
      int64_t limit = c.offsets[begin] + std::max<int64_t>(1, budget / 4);
      auto it = std::upper_bound(c.offsets.begin() + static_cast<std::ptrdiff_t>(begin) + 1,
                                 c.offsets.begin() + static_cast<std::ptrdiff_t>(end) + 1, limit);
      size_t rows =
          static_cast<size_t>(it - (c.offsets.begin() + static_cast<std::ptrdiff_t>(begin) + 1));
      rows = std::min<size_t>(rows + 1, max_rows);  // at least one row, possibly over budget
      return std::min<size_t>(rows, static_cast<size_t>(budget) * 8);
    }
  }
  return max_rows;
}

template <class T>
void ColumnWriter::append_fixed(const std::vector<T>& v, const Column& c, size_t begin, size_t end,
                                MinMax<T>& stats) {
  size_t n = end - begin;
  if (c.validity.empty()) {
    append_bytes(values_, v.data() + begin, n);
    stats.update(v.data() + begin, n);
    if (max_def_ > 0) def_.insert(def_.end(), n, 1);
  } else {
    const uint8_t* valid = c.validity.data() + begin;
    if (max_def_ > 0) def_.insert(def_.end(), valid, valid + n);
    size_t at = values_.size();
    values_.resize(at + n * sizeof(T));
    T* out = reinterpret_cast<T*>(values_.data() + at);
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
      if (valid[i]) {
        std::memcpy(out + k, &v[begin + i], sizeof(T));
        stats.update_one(v[begin + i]);
        ++k;
      }
    }
    null_count_ += static_cast<int64_t>(n - k);
    values_.resize(at + k * sizeof(T));
  }
  page_values_ += static_cast<int64_t>(n);
}

template <class T>
void ColumnWriter::append_list(const std::vector<T>& v, const Column& c, size_t begin, size_t end,
                               MinMax<T>& stats) {
  const int64_t* off = c.offsets.data();
  int64_t first = off[begin], last = off[end];
  append_bytes(values_, v.data() + first, static_cast<size_t>(last - first));
  stats.update(v.data() + first, static_cast<size_t>(last - first));
  const uint8_t empty_def = static_cast<uint8_t>(field_.nullable ? 1 : 0);
  for (size_t r = begin; r < end; ++r) {
    int64_t len = off[r + 1] - off[r];
    if (c.is_null(r)) {
      def_.push_back(0);
      rep_.push_back(0);
      ++null_count_;
      ++page_values_;
    } else if (len == 0) {
      def_.push_back(empty_def);
      rep_.push_back(0);
      ++null_count_;  // leaf-level count: no value at the element level
      ++page_values_;
    } else {
      def_.insert(def_.end(), static_cast<size_t>(len), static_cast<uint8_t>(max_def_));
      rep_.push_back(0);
      rep_.insert(rep_.end(), static_cast<size_t>(len - 1), 1);
      page_values_ += len;
    }
  }
}

void ColumnWriter::append_bool(const Column& c, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    bool valid = !c.is_null(i);
    if (max_def_ > 0) def_.push_back(valid ? 1 : 0);
    if (!valid) {
      ++null_count_;
      continue;
    }
    uint8_t b = c.b8[i] ? 1 : 0;
    if ((bool_bits_ & 7) == 0) values_.push_back(0);
    values_.back() |= static_cast<uint8_t>(b << (bool_bits_ & 7));
    ++bool_bits_;
    stats_bool_.update_one(b);
  }
  page_values_ += static_cast<int64_t>(end - begin);
}

void ColumnWriter::append_string(const Column& c, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    bool valid = !c.is_null(i);
    if (max_def_ > 0) def_.push_back(valid ? 1 : 0);
    if (!valid) {
      ++null_count_;
      continue;
    }
    const std::string& s = c.str[i];
    put_u32(values_, static_cast<uint32_t>(s.size()));
    values_.insert(values_.end(), s.begin(), s.end());
    if (!has_string_stats_) {
      string_min_ = string_max_ = s;
      has_string_stats_ = true;
    } else if (s < string_min_) {
      string_min_ = s;
    } else if (string_max_ < s) {
      string_max_ = s;
    }
  }
  page_values_ += static_cast<int64_t>(end - begin);
}

void ColumnWriter::append_range(const Column& c, size_t begin, size_t end) {
  switch (field_.type) {
    case ColumnType::Bool:
      append_bool(c, begin, end);
      break;
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
      append_fixed(c.i32, c, begin, end, stats_i32_);
      break;
    case ColumnType::Int64:
    case ColumnType::TimestampMicros:
      append_fixed(c.i64, c, begin, end, stats_i64_);
      break;
    case ColumnType::Float:
      append_fixed(c.f32, c, begin, end, stats_f32_);
      break;
    case ColumnType::Double:
      append_fixed(c.f64, c, begin, end, stats_f64_);
      break;
    case ColumnType::String:
      append_string(c, begin, end);
      break;
    case ColumnType::ListInt32:
      append_list(c.i32, c, begin, end, stats_i32_);
      break;
    case ColumnType::ListFloat:
      append_list(c.f32, c, begin, end, stats_f32_);
      break;
  }
}

std::vector<uint8_t> ColumnWriter::take_buffer() {
  if (spare_.empty()) {
    std::vector<uint8_t> b;
    b.reserve(static_cast<size_t>(page_bytes_) + 4096);
    return b;
  }
  std::vector<uint8_t> b = std::move(spare_.back());
  spare_.pop_back();
  b.clear();
  return b;
}

void ColumnWriter::recycle(std::vector<uint8_t> buffer) {
  // Enough full-size buffers for a compression batch's inputs and outputs plus the open page.
  if (buffer.capacity() >= static_cast<size_t>(page_bytes_) &&
      spare_.size() < 2 * compress_batch_ + 2) {
    spare_.push_back(std::move(buffer));
  }
}

void ColumnWriter::add_page(std::vector<uint8_t> body, int64_t num_values) {
  pending_bytes_ += static_cast<int64_t>(body.size());
  pending_.push_back({std::move(body), static_cast<int32_t>(num_values)});
  // Pages are compressed a few at a time, in parallel: they are independent, and
  // compression is most of the cost of writing.
  if (codec_ == Codec::Uncompressed || pending_.size() >= compress_batch_) seal_pending();
}

template <class T>
size_t ColumnWriter::append_full_pages(const std::vector<T>& v, size_t begin, size_t end,
                                       MinMax<T>& stats) {
  const size_t rows_per_page = (static_cast<size_t>(page_bytes_) + sizeof(T) - 1) / sizeof(T);
  const size_t pages = (end - begin) / rows_per_page;
  if (pages < 2) return begin;
  seal_pending();  // earlier pages go out first
  // Pages are compressed straight from the column's values (PLAIN is their bytes), their
  // min/max taken on the same thread while they are in cache.
  std::vector<MinMax<T>> page_stats(pages);
  emit_pages(pages, /*overlap=*/true, [&](size_t k) {
    const T* src = v.data() + begin + k * rows_per_page;
    page_stats[k].update(src, rows_per_page);
    PageInput in;
    in.data = reinterpret_cast<const uint8_t*>(src);
    in.size = rows_per_page * sizeof(T);
    in.num_values = static_cast<int32_t>(rows_per_page);
    return in;
  });
  for (const MinMax<T>& p : page_stats) {
    if (p.any) {
      stats.update_one(p.min);
      stats.update_one(p.max);
    }
  }
  return begin + pages * rows_per_page;
}

size_t ColumnWriter::append_bulk(const Column& c, size_t begin, size_t end) {
  // Only for whole PLAIN pages of a required fixed-width column, started on a page boundary.
  if (page_values_ != 0 || max_def_ > 0 || max_rep_ > 0 || !c.validity.empty()) return begin;
  switch (field_.type) {
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
      return append_full_pages(c.i32, begin, end, stats_i32_);
    case ColumnType::Int64:
    case ColumnType::TimestampMicros:
      return append_full_pages(c.i64, begin, end, stats_i64_);
    case ColumnType::Float:
      return append_full_pages(c.f32, begin, end, stats_f32_);
    case ColumnType::Double:
      return append_full_pages(c.f64, begin, end, stats_f64_);
    default:
      return begin;
  }
}

void ColumnWriter::finish_page() {
  if (page_values_ == 0) return;
  std::vector<uint8_t>* body = &values_;
  if (max_rep_ > 0 || max_def_ > 0) {
    page_.clear();
    if (max_rep_ > 0) put_levels(page_, rep_, max_rep_);
    if (max_def_ > 0) put_levels(page_, def_, max_def_);
    page_.insert(page_.end(), values_.begin(), values_.end());
    body = &page_;
  }
  if (body->size() > 0x7FFFFFFF) {
    throw InvalidArgument("column '" + field_.name + "': a single row is larger than 2 GiB");
  }
  std::vector<uint8_t> stored = std::move(*body);  // no copy: the open page's buffer is stored
  *body = take_buffer();
  add_page(std::move(stored), page_values_);
  values_.clear();
  def_.clear();
  rep_.clear();
  page_values_ = 0;
  bool_bits_ = 0;
}

void ColumnWriter::seal_pending() {
  if (pending_.empty()) return;
  std::vector<Pending> batch = std::move(pending_);
  pending_.clear();
  pending_bytes_ = 0;
  emit_pages(batch.size(), /*overlap=*/false, [&](size_t k) {
    PageInput in;
    in.data = batch[k].body.data();
    in.size = batch[k].body.size();
    in.num_values = batch[k].num_values;
    in.owned = &batch[k].body;
    return in;
  });
}

template <class Source>
void ColumnWriter::emit_pages(size_t count, bool overlap, const Source& source) {
  if (count == 0) return;
  const bool compressing = codec_ != Codec::Uncompressed;
  const bool streaming = stream_ != nullptr;
  // Without overlap every page is compressed into its own (recycled) buffer; with it,
  // into one buffer per thread, written (or copied) before the thread's next page.
  const bool per_thread = overlap && compressing;
  const auto threads = static_cast<size_t>(omp_get_max_threads());
  if (per_thread && scratch_.size() < threads) scratch_.resize(threads);
  std::vector<PageInput> inputs(count);
  std::vector<Prepared> prepared(count);
  std::vector<std::vector<uint8_t>> stored(count);
  if (compressing && !per_thread) {
    for (auto& b : stored) b = take_buffer();
  }

  // Page k's final bytes: compressed into `out`, or the input itself when uncompressed;
  // a buffering column keeps them in stored[k] unless it owns the input already.
  auto prepare = [&](size_t k, std::vector<uint8_t>& out) {
    const PageInput in = source(k);
    inputs[k] = in;
    Prepared p;
    bool in_stored = false;
    if (compressing) {
      const size_t bound = max_compressed_size(codec_, in.size);
      if (out.size() < bound) out.resize(bound);  // grows only: a reused buffer is not refilled
      p.size = compress_to(codec_, level_, in.data, in.size, out.data(), out.size());
      p.body = out.data();
      in_stored = &out == &stored[k];
      if (in_stored) out.resize(p.size);
    } else {
      p.body = in.data;
      p.size = in.size;
      p.in_owned = in.owned != nullptr;
    }
    if (!streaming && !p.in_owned && !in_stored) {
      stored[k].assign(p.body, p.body + p.size);
      p.body = stored[k].data();
    }
    prepared[k] = p;
  };

  std::atomic<bool> failed{false};
  std::exception_ptr error;
  auto fail = [&] {
#pragma omp critical(recsys_parquet_emit_pages)
    if (!error) error = std::current_exception();
    failed = true;
  };
  const auto n = static_cast<int64_t>(count);
  // Uncompressed pages of a streaming column are only written: no work for a team.
  const bool parallel = n > 1 && (compressing || !streaming);
  if (overlap) {
#pragma omp parallel if (parallel)
    {
      std::vector<uint8_t>* scratch =
          per_thread ? &scratch_[static_cast<size_t>(omp_get_thread_num())] : nullptr;
#pragma omp for ordered schedule(dynamic, 1)
      for (int64_t i = 0; i < n; ++i) {
        const auto k = static_cast<size_t>(i);
        if (!failed) {
          try {
            prepare(k, scratch ? *scratch : stored[k]);
          } catch (...) {
            fail();
          }
        }
#pragma omp ordered
        {
          if (!failed) {
            try {
              output_page(inputs[k], prepared[k], stored[k]);
            } catch (...) {
              fail();
            }
          }
        }
      }
    }
  } else {
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
    for (int64_t i = 0; i < n; ++i) {
      const auto k = static_cast<size_t>(i);
      try {
        prepare(k, stored[k]);
      } catch (...) {
        fail();
      }
    }
    for (size_t k = 0; k < count && !failed; ++k) {
      output_page(inputs[k], prepared[k], stored[k]);
    }
  }
  if (error) std::rethrow_exception(error);
}

void ColumnWriter::output_page(const PageInput& in, const Prepared& p,
                               std::vector<uint8_t>& stored) {
  format::PageHeader h;
  h.type = format::kDataPage;
  h.uncompressed_page_size = static_cast<int32_t>(in.size);
  h.compressed_page_size = static_cast<int32_t>(p.size);
  format::DataPageHeader d;
  d.num_values = in.num_values;
  d.encoding = format::kPlain;
  d.definition_level_encoding = format::kRle;
  d.repetition_level_encoding = format::kRle;
  h.data_page_header = d;
  std::vector<uint8_t> header;
  if (stream_) header = std::move(header_);  // reused: no allocation per page
  header.clear();
  format::serialize(h, header);
  chunk_bytes_ += static_cast<int64_t>(header.size() + p.size);
  chunk_uncompressed_ += static_cast<int64_t>(header.size() + in.size);
  chunk_values_ += in.num_values;
  if (stream_) {
    if (chunk_offset_ < 0) chunk_offset_ = stream_->size();
    stream_->write(header.data(), header.size());
    stream_->write(p.body, p.size);
    stream_->start_writeback(kWritebackBytes);
    header_ = std::move(header);
    if (in.owned) recycle(std::move(*in.owned));
    recycle(std::move(stored));  // empty when the bytes were in a per-thread buffer
    return;
  }
  Page page;
  page.header = std::move(header);
  if (p.in_owned) {
    page.body = std::move(*in.owned);
  } else {
    page.body = std::move(stored);
    if (in.owned) recycle(std::move(*in.owned));
    // Well compressed into a recycled buffer: keep only the bytes, reuse the buffer.
    if (page.body.size() * 2 < page.body.capacity()) {
      std::vector<uint8_t> exact(page.body.begin(), page.body.end());
      recycle(std::move(page.body));
      page.body = std::move(exact);
    }
  }
  pages_.push_back(std::move(page));
}

format::Statistics ColumnWriter::statistics() const {
  format::Statistics s;
  s.null_count = null_count_;
  auto set = [&](auto& mm) {
    if (mm.any) {
      s.min_value = stat_bytes(mm.min, false);
      s.max_value = stat_bytes(mm.max, true);
    }
  };
  switch (field_.type) {
    case ColumnType::Bool:
      set(stats_bool_);
      break;
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
    case ColumnType::ListInt32:
      set(stats_i32_);
      break;
    case ColumnType::Int64:
    case ColumnType::TimestampMicros:
      set(stats_i64_);
      break;
    case ColumnType::Float:
    case ColumnType::ListFloat:
      set(stats_f32_);
      break;
    case ColumnType::Double:
      set(stats_f64_);
      break;
    case ColumnType::String:
      // Long strings would bloat the footer; such statistics are left out.
      if (has_string_stats_ && string_min_.size() <= 256 && string_max_.size() <= 256) {
        s.min_value = string_min_;
        s.max_value = string_max_;
      }
      break;
  }
  return s;
}

format::ColumnChunk ColumnWriter::flush(io::AtomicFile& file) {
  if (stream_ != nullptr && stream_ != &file) {
    throw InvalidArgument("column '" + field_.name +
                          "': flushed to another file than it streams to");
  }
  // A buffering column's chunk starts here; a streaming one's pages are already there.
  int64_t offset = file.size();
  finish_page();
  seal_pending();
  if (stream_ != nullptr && chunk_offset_ >= 0) offset = chunk_offset_;
  chunk_offset_ = -1;
  for (Page& p : pages_) {
    file.write(p.header.data(), p.header.size());
    file.write(p.body.data(), p.body.size());
    file.start_writeback(kWritebackBytes);
    recycle(std::move(p.body));
  }
  pages_.clear();
  format::ColumnChunk cc;
  cc.file_offset = offset;
  cc.has_meta_data = true;
  format::ColumnMetaData& m = cc.meta_data;
  m.type = physical_type_;
  m.encodings = {format::kPlain};
  if (max_def_ > 0 || max_rep_ > 0) m.encodings.push_back(format::kRle);
  if (is_list(field_.type)) {
    m.path_in_schema = {field_.name, "list", "element"};
  } else {
    m.path_in_schema = {field_.name};
  }
  m.codec = format_codec(codec_);
  m.num_values = chunk_values_;
  m.total_uncompressed_size = chunk_uncompressed_;
  m.total_compressed_size = chunk_bytes_;
  m.data_page_offset = offset;
  m.statistics = statistics();

  chunk_bytes_ = 0;
  chunk_uncompressed_ = 0;
  chunk_values_ = 0;
  null_count_ = 0;
  stats_i32_ = {};
  stats_i64_ = {};
  stats_f32_ = {};
  stats_f64_ = {};
  stats_bool_ = {};
  has_string_stats_ = false;
  string_min_.clear();
  string_max_.clear();
  return cc;
}

}  // namespace recsys::parquet
