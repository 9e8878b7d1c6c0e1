#pragma once
// Element types of the graph artifact's binary arrays (little-endian, packed).
#include <cstdint>
#include <string>

namespace recsys::graph {

enum class DType : uint8_t { Int8, UInt8, Int32, Int64, Float32, Float64 };

const char* to_string(DType type);
// Throws FormatError naming `context` for an unknown name.
DType parse_dtype(const std::string& name, const std::string& context);
size_t dtype_size(DType type);

template <typename T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<int8_t>() {
  return DType::Int8;
}
template <>
constexpr DType dtype_of<uint8_t>() {
  return DType::UInt8;
}
template <>
constexpr DType dtype_of<int32_t>() {
  return DType::Int32;
}
template <>
constexpr DType dtype_of<int64_t>() {
  return DType::Int64;
}
template <>
constexpr DType dtype_of<float>() {
  return DType::Float32;
}
template <>
constexpr DType dtype_of<double>() {
  return DType::Float64;
}

}  // namespace recsys::graph
