#include "recsys/model/npy_file.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <regex>

#include "recsys/core/error.h"

namespace recsys::model {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

size_t dtype_size(const std::string& dtype) {
  return dtype == "<i8" ? 8 : 4;
}

void write_raw(const std::filesystem::path& path, const char* dtype, const void* data, size_t bytes,
               const std::vector<int64_t>& shape, size_t count) {
  int64_t product = 1;
  for (int64_t s : shape) product *= s;
  if (product != static_cast<int64_t>(count))
    throw InvalidArgument(
        fmt::format("write_npy {}: shape does not match {} elements", path.string(), count));
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i) dims += fmt::format("{}, ", shape[i]);
  if (shape.size() > 1) dims.resize(dims.size() - 2);  // "(3,)" for one dimension, "(3, 4)" else
  std::string header =
      fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", dtype, dims);
  // Magic (6) + version (2) + header length (2) + header + '\n', padded to a multiple of 64.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(fmt::format("cannot create {}", path.string()));
  out.write(kMagic, 6);
  const char version[2] = {1, 0};
  out.write(version, 2);
  const uint16_t length = static_cast<uint16_t>(header.size());
  const char length_bytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
  out.write(length_bytes, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  out.flush();
  if (!out) throw IoError(fmt::format("cannot write {}", path.string()));
}

template <typename T>
std::vector<T> typed(const std::filesystem::path& path, const char* dtype,
                     std::vector<int64_t>* shape) {
  NpyArray a = read_npy(path);
  if (a.dtype != dtype)
    throw FormatError(
        fmt::format("{}: dtype {} where {} was expected", path.string(), a.dtype, dtype));
  std::vector<T> out(static_cast<size_t>(a.elements()));
  if (!out.empty()) std::memcpy(out.data(), a.data.data(), a.data.size());
  if (shape) *shape = a.shape;
  return out;
}

}  // namespace

int64_t NpyArray::elements() const {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

void write_npy(const std::filesystem::path& path, std::span<const float> data,
               std::vector<int64_t> shape) {
  write_raw(path, "<f4", data.data(), data.size_bytes(), shape, data.size());
}
void write_npy(const std::filesystem::path& path, std::span<const int32_t> data,
               std::vector<int64_t> shape) {
  write_raw(path, "<i4", data.data(), data.size_bytes(), shape, data.size());
}
void write_npy(const std::filesystem::path& path, std::span<const int64_t> data,
               std::vector<int64_t> shape) {
  write_raw(path, "<i8", data.data(), data.size_bytes(), shape, data.size());
}

NpyArray read_npy(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot open {}", path.string()));
  char prefix[10];
  in.read(prefix, 10);
  if (!in || std::memcmp(prefix, kMagic, 6) != 0 || prefix[6] != 1)
    throw FormatError(fmt::format("{}: not a version 1 .npy file", path.string()));
  const size_t length = static_cast<unsigned char>(prefix[8]) |
                        (static_cast<size_t>(static_cast<unsigned char>(prefix[9])) << 8);
  std::string header(length, '\0');
  in.read(header.data(), static_cast<std::streamsize>(length));
  if (!in) throw FormatError(fmt::format("{}: truncated .npy header", path.string()));
  static const std::regex pattern(
      R"(\{'descr': '([<>|][a-z][0-9])', 'fortran_order': (True|False), 'shape': \(([0-9, ]*)\), \}\s*)");
  std::smatch m;
  if (!std::regex_match(header, m, pattern))
    throw FormatError(fmt::format("{}: malformed .npy header '{}'", path.string(), header));
  NpyArray a;
  a.dtype = m[1];
  if (a.dtype != "<f4" && a.dtype != "<i4" && a.dtype != "<i8")
    throw FormatError(fmt::format("{}: unsupported dtype {} (float32, int32 or int64 expected)",
                                  path.string(), a.dtype));
  if (m[2] == "True")
    throw FormatError(fmt::format("{}: Fortran order is not supported", path.string()));
  const std::string dims = m[3];
  size_t pos = 0;
  while (pos < dims.size()) {
    while (pos < dims.size() && (dims[pos] == ' ' || dims[pos] == ',')) ++pos;
    if (pos >= dims.size()) break;
    size_t end = pos;
    while (end < dims.size() && dims[end] >= '0' && dims[end] <= '9') ++end;
    a.shape.push_back(std::stoll(dims.substr(pos, end - pos)));
    pos = end;
  }
  const size_t bytes = static_cast<size_t>(a.elements()) * dtype_size(a.dtype);
  a.data.resize(bytes);
  in.read(reinterpret_cast<char*>(a.data.data()), static_cast<std::streamsize>(bytes));
  if (static_cast<size_t>(in.gcount()) != bytes)
    throw FormatError(
        fmt::format("{}: truncated .npy data ({} of {} bytes)", path.string(), in.gcount(), bytes));
  return a;
}

std::vector<float> read_npy_f32(const std::filesystem::path& path, std::vector<int64_t>* shape) {
  return typed<float>(path, "<f4", shape);
}
std::vector<int32_t> read_npy_i32(const std::filesystem::path& path, std::vector<int64_t>* shape) {
  return typed<int32_t>(path, "<i4", shape);
}
std::vector<int64_t> read_npy_i64(const std::filesystem::path& path, std::vector<int64_t>* shape) {
  return typed<int64_t>(path, "<i8", shape);
}

}  // namespace recsys::model
