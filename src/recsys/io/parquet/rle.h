#pragma once
// The RLE / bit-packed hybrid encoding of Parquet (definition and repetition
// levels, dictionary indices, RLE booleans). The decoder checks every read
// against the input and throws FormatError (prefixed with the caller's context)
// instead of reading past it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace recsys::parquet {

// Appends `n` values of `bit_width` bits (0..8) in hybrid encoding (no length prefix).
void rle_encode(const uint8_t* values, size_t n, int bit_width, std::vector<uint8_t>& out);
// Appends one RLE run of `count` copies of `value`.
void rle_encode_run(uint32_t value, size_t count, int bit_width, std::vector<uint8_t>& out);

// Number of bits needed for values up to max_value.
int bit_width_for(uint64_t max_value);

class RleDecoder {
 public:
  RleDecoder(const uint8_t* data, size_t size, int bit_width, const std::string& context);

  // Decodes exactly n values; throws FormatError if the data ends first.
  void decode(uint8_t* out, size_t n);
  void decode(uint32_t* out, size_t n);

 private:
  template <class T>
  void decode_impl(T* out, size_t n);
  bool next_run();
  [[noreturn]] void fail(const std::string& what) const;

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  int bit_width_;
  std::string context_;
  // current run
  uint64_t run_left_ = 0;
  bool literal_ = false;
  uint32_t run_value_ = 0;
  const uint8_t* literal_data_ = nullptr;
  size_t literal_bytes_ = 0;
  uint64_t literal_bit_ = 0;
};

}  // namespace recsys::parquet
