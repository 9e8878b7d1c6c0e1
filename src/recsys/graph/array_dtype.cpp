#include "recsys/graph/array_dtype.h"

#include <fmt/format.h>

#include "recsys/core/error.h"

namespace recsys::graph {

const char* to_string(DType type) {
  switch (type) {
    case DType::Int8:
      return "int8";
    case DType::UInt8:
      return "uint8";
    case DType::Int32:
      return "int32";
    case DType::Int64:
      return "int64";
    case DType::Float32:
      return "float32";
    case DType::Float64:
      return "float64";
  }
  return "?";
}

DType parse_dtype(const std::string& name, const std::string& context) {
  for (DType t :
       {DType::Int8, DType::UInt8, DType::Int32, DType::Int64, DType::Float32, DType::Float64})
    if (name == to_string(t)) return t;
  throw FormatError(fmt::format("{}: unknown dtype '{}'", context, name));
}

size_t dtype_size(DType type) {
  switch (type) {
    case DType::Int8:
    case DType::UInt8:
      return 1;
    case DType::Int32:
    case DType::Float32:
      return 4;
    case DType::Int64:
    case DType::Float64:
      return 8;
  }
  return 1;
}

}  // namespace recsys::graph
