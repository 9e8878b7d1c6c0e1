#pragma once
// The `hetero` network's parameters in a format that needs no LibTorch to read (serving,
// src/recsys/model/hetero_serving.h): every parameter tensor of the network, by the name
// torch::nn::Module::named_parameters() gives it ("u_lin.weight", "u_mlp.0.bias", ...),
// concatenated as float32 little-endian, row-major, in hetero_params.bin, and indexed by
// hetero_params.json:
//   {"format": "recsys-hetero-params", "format_version": 1, "dtype": "float32",
//    "byte_order": "little", "data_file": "hetero_params.bin", "floats": N,
//    "checksum64": "<hex of the .bin bytes>",
//    "parameters": {name: {"shape": [..], "offset": first float}}}
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace recsys::model {

inline constexpr const char* kHeteroParamsIndex = "hetero_params.json";
inline constexpr const char* kHeteroParamsData = "hetero_params.bin";

struct ParamTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;  // row-major
  int64_t numel() const;
};

using HeteroParams = std::map<std::string, ParamTensor>;

// Writes both files into `dir`; IoError naming the file when it cannot.
void write_hetero_params(const std::filesystem::path& dir, const HeteroParams& params);

// Reads them back. FormatError naming the file when it is missing or unreadable, for a bad
// index (format, dtype, byte order, a shape / offset outside the data), a data file of another
// size than the index says or whose checksum differs.
HeteroParams read_hetero_params(const std::filesystem::path& dir);

}  // namespace recsys::model
