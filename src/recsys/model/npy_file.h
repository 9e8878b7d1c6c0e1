#pragma once
// NumPy .npy files (format 1.0, little-endian, C order) of float32, int32 or
// int64, one or two dimensions: how model folders store embeddings, item
// scores and neighbour lists, so that numpy.load reads them as they are.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace recsys::model {

struct NpyArray {
  std::string dtype;  // "<f4", "<i4" or "<i8"
  std::vector<int64_t> shape;
  std::vector<std::byte> data;
  int64_t elements() const;
};

// Throws IoError when the file cannot be written. shape's product must equal data.size().
void write_npy(const std::filesystem::path& path, std::span<const float> data,
               std::vector<int64_t> shape);
void write_npy(const std::filesystem::path& path, std::span<const int32_t> data,
               std::vector<int64_t> shape);
void write_npy(const std::filesystem::path& path, std::span<const int64_t> data,
               std::vector<int64_t> shape);

// Throws IoError (unreadable) or FormatError naming the file (bad magic, header, dtype other
// than float32 / int32 / int64, Fortran order, truncated data).
NpyArray read_npy(const std::filesystem::path& path);

// Typed reads: FormatError naming the file when its dtype is not the one asked for.
std::vector<float> read_npy_f32(const std::filesystem::path& path, std::vector<int64_t>* shape);
std::vector<int32_t> read_npy_i32(const std::filesystem::path& path, std::vector<int64_t>* shape);
std::vector<int64_t> read_npy_i64(const std::filesystem::path& path, std::vector<int64_t>* shape);

}  // namespace recsys::model
