#pragma once
// Decoding of the values section of a data page for each supported encoding:
// PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, RLE (booleans), BYTE_STREAM_SPLIT,
// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY. Every read
// is bounds-checked; errors throw FormatError starting with `context`.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace recsys::parquet {

// A column chunk's dictionary, decoded (only the member matching the type is used).
struct Dictionary {
  bool present = false;
  size_t size = 0;
  std::vector<uint8_t> b8;
  std::vector<int32_t> i32;
  std::vector<int64_t> i64;
  std::vector<float> f32;
  std::vector<double> f64;
  std::vector<std::string> str;
};

// Decodes a dictionary page body (PLAIN values) of `physical_type`.
void decode_dictionary(int32_t physical_type, const uint8_t* data, size_t size, size_t n,
                       Dictionary& dict, const std::string& context);

// Decode exactly n values of the page's encoding into out[0..n).
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, int32_t* out,
                   const Dictionary& dict, const std::string& context);
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, int64_t* out,
                   const Dictionary& dict, const std::string& context);
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, float* out,
                   const Dictionary& dict, const std::string& context);
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, double* out,
                   const Dictionary& dict, const std::string& context);
void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t n, std::string* out,
                   const Dictionary& dict, const std::string& context);
void decode_bools(int32_t encoding, const uint8_t* data, size_t size, size_t n, uint8_t* out,
                  const Dictionary& dict, const std::string& context);

}  // namespace recsys::parquet
