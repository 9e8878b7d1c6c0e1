#include "recsys/export/embeddings_folder.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "recsys/core/error.h"
#include "recsys/graph/checksum.h"
#include "recsys/model/npy_file.h"

namespace recsys::exporter {
namespace {

namespace fs = std::filesystem;

std::vector<char> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot open {}", path.string()));
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(fmt::format("cannot read {}", path.string()));
  return bytes;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string t;
  for (int64_t s : shape) t += (t.empty() ? "" : " x ") + std::to_string(s);
  return t;
}

void expect_shape(const fs::path& file, const std::vector<int64_t>& shape,
                  const std::vector<int64_t>& expected) {
  if (shape != expected)
    throw FormatError(fmt::format("{}: shape {} where the manifest says {}", file.string(),
                                  shape_text(shape), shape_text(expected)));
}

// An id array (int32 or int64) of `rows` entries, widened to int64.
std::vector<int64_t> read_ids(const fs::path& path, int64_t rows) {
  model::NpyArray a = model::read_npy(path);
  expect_shape(path, a.shape, {rows});
  std::vector<int64_t> ids(static_cast<size_t>(rows));
  if (a.dtype == "<i8") {
    if (!ids.empty()) std::memcpy(ids.data(), a.data.data(), a.data.size());
  } else if (a.dtype == "<i4") {
    for (size_t i = 0; i < ids.size(); ++i) {
      int32_t v;
      std::memcpy(&v, a.data.data() + i * sizeof v, sizeof v);
      ids[i] = v;
    }
  } else {
    throw FormatError(
        fmt::format("{}: dtype {} where int32 or int64 ids were expected", path.string(), a.dtype));
  }
  return ids;
}

int64_t required_count(const nlohmann::json& object, const char* key, const fs::path& manifest) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer() ||
      object[key].get<int64_t>() < 0)
    throw FormatError(
        fmt::format("{}: missing or invalid \"{}\" (a count >= 0)", manifest.string(), key));
  return object[key].get<int64_t>();
}

}  // namespace

bool is_reserved_file_name(const std::string& name) {
  for (const char* reserved : {kUsersParquet, kPlacesParquet, kUserEmbeddingsNpy,
                               kPlaceEmbeddingsNpy, kUserIdsNpy, kPlaceIdsNpy, kManifestJson})
    if (name == reserved) return true;
  return false;
}

std::string file_checksum(const fs::path& path) {
  const std::vector<char> bytes = read_bytes(path);
  return graph::checksum_hex(graph::checksum64(bytes.data(), bytes.size()));
}

EmbeddingsFolder read_embeddings_folder(const fs::path& dir) {
  const fs::path manifest_path = dir / kManifestJson;
  if (!fs::is_directory(dir))
    throw IoError(
        fmt::format("{} is not a folder (an embeddings folder is written by recsys "
                    "export)",
                    dir.string()));
  if (!fs::exists(manifest_path))
    throw IoError(
        fmt::format("{} does not exist: not an embeddings folder (written by recsys "
                    "export)",
                    manifest_path.string()));
  EmbeddingsFolder f;
  f.dir = dir;
  const std::vector<char> text = read_bytes(manifest_path);
  try {
    f.manifest = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: not valid JSON ({})", manifest_path.string(), e.what()));
  }
  const auto& m = f.manifest;
  if (!m.is_object() || m.value("format", "") != kEmbeddingsFormat)
    throw FormatError(
        fmt::format("{}: not a {} manifest", manifest_path.string(), kEmbeddingsFormat));
  if (m.value("format_version", 0) != kEmbeddingsFormatVersion)
    throw FormatError(fmt::format("{}: format_version {} (this program reads {})",
                                  manifest_path.string(), m.value("format_version", 0),
                                  kEmbeddingsFormatVersion));
  for (const char* key : {"model", "source_model", "graph", "files", "serving_files", "metrics"})
    if (!m.contains(key))
      throw FormatError(fmt::format("{}: missing key \"{}\"", manifest_path.string(), key));
  if (!m["files"].is_object())
    throw FormatError(fmt::format("{}: \"files\" is not an object", manifest_path.string()));
  f.dim = required_count(m, "dim", manifest_path);
  if (f.dim < 1) throw FormatError(fmt::format("{}: \"dim\" is {}", manifest_path.string(), f.dim));
  const int64_t n_users =
      required_count(m.value("counts", nlohmann::json{}), "users", manifest_path);
  const int64_t n_places =
      required_count(m.value("counts", nlohmann::json{}), "places", manifest_path);

  // Every listed file: present, of the recorded size and checksum.
  for (const char* name : {kUsersParquet, kPlacesParquet, kUserEmbeddingsNpy, kPlaceEmbeddingsNpy,
                           kUserIdsNpy, kPlaceIdsNpy})
    if (!m["files"].contains(name))
      throw FormatError(
          fmt::format("{}: \"files\" does not list {}", manifest_path.string(), name));
  for (const auto& [name, entry] : m["files"].items()) {
    const fs::path path = dir / name;
    if (!fs::is_regular_file(path))
      throw FormatError(
          fmt::format("{} is missing (listed in {})", path.string(), manifest_path.string()));
    const auto bytes = static_cast<int64_t>(fs::file_size(path));
    if (entry.value("bytes", int64_t{-1}) != bytes)
      throw FormatError(fmt::format("{}: {} bytes where the manifest says {}", path.string(), bytes,
                                    entry.value("bytes", int64_t{-1})));
    const std::string checksum = file_checksum(path);
    if (entry.value("checksum64", "") != checksum)
      throw FormatError(fmt::format("{}: checksum64 {} where the manifest says {}", path.string(),
                                    checksum, entry.value("checksum64", "")));
  }

  std::vector<int64_t> shape;
  f.users = model::read_npy_f32(dir / kUserEmbeddingsNpy, &shape);
  expect_shape(dir / kUserEmbeddingsNpy, shape, {n_users, f.dim});
  f.places = model::read_npy_f32(dir / kPlaceEmbeddingsNpy, &shape);
  expect_shape(dir / kPlaceEmbeddingsNpy, shape, {n_places, f.dim});
  f.user_ids = read_ids(dir / kUserIdsNpy, n_users);
  f.place_ids = read_ids(dir / kPlaceIdsNpy, n_places);
  return f;
}

}  // namespace recsys::exporter
