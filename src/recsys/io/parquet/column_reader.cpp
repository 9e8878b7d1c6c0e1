#include "recsys/io/parquet/column_reader.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/io/parquet/codec.h"
#include "recsys/io/parquet/rle.h"
#include "recsys/io/parquet/value_decoding.h"

namespace recsys::parquet {
namespace {

class ChunkDecoder {
 public:
  ChunkDecoder(const FileColumn& col, const format::ColumnMetaData& meta, int64_t num_rows,
               int64_t max_values, Column& out, const std::string& context)
      : col_(col),
        meta_(meta),
        num_rows_(num_rows),
        max_values_(max_values),
        out_(out),
        context_(context) {
    is_list_ = col.type == ColumnType::ListInt32 || col.type == ColumnType::ListFloat;
    start_rows_ = out.num_rows();
    if (is_list_ && out_.offsets.empty()) out_.offsets.push_back(0);
    // Validity of rows decoded before this chunk (all present unless recorded).
    if (!out_.validity.empty() || col.nullable) {
      if (out_.validity.size() < start_rows_) out_.validity.resize(start_rows_, 1);
    }
  }

  void run(const uint8_t* data, size_t size) {
    size_t pos = 0;
    while (pos < size && rows_ < num_rows_) {
      size_t header_size = 0;
      std::string where = context_ + ", page at chunk byte " + std::to_string(pos);
      format::PageHeader h = format::parse_page_header(data + pos, size - pos, where, header_size);
      pos += header_size;
      if (static_cast<size_t>(h.compressed_page_size) > size - pos) {
        fail("page of " + std::to_string(h.compressed_page_size) +
             " bytes runs past the column chunk");
      }
      const uint8_t* body = data + pos;
      size_t body_size = static_cast<size_t>(h.compressed_page_size);
      pos += body_size;
      switch (h.type) {
        case format::kDictionaryPage:
          dictionary_page(h, body, body_size);
          break;
        case format::kDataPage:
          data_page_v1(h, body, body_size);
          break;
        case format::kDataPageV2:
          data_page_v2(h, body, body_size);
          break;
        default:
          break;  // index pages and unknown page types are skipped
      }
    }
    if (rows_ != num_rows_) {
      fail("column chunk holds " + std::to_string(rows_) + " rows, the row group has " +
           std::to_string(num_rows_));
    }
    finish();
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(context_ + ": " + what);
  }

  void dictionary_page(const format::PageHeader& h, const uint8_t* body, size_t size) {
    if (!h.dictionary_page_header) fail("dictionary page without a dictionary page header");
    if (dict_.present) fail("second dictionary page in one column chunk");
    const auto& d = *h.dictionary_page_header;
    if (d.encoding != format::kPlain && d.encoding != format::kPlainDictionary) {
      fail(std::string("dictionary page with encoding ") + format::encoding_name(d.encoding));
    }
    if (d.num_values < 0) fail("negative dictionary size");
    const uint8_t* bytes =
        decompress(meta_.codec, body, size, static_cast<size_t>(h.uncompressed_page_size), scratch_,
                   context_ + ", dictionary page");
    decode_dictionary(col_.physical_type, bytes, static_cast<size_t>(h.uncompressed_page_size),
                      static_cast<size_t>(d.num_values), dict_, context_ + ", dictionary page");
  }

  void check_values(int64_t n) {
    if (n < 0) fail("negative value count in a page");
    if (n > max_values_ - values_) {
      fail("column chunk has more than " + std::to_string(max_values_) + " values");
    }
    if (!is_list_ && n > num_rows_ - rows_) {
      fail("pages hold more values than the row group's " + std::to_string(num_rows_) + " rows");
    }
    values_ += n;
  }

  void decode_levels(const uint8_t* data, size_t size, int max_level, size_t n,
                     std::vector<uint8_t>& levels, const char* what) {
    levels.resize(n);
    RleDecoder dec(data, size, bit_width_for(static_cast<uint64_t>(max_level)),
                   context_ + ", " + what + " levels");
    dec.decode(levels.data(), n);
    for (uint8_t l : levels) {
      if (l > max_level)
        fail(std::string(what) + " level " + std::to_string(l) + " exceeds the maximum " +
             std::to_string(max_level));
    }
  }

  // v1 levels: 4-byte little-endian length, then hybrid RLE.
  size_t levels_v1(const uint8_t* data, size_t size, int32_t encoding, int max_level, size_t n,
                   std::vector<uint8_t>& levels, const char* what) {
    if (encoding != format::kRle) {
      fail(std::string(what) + " levels with unsupported encoding " +
           format::encoding_name(encoding));
    }
    if (size < 4) fail(std::string("truncated ") + what + " levels");
    uint32_t len;
    std::memcpy(&len, data, 4);
    if (len > size - 4) fail(std::string(what) + " levels length exceeds the page");
    decode_levels(data + 4, len, max_level, n, levels, what);
    return 4 + len;
  }

  void data_page_v1(const format::PageHeader& h, const uint8_t* body, size_t size) {
    if (!h.data_page_header) fail("data page without a data page header");
    const auto& d = *h.data_page_header;
    check_values(d.num_values);
    size_t n = static_cast<size_t>(d.num_values);
    size_t usize = static_cast<size_t>(h.uncompressed_page_size);
    const uint8_t* bytes =
        decompress(meta_.codec, body, size, usize, scratch_, context_ + ", data page");
    size_t pos = 0;
    if (col_.max_rep > 0) {
      pos += levels_v1(bytes + pos, usize - pos, d.repetition_level_encoding, col_.max_rep, n, rep_,
                       "repetition");
    }
    if (col_.max_def > 0) {
      pos += levels_v1(bytes + pos, usize - pos, d.definition_level_encoding, col_.max_def, n, def_,
                       "definition");
    }
    assemble(d.encoding, bytes + pos, usize - pos, n);
  }

  void data_page_v2(const format::PageHeader& h, const uint8_t* body, size_t size) {
    if (!h.data_page_header_v2) fail("data page v2 without its header");
    const auto& d = *h.data_page_header_v2;
    check_values(d.num_values);
    size_t n = static_cast<size_t>(d.num_values);
    if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0) {
      fail("negative level length in a data page v2");
    }
    size_t rl = static_cast<size_t>(d.repetition_levels_byte_length);
    size_t dl = static_cast<size_t>(d.definition_levels_byte_length);
    if (rl > size || dl > size - rl) fail("data page v2 level lengths exceed the page");
    if (static_cast<size_t>(h.uncompressed_page_size) < rl + dl) {
      fail("data page v2 uncompressed size smaller than its levels");
    }
    if (col_.max_rep > 0) decode_levels(body, rl, col_.max_rep, n, rep_, "repetition");
    if (col_.max_def > 0) decode_levels(body + rl, dl, col_.max_def, n, def_, "definition");
    const uint8_t* values = body + rl + dl;
    size_t vsize = size - rl - dl;
    size_t usize = static_cast<size_t>(h.uncompressed_page_size) - rl - dl;
    if (d.is_compressed) {
      values = decompress(meta_.codec, values, vsize, usize, scratch_, context_ + ", data page v2");
    } else if (vsize != usize) {
      fail("uncompressed data page v2 size mismatch");
    }
    assemble(d.encoding, values, usize, n);
  }

  template <class T>
  void decode_into(int32_t enc, const uint8_t* data, size_t size, size_t n, T* out) {
    if constexpr (std::is_same_v<T, uint8_t>) {
      decode_bools(enc, data, size, n, out, dict_, context_);
    } else {
      decode_values(enc, data, size, n, out, dict_, context_);
    }
  }

  // Scalar page: `n` rows; values for rows whose level is max_def.
  template <class T>
  void scalar_page(std::vector<T>& dst, int32_t enc, const uint8_t* data, size_t size, size_t n) {
    size_t base = dst.size();
    size_t nn = n;
    if (col_.max_def > 0)
      nn = static_cast<size_t>(std::count(def_.begin(), def_.begin() + n, col_.max_def));
    dst.resize(base + n);
    T* slots = dst.data() + base;
    decode_into(enc, data, size, nn, slots + (n - nn));
    if (col_.max_def > 0) {
      size_t vbase = out_.validity.size();
      out_.validity.resize(vbase + n);
      uint8_t* valid = out_.validity.data() + vbase;
      for (size_t i = 0; i < n; ++i) valid[i] = def_[i] == col_.max_def;
      if (nn != n) {
        // Spread the packed values over their rows (j >= i always: safe in place).
        size_t j = n - nn;
        for (size_t i = 0; i < n; ++i) {
          if (valid[i]) {
            if (j != i) slots[i] = std::move(slots[j]);
            ++j;
          } else {
            slots[i] = T{};
          }
        }
        any_null_ = true;
      }
    }
    rows_ += static_cast<int64_t>(n);
  }

  template <class T>
  void list_page(std::vector<T>& dst, int32_t enc, const uint8_t* data, size_t size, size_t n) {
    size_t nn = static_cast<size_t>(std::count(def_.begin(), def_.begin() + n, col_.max_def));
    size_t base = dst.size();
    dst.resize(base + nn);
    decode_into(enc, data, size, nn, dst.data() + base);
    const int elem_def = col_.list_def + 1;
    int64_t total = out_.offsets.back();
    for (size_t i = 0; i < n; ++i) {
      int d = def_[i];
      if (rep_[i] == 0) {
        if (rows_ >= num_rows_) fail("pages hold more rows than the row group");
        out_.offsets.push_back(total);
        if (col_.nullable) out_.validity.push_back(d >= col_.list_def ? 1 : 0);
        if (d < col_.list_def) any_null_ = true;
        ++rows_;
      } else if (out_.offsets.size() == 1 || (rows_ == 0)) {
        fail("list continues a row that started in another column chunk");
      } else if (d < elem_def) {
        fail("repeated entry without an element");
      }
      if (d >= elem_def) {
        if (d < col_.max_def) {
          fail("null list element in column '" + col_.name +
               "' (lists with null elements are not supported)");
        }
        ++total;
        out_.offsets.back() = total;
      }
    }
  }

  void assemble(int32_t enc, const uint8_t* data, size_t size, size_t n) {
    if (col_.max_def == 0) def_.assign(n, 0);
    if (is_list_) {
      if (col_.type == ColumnType::ListInt32)
        list_page(out_.i32, enc, data, size, n);
      else
        list_page(out_.f32, enc, data, size, n);
      return;
    }
    switch (col_.type) {
      case ColumnType::Bool:
        scalar_page(out_.b8, enc, data, size, n);
        break;
      case ColumnType::Int8:
      case ColumnType::Int16:
      case ColumnType::Int32:
        scalar_page(out_.i32, enc, data, size, n);
        break;
      case ColumnType::Int64:
      case ColumnType::TimestampMicros: {
        size_t base = out_.i64.size();
        scalar_page(out_.i64, enc, data, size, n);
        if (col_.timestamp_scale != 1) {
          for (size_t i = base; i < out_.i64.size(); ++i) {
            if (__builtin_mul_overflow(out_.i64[i], col_.timestamp_scale, &out_.i64[i])) {
              fail("timestamp out of the microsecond range");
            }
          }
        }
        break;
      }
      case ColumnType::Float:
        scalar_page(out_.f32, enc, data, size, n);
        break;
      case ColumnType::Double:
        scalar_page(out_.f64, enc, data, size, n);
        break;
      case ColumnType::String:
        scalar_page(out_.str, enc, data, size, n);
        break;
      default:
        break;
    }
  }

  void finish() {
    // Keep the validity only if some row (in this or an earlier chunk) is null.
    if (!col_.nullable) return;
    if (!any_null_) {
      bool earlier_null =
          std::find(out_.validity.begin(),
                    out_.validity.begin() +
                        static_cast<std::ptrdiff_t>(std::min(start_rows_, out_.validity.size())),
                    0) !=
          out_.validity.begin() +
              static_cast<std::ptrdiff_t>(std::min(start_rows_, out_.validity.size()));
      if (!earlier_null) out_.validity.clear();
    }
  }

  const FileColumn& col_;
  const format::ColumnMetaData& meta_;
  int64_t num_rows_;
  int64_t max_values_;
  Column& out_;
  const std::string& context_;
  bool is_list_ = false;
  size_t start_rows_ = 0;
  int64_t rows_ = 0;
  int64_t values_ = 0;
  bool any_null_ = false;
  Dictionary dict_;
  std::vector<uint8_t> scratch_;
  std::vector<uint8_t> def_, rep_;
};

}  // namespace

void read_column_chunk(const FileColumn& column, const format::ColumnMetaData& meta,
                       const uint8_t* data, size_t size, int64_t num_rows, int64_t max_values,
                       Column& out, const std::string& context) {
  ChunkDecoder decoder(column, meta, num_rows, max_values, out, context);
  decoder.run(data, size);
}

}  // namespace recsys::parquet
