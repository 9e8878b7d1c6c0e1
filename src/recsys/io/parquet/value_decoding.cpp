#include "recsys/io/parquet/value_decoding.h"

#include <cstring>
#include <type_traits>

#include "recsys/core/error.h"
#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/rle.h"

namespace recsys::parquet {
namespace {

[[noreturn]] void fail(const std::string& context, const std::string& what) {
  throw FormatError(context + ": " + what);
}

uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// ---- dictionary indices

std::vector<uint32_t> dictionary_indices(const uint8_t* data, size_t size, size_t n,
                                         size_t dict_size, const std::string& context) {
  std::vector<uint32_t> idx(n);
  if (n == 0) return idx;
  if (size < 1) fail(context, "dictionary-encoded page without a bit width");
  int width = data[0];
  if (width > 32) fail(context, "dictionary index bit width " + std::to_string(width) + " > 32");
  RleDecoder dec(data + 1, size - 1, width, context);
  dec.decode(idx.data(), n);
  for (uint32_t i : idx) {
    if (i >= dict_size) {
      fail(context, "dictionary index " + std::to_string(i) + " out of range (dictionary has " +
                        std::to_string(dict_size) + " entries)");
    }
  }
  return idx;
}

bool is_dictionary(int32_t encoding) {
  return encoding == format::kPlainDictionary || encoding == format::kRleDictionary;
}

// ---- DELTA_BINARY_PACKED

class DeltaBinaryPackedDecoder {
 public:
  DeltaBinaryPackedDecoder(const uint8_t* data, size_t size, const std::string& context)
      : data_(data), size_(size), context_(context) {}

  // Decodes all values of the stream (at most `limit`), as 64-bit integers with
  // wrap-around arithmetic; returns the count. position() is then past the data.
  template <class T>
  size_t decode(std::vector<T>& out, size_t limit) {
    using U = std::make_unsigned_t<T>;
    uint64_t block_size = varint();
    uint64_t miniblocks = varint();
    uint64_t total = varint();
    U value = static_cast<U>(zigzag(varint()));
    if (block_size == 0 || block_size % 128 != 0 || miniblocks == 0 ||
        block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0 ||
        block_size > (1u << 20)) {
      fail(context_, "invalid DELTA_BINARY_PACKED block layout");
    }
    if (total > limit) fail(context_, "DELTA_BINARY_PACKED claims more values than the page");
    out.clear();
    out.reserve(total);
    if (total == 0) return 0;
    out.push_back(static_cast<T>(value));
    size_t per_mini = block_size / miniblocks;
    while (out.size() < total) {
      U min_delta = static_cast<U>(zigzag(varint()));
      if (size_ - pos_ < miniblocks) fail(context_, "truncated DELTA_BINARY_PACKED block");
      const uint8_t* widths = data_ + pos_;
      pos_ += miniblocks;
      for (uint64_t m = 0; m < miniblocks && out.size() < total; ++m) {
        int w = widths[m];
        // Writers may compute INT32 deltas in 64 bits (DuckDB does); arithmetic
        // modulo 2^32 still yields the right values.
        if (w > 64) fail(context_, "DELTA_BINARY_PACKED width too large");
        size_t count = std::min<size_t>(per_mini, total - out.size());
        size_t full_bytes = per_mini * static_cast<size_t>(w) / 8;
        size_t need = (count * static_cast<size_t>(w) + 7) / 8;
        if (size_ - pos_ < need) fail(context_, "truncated DELTA_BINARY_PACKED miniblock");
        const uint8_t* p = data_ + pos_;
        for (size_t i = 0; i < count; ++i) {
          uint64_t bit = i * static_cast<uint64_t>(w);
          uint64_t v = 0;
          if (w > 0) {
            // Gather up to 64 bits starting at `bit`.
            size_t byte = bit >> 3;
            int shift = static_cast<int>(bit & 7);
            unsigned __int128 acc = 0;
            size_t avail = std::min<size_t>(16, need - byte);
            for (size_t b = 0; b < avail; ++b)
              acc |= static_cast<unsigned __int128>(p[byte + b]) << (8 * b);
            acc >>= shift;
            v = static_cast<uint64_t>(acc);
            if (w < 64) v &= (uint64_t{1} << w) - 1;
          }
          value = static_cast<U>(value + min_delta + static_cast<U>(v));
          out.push_back(static_cast<T>(value));
        }
        pos_ += std::min(full_bytes, size_ - pos_);
      }
    }
    return out.size();
  }

  size_t position() const { return pos_; }

 private:
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= size_) fail(context_, "truncated DELTA_BINARY_PACKED header");
      uint8_t b = data_[pos_++];
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    fail(context_, "varint too long in DELTA_BINARY_PACKED data");
  }
  static uint64_t zigzag(uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string context_;
};

template <class T>
void decode_fixed(int32_t encoding, const uint8_t* data, size_t size, size_t n, T* out,
                  const std::vector<T>& dict_values, const Dictionary& dict,
                  const std::string& context) {
  if (encoding == format::kPlain) {
    if (size / sizeof(T) < n) {
      fail(context, "PLAIN data holds " + std::to_string(size / sizeof(T)) + " values, " +
                        std::to_string(n) + " expected");
    }
    if (n) std::memcpy(out, data, n * sizeof(T));
    return;
  }
  if (is_dictionary(encoding)) {
    if (!dict.present) fail(context, "dictionary-encoded page without a dictionary page");
    std::vector<uint32_t> idx = dictionary_indices(data, size, n, dict_values.size(), context);
    for (size_t i = 0; i < n; ++i) out[i] = dict_values[idx[i]];
    return;
  }
  if (encoding == format::kByteStreamSplit) {
    if (size / sizeof(T) < n) fail(context, "BYTE_STREAM_SPLIT data too short");
    for (size_t i = 0; i < n; ++i) {
      uint8_t bytes[sizeof(T)];
      for (size_t b = 0; b < sizeof(T); ++b) bytes[b] = data[b * n + i];
      std::memcpy(out + i, bytes, sizeof(T));
    }
    return;
  }
  if constexpr (std::is_integral_v<T>) {
    if (encoding == format::kDeltaBinaryPacked) {
      DeltaBinaryPackedDecoder dec(data, size, context);
      std::vector<T> values;
      size_t got = dec.decode(values, n);
      if (got != n)
        fail(context, "DELTA_BINARY_PACKED holds " + std::to_string(got) + " values, " +
                          std::to_string(n) + " expected");
      if (n) std::memcpy(out, values.data(), n * sizeof(T));
      return;
    }
  }
  fail(context, std::string("unsupported encoding ") + format::encoding_name(encoding) + " (" +
                    std::to_string(encoding) + ")");
}

}  // namespace

void decode_dictionary(int32_t physical_type, const uint8_t* data, size_t size, size_t n,
                       Dictionary& dict, const std::string& context) {
  Dictionary d;
  d.present = true;
  d.size = n;
  switch (physical_type) {
    case format::kInt32:
      if (size / 4 < n) fail(context, "dictionary page too short");
      d.i32.resize(n);
      decode_fixed(format::kPlain, data, size, n, d.i32.data(), d.i32, d, context);
      break;
    case format::kInt64:
      if (size / 8 < n) fail(context, "dictionary page too short");
      d.i64.resize(n);
      decode_fixed(format::kPlain, data, size, n, d.i64.data(), d.i64, d, context);
      break;
    case format::kFloat:
      if (size / 4 < n) fail(context, "dictionary page too short");
      d.f32.resize(n);
      decode_fixed(format::kPlain, data, size, n, d.f32.data(), d.f32, d, context);
      break;
    case format::kDouble:
      if (size / 8 < n) fail(context, "dictionary page too short");
      d.f64.resize(n);
      decode_fixed(format::kPlain, data, size, n, d.f64.data(), d.f64, d, context);
      break;
    case format::kByteArray:
      if (size / 4 < n) fail(context, "dictionary page too short");
      d.str.resize(n);
      decode_values(format::kPlain, data, size, n, d.str.data(), d, context);
      break;
    case format::kBoolean:
      if (size < (n + 7) / 8) fail(context, "dictionary page too short");
      d.b8.resize(n);
      decode_bools(format::kPlain, data, size, n, d.b8.data(), d, context);
      break;
    default:
      fail(context, "dictionary page for an unsupported physical type");
  }
  dict = std::move(d);
}

void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, int32_t* out,
                   const Dictionary& dict, const std::string& context) {
  decode_fixed(encoding, data, size, n, out, dict.i32, dict, context);
}
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, int64_t* out,
                   const Dictionary& dict, const std::string& context) {
  decode_fixed(encoding, data, size, n, out, dict.i64, dict, context);
}
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, float* out,
                   const Dictionary& dict, const std::string& context) {
  decode_fixed(encoding, data, size, n, out, dict.f32, dict, context);
}
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, double* out,
                   const Dictionary& dict, const std::string& context) {
  decode_fixed(encoding, data, size, n, out, dict.f64, dict, context);
}

void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, std::string* out,
                   const Dictionary& dict, const std::string& context) {
  if (encoding == format::kPlain) {
    size_t pos = 0;
    for (size_t i = 0; i < n; ++i) {
      if (size - pos < 4)
        fail(context, "PLAIN string data ends after " + std::to_string(i) + " of " +
                          std::to_string(n) + " values");
      uint32_t len = load_u32(data + pos);
      pos += 4;
      if (len > size - pos)
        fail(context, "PLAIN string length " + std::to_string(len) + " exceeds the page");
      out[i].assign(reinterpret_cast<const char*>(data + pos), len);
      pos += len;
    }
    return;
  }
  if (is_dictionary(encoding)) {
    if (!dict.present) fail(context, "dictionary-encoded page without a dictionary page");
    std::vector<uint32_t> idx = dictionary_indices(data, size, n, dict.str.size(), context);
    for (size_t i = 0; i < n; ++i) out[i] = dict.str[idx[i]];
    return;
  }
  if (encoding == format::kDeltaLengthByteArray || encoding == format::kDeltaByteArray) {
    size_t pos = 0;
    std::vector<int32_t> prefix;
    if (encoding == format::kDeltaByteArray) {
      DeltaBinaryPackedDecoder pre(data, size, context);
      if (pre.decode(prefix, n) != n) fail(context, "DELTA_BYTE_ARRAY prefix count mismatch");
      pos = pre.position();
    }
    DeltaBinaryPackedDecoder lens(data + pos, size - pos, context);
    std::vector<int32_t> lengths;
    if (lens.decode(lengths, n) != n)
      fail(context, "DELTA_LENGTH_BYTE_ARRAY length count mismatch");
    pos += lens.position();
    std::string previous;
    for (size_t i = 0; i < n; ++i) {
      int32_t len = lengths[i];
      if (len < 0 || static_cast<size_t>(len) > size - pos)
        fail(context, "delta string length exceeds the page");
      const char* p = reinterpret_cast<const char*>(data + pos);
      if (encoding == format::kDeltaByteArray) {
        int32_t pl = prefix[i];
        if (pl < 0 || static_cast<size_t>(pl) > previous.size())
          fail(context, "DELTA_BYTE_ARRAY prefix longer than the previous value");
        std::string v;
        v.reserve(static_cast<size_t>(pl) + static_cast<size_t>(len));
        v.append(previous, 0, static_cast<size_t>(pl));
        v.append(p, static_cast<size_t>(len));
        out[i] = v;
        previous = std::move(v);
      } else {
        out[i].assign(p, static_cast<size_t>(len));
      }
      pos += static_cast<size_t>(len);
    }
    return;
  }
  fail(context,
       std::string("unsupported encoding ") + format::encoding_name(encoding) + " for strings");
}

void decode_bools(int32_t encoding, const uint8_t* data, size_t size, size_t n, uint8_t* out,
                  const Dictionary& dict, const std::string& context) {
  if (encoding == format::kPlain) {
    if (size < (n + 7) / 8) fail(context, "PLAIN boolean data too short");
    for (size_t i = 0; i < n; ++i) out[i] = (data[i >> 3] >> (i & 7)) & 1;
    return;
  }
  if (encoding == format::kRle) {
    if (size < 4) fail(context, "RLE boolean data without a length");
    uint32_t len = load_u32(data);
    if (len > size - 4) fail(context, "RLE boolean length exceeds the page");
    RleDecoder dec(data + 4, len, 1, context);
    dec.decode(out, n);
    return;
  }
  if (is_dictionary(encoding)) {
    if (!dict.present) fail(context, "dictionary-encoded page without a dictionary page");
    std::vector<uint32_t> idx = dictionary_indices(data, size, n, dict.b8.size(), context);
    for (size_t i = 0; i < n; ++i) out[i] = dict.b8[idx[i]];
    return;
  }
  fail(context,
       std::string("unsupported encoding ") + format::encoding_name(encoding) + " for booleans");
}

}  // namespace recsys::parquet
