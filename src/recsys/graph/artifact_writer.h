#pragma once
// Writes the graph artifact's files into a folder (the temporary folder of an
// AtomicDir): one little-endian binary file per named array, and manifest.json
// listing each array's file, dtype, shape, size in bytes and checksum64.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recsys/graph/array_dtype.h"

namespace recsys::graph {

inline constexpr int kGraphFormatVersion = 1;
inline constexpr const char* kGraphFormatName = "recsys-graph";

class ArtifactWriter {
 public:
  explicit ArtifactWriter(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // `shape` defaults to {size}; a matrix passes {rows, cols}. The name becomes "<name>.bin".
  template <typename T>
  void add(const std::string& name, const std::vector<T>& values, std::vector<int64_t> shape = {}) {
    if (shape.empty()) shape = {static_cast<int64_t>(values.size())};
    add_raw(name, dtype_of<T>(), values.data(), values.size() * sizeof(T), std::move(shape));
  }
  void add_raw(const std::string& name, DType dtype, const void* data, size_t bytes,
               std::vector<int64_t> shape);

  // The rest of the manifest (counts, config, ...); "arrays" is filled by add().
  nlohmann::json& manifest() { return manifest_; }
  int64_t bytes_written() const { return bytes_; }
  // Writes manifest.json (last, so a folder with a manifest has all its arrays).
  void finish();

 private:
  std::filesystem::path dir_;
  nlohmann::json manifest_ = nlohmann::json::object();
  int64_t bytes_ = 0;
};

}  // namespace recsys::graph
