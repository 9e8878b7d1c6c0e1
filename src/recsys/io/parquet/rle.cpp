#include "recsys/io/parquet/rle.h"

#include <algorithm>
#include <cstring>

#include "recsys/core/error.h"

namespace recsys::parquet {
namespace {

void put_varint(uint64_t v, std::vector<uint8_t>& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

// Bit-packs `count` values (padded with zeros to a multiple of 8) LSB first.
void put_literals(const uint8_t* values, size_t count, int bit_width, std::vector<uint8_t>& out) {
  size_t groups = (count + 7) / 8;
  put_varint((static_cast<uint64_t>(groups) << 1) | 1, out);
  size_t start = out.size();
  out.resize(start + groups * static_cast<size_t>(bit_width), 0);
  uint8_t* dst = out.data() + start;
  if (bit_width == 0) return;
  if (bit_width == 1) {
    for (size_t i = 0; i < count; ++i)
      dst[i >> 3] |= static_cast<uint8_t>((values[i] & 1) << (i & 7));
    return;
  }
  uint64_t bit = 0;
  for (size_t i = 0; i < count; ++i, bit += static_cast<uint64_t>(bit_width)) {
    uint32_t v = values[i];
    size_t byte = bit >> 3;
    int shift = static_cast<int>(bit & 7);
    uint32_t shifted = v << shift;
    dst[byte] |= static_cast<uint8_t>(shifted);
    if (shift + bit_width > 8) dst[byte + 1] |= static_cast<uint8_t>(shifted >> 8);
  }
}

}  // namespace

int bit_width_for(uint64_t max_value) {
  int w = 0;
  while (max_value > 0) {
    ++w;
    max_value >>= 1;
  }
  return w;
}

void rle_encode_run(uint32_t value, size_t count, int bit_width, std::vector<uint8_t>& out) {
  if (count == 0) return;
  put_varint(static_cast<uint64_t>(count) << 1, out);
  int bytes = (bit_width + 7) / 8;
  for (int b = 0; b < bytes; ++b) out.push_back(static_cast<uint8_t>(value >> (8 * b)));
}

void rle_encode(const uint8_t* values, size_t n, int bit_width, std::vector<uint8_t>& out) {
  constexpr size_t kMaxLiteral = 63 * 8;
  size_t lit_start = 0;
  size_t i = 0;
  while (i < n) {
    uint8_t v = values[i];
    size_t run = 1;
    while (i + run < n && values[i + run] == v) ++run;
    size_t pending = i - lit_start;
    size_t needed = (8 - pending % 8) % 8;
    if (run >= 8 + needed) {
      i += needed;  // top up the literal run to a multiple of 8 values
      run -= needed;
      if (i > lit_start) put_literals(values + lit_start, i - lit_start, bit_width, out);
      rle_encode_run(v, run, bit_width, out);
      i += run;
      lit_start = i;
    } else {
      i += run;
      if (i - lit_start >= kMaxLiteral) {
        size_t take = kMaxLiteral;
        put_literals(values + lit_start, take, bit_width, out);
        lit_start += take;
      }
    }
  }
  if (n > lit_start) put_literals(values + lit_start, n - lit_start, bit_width, out);
}

RleDecoder::RleDecoder(const uint8_t* data, size_t size, int bit_width, const std::string& context)
    : data_(data), size_(size), bit_width_(bit_width), context_(context) {
  if (bit_width < 0 || bit_width > 32)
    fail("bit width " + std::to_string(bit_width) + " out of range");
}

void RleDecoder::fail(const std::string& what) const {
  throw FormatError(context_ + ": " + what);
}

bool RleDecoder::next_run() {
  if (pos_ >= size_) return false;
  uint64_t header = 0;
  int shift = 0;
  while (true) {
    if (pos_ >= size_) fail("truncated RLE run header");
    uint8_t b = data_[pos_++];
    header |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
    if (shift > 35) fail("RLE run header too long");
  }
  if (header & 1) {
    uint64_t groups = header >> 1;
    literal_ = true;
    run_left_ = groups * 8;
    uint64_t bytes = groups * static_cast<uint64_t>(bit_width_);
    literal_data_ = data_ + pos_;
    literal_bytes_ = static_cast<size_t>(std::min<uint64_t>(bytes, size_ - pos_));
    literal_bit_ = 0;
    pos_ += literal_bytes_;
  } else {
    literal_ = false;
    run_left_ = header >> 1;
    int bytes = (bit_width_ + 7) / 8;
    if (size_ - pos_ < static_cast<size_t>(bytes)) fail("truncated RLE run value");
    uint32_t v = 0;
    for (int b = 0; b < bytes; ++b) v |= static_cast<uint32_t>(data_[pos_ + b]) << (8 * b);
    pos_ += static_cast<size_t>(bytes);
    if (bit_width_ < 32 && (v >> bit_width_) != 0) fail("RLE run value exceeds the bit width");
    run_value_ = v;
  }
  if (run_left_ == 0) fail("empty RLE run");
  return true;
}

template <class T>
void RleDecoder::decode_impl(T* out, size_t n) {
  if (bit_width_ == 0) {
    std::fill(out, out + n, T{0});
    return;
  }
  size_t done = 0;
  while (done < n) {
    if (run_left_ == 0 && !next_run()) {
      fail("RLE data ends after " + std::to_string(done) + " of " + std::to_string(n) + " values");
    }
    size_t take = static_cast<size_t>(std::min<uint64_t>(run_left_, n - done));
    if (!literal_) {
      if (sizeof(T) == 1 && run_value_ > 0xFF) fail("RLE value too large");
      std::fill(out + done, out + done + take, static_cast<T>(run_value_));
    } else {
      uint64_t bits_needed = (literal_bit_ + take * static_cast<uint64_t>(bit_width_));
      if (bits_needed > static_cast<uint64_t>(literal_bytes_) * 8) fail("truncated bit-packed run");
      const uint32_t mask = bit_width_ == 32 ? 0xFFFFFFFFu : ((1u << bit_width_) - 1);
      for (size_t i = 0; i < take; ++i) {
        uint64_t bit = literal_bit_;
        size_t byte = bit >> 3;
        int shift = static_cast<int>(bit & 7);
        uint64_t word = 0;
        size_t avail = std::min<size_t>(8, literal_bytes_ - byte);
        std::memcpy(&word, literal_data_ + byte, avail);
        uint32_t v = static_cast<uint32_t>(word >> shift) & mask;
        if (sizeof(T) == 1 && v > 0xFF) fail("bit-packed value too large");
        out[done + i] = static_cast<T>(v);
        literal_bit_ += static_cast<uint64_t>(bit_width_);
      }
    }
    done += take;
    run_left_ -= take;
  }
}

void RleDecoder::decode(uint8_t* out, size_t n) {
  decode_impl(out, n);
}
void RleDecoder::decode(uint32_t* out, size_t n) {
  decode_impl(out, n);
}

}  // namespace recsys::parquet
