#include "recsys/index/index_folder.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "recsys/core/error.h"
#include "recsys/io/atomic_dir.h"
#include "recsys/io/atomic_file.h"

namespace recsys::index {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIndexFormat = "recsys-index";
constexpr int kIndexFormatVersion = 1;
constexpr const char* kManifestJson = "manifest.json";
// The two indices: manifest key, file name.
constexpr const char* kPlaces = "places";
constexpr const char* kUsers = "users";
constexpr const char* kPlacesFile = "places.index";
constexpr const char* kUsersFile = "users.index";

IndexParams params_for(int64_t rows, int dim, const IndexBuildOptions& o) {
  IndexParams p = o.kind ? IndexParams{} : auto_params(rows, dim);
  if (o.kind) p.kind = *o.kind;
  if (o.hnsw_m) p.hnsw_m = *o.hnsw_m;
  if (o.ef_construction) p.ef_construction = *o.ef_construction;
  if (o.ef_search) p.ef_search = *o.ef_search;
  if (o.nlist) p.nlist = *o.nlist;
  if (o.nprobe) p.nprobe = *o.nprobe;
  return p;
}

nlohmann::json index_entry(const VectorIndex& index, const char* file, double seconds) {
  const IndexParams& p = index.params();
  nlohmann::json params = {{"exact_share", p.exact_share}, {"exact_min_rows", p.exact_min_rows}};
  if (p.kind == IndexKind::kHnsw) {
    params["hnsw_m"] = p.hnsw_m;
    params["ef_construction"] = p.ef_construction;
    params["ef_search"] = p.ef_search;
  } else if (p.kind == IndexKind::kIvf) {
    params["nlist"] = p.nlist;
    params["nprobe"] = p.nprobe;
  }
  return {{"file", file},         {"kind", to_string(p.kind)}, {"params", params},
          {"rows", index.rows()}, {"dim", index.dim()},        {"build_seconds", seconds}};
}

// Builds one index and its manifest entry.
VectorIndex build_one(const std::vector<float>& vectors, int64_t rows, int dim,
                      const IndexBuildOptions& options, const char* file, nlohmann::json* entry) {
  const auto start = std::chrono::steady_clock::now();
  VectorIndex index = VectorIndex::build(vectors.data(), rows, dim, params_for(rows, dim, options));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  *entry = index_entry(index, file, seconds);
  return index;
}

nlohmann::json base_manifest(const exporter::EmbeddingsFolder& e) {
  nlohmann::json m;
  m["format"] = kIndexFormat;
  m["format_version"] = kIndexFormatVersion;
  m["metric"] = "inner_product";
  m["model"] = e.manifest.value("model", "");
  m["dim"] = e.dim;
  m["embeddings"] = {{"path", fs::absolute(e.dir).lexically_normal().string()},
                     {"manifest_checksum", exporter::file_checksum(e.dir / kManifestJson)},
                     {"counts", {{"users", e.user_ids.size()}, {"places", e.place_ids.size()}}}};
  return m;
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ea, eb;
  fs::path ca = fs::weakly_canonical(a, ea), cb = fs::weakly_canonical(b, eb);
  if (ea || eb) return false;
  if (!ca.has_filename()) ca = ca.parent_path();
  if (!cb.has_filename()) cb = cb.parent_path();
  return ca == cb;
}

const nlohmann::json& require(const nlohmann::json& object, const char* key,
                              const fs::path& manifest) {
  if (!object.is_object() || !object.contains(key))
    throw FormatError(fmt::format("{}: missing key \"{}\"", manifest.string(), key));
  return object[key];
}

}  // namespace

IndexFolder build_in_memory(const exporter::EmbeddingsFolder& embeddings,
                            const IndexBuildOptions& options) {
  IndexFolder f;
  f.manifest = base_manifest(embeddings);
  const int dim = static_cast<int>(embeddings.dim);
  nlohmann::json places_entry, users_entry;
  f.places = build_one(embeddings.places, static_cast<int64_t>(embeddings.place_ids.size()), dim,
                       options, kPlacesFile, &places_entry);
  f.users = build_one(embeddings.users, static_cast<int64_t>(embeddings.user_ids.size()), dim,
                      options, kUsersFile, &users_entry);
  f.manifest["indices"] = {{kPlaces, places_entry}, {kUsers, users_entry}};
  return f;
}

nlohmann::json write_index_folder(const exporter::EmbeddingsFolder& embeddings,
                                  const fs::path& output, const IndexBuildOptions& options,
                                  bool force) {
  const fs::path target = output.lexically_normal().has_filename()
                              ? output.lexically_normal()
                              : output.lexically_normal().parent_path();
  if (same_folder(target, embeddings.dir))
    throw InvalidArgument(fmt::format("--output {} is the embeddings folder; choose another folder",
                                      output.string()));
  AtomicDir out(target, force);  // claims the output first: an existing folder fails fast
  IndexFolder f = build_in_memory(embeddings, options);
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, index] :
       {std::pair{kPlacesFile, &f.places}, std::pair{kUsersFile, &f.users}}) {
    const fs::path path = out.path() / name;
    index->save(path);
    files[name] = {{"bytes", static_cast<int64_t>(fs::file_size(path))},
                   {"checksum64", exporter::file_checksum(path)}};
  }
  f.manifest["files"] = std::move(files);
  const std::string text = f.manifest.dump(2) + "\n";
  io::AtomicFile manifest_file(out.path() / kManifestJson);
  manifest_file.write(text.data(), text.size());
  manifest_file.commit();
  out.commit();
  return f.manifest;
}

IndexFolder read_index_folder(const fs::path& dir, const exporter::EmbeddingsFolder* embeddings) {
  const fs::path manifest_path = dir / kManifestJson;
  if (!fs::is_directory(dir))
    throw IoError(fmt::format("{} is not a folder (an index folder is written by recsys index)",
                              dir.string()));
  if (!fs::exists(manifest_path))
    throw IoError(fmt::format("{} does not exist: not an index folder (written by recsys index)",
                              manifest_path.string()));
  IndexFolder f;
  f.dir = dir;
  {
    std::ifstream in(manifest_path, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot open {}", manifest_path.string()));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      f.manifest = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw FormatError(fmt::format("{}: not valid JSON ({})", manifest_path.string(), e.what()));
    }
  }
  const auto& m = f.manifest;
  if (!m.is_object() || !m.contains("format") || m["format"] != kIndexFormat)
    throw FormatError(fmt::format("{}: not a {} manifest", manifest_path.string(), kIndexFormat));
  if (!m.contains("format_version") || m["format_version"] != kIndexFormatVersion)
    throw FormatError(
        fmt::format("{}: format_version {} (this program reads {})", manifest_path.string(),
                    m.value("format_version", nlohmann::json()).dump(), kIndexFormatVersion));
  try {
    const auto& files = require(m, "files", manifest_path);
    const auto& indices = require(m, "indices", manifest_path);
    const auto& emb = require(m, "embeddings", manifest_path);
    for (const auto& [key, index] : {std::pair{kPlaces, &f.places}, std::pair{kUsers, &f.users}}) {
      const auto& entry = require(indices, key, manifest_path);
      const std::string name = require(entry, "file", manifest_path).get<std::string>();
      if (name.empty() || name.find('/') != std::string::npos || name == kManifestJson)
        throw FormatError(fmt::format("{}: indices.{}.file \"{}\" is not a file name in the folder",
                                      manifest_path.string(), key, name));
      const auto& file_entry = require(files, name.c_str(), manifest_path);
      const fs::path path = dir / name;
      if (!fs::is_regular_file(path))
        throw FormatError(
            fmt::format("{} is missing (listed in {})", path.string(), manifest_path.string()));
      const auto bytes = static_cast<int64_t>(fs::file_size(path));
      const int64_t want_bytes = require(file_entry, "bytes", manifest_path).get<int64_t>();
      if (bytes != want_bytes)
        throw FormatError(fmt::format("{}: {} bytes where the manifest says {}", path.string(),
                                      bytes, want_bytes));
      const std::string checksum = exporter::file_checksum(path);
      const std::string want_checksum =
          require(file_entry, "checksum64", manifest_path).get<std::string>();
      if (checksum != want_checksum)
        throw FormatError(fmt::format("{}: checksum64 {} where the manifest says {}", path.string(),
                                      checksum, want_checksum));
      *index = VectorIndex::load(path);
      const int64_t rows = require(entry, "rows", manifest_path).get<int64_t>();
      const int dim = require(entry, "dim", manifest_path).get<int>();
      const std::string kind = require(entry, "kind", manifest_path).get<std::string>();
      if (index->rows() != rows || index->dim() != dim || to_string(index->params().kind) != kind)
        throw FormatError(fmt::format("{}: a {} index of {} x {} where {} says {} of {} x {}",
                                      path.string(), to_string(index->params().kind), index->rows(),
                                      index->dim(), manifest_path.string(), kind, rows, dim));
    }
    if (embeddings) {
      const fs::path emb_manifest = embeddings->dir / kManifestJson;
      const std::string want = require(emb, "manifest_checksum", manifest_path).get<std::string>();
      const std::string have = exporter::file_checksum(emb_manifest);
      if (have != want)
        throw FormatError(fmt::format(
            "index folder {} was built from embeddings {} (manifest checksum64 {}), not from {} "
            "(manifest checksum64 {})",
            dir.string(), emb.value("path", std::string("?")), want, embeddings->dir.string(),
            have));
      const auto n_places = static_cast<int64_t>(embeddings->place_ids.size());
      const auto n_users = static_cast<int64_t>(embeddings->user_ids.size());
      if (f.places.rows() != n_places || f.users.rows() != n_users ||
          f.places.dim() != embeddings->dim || f.users.dim() != embeddings->dim)
        throw FormatError(fmt::format(
            "index folder {} ({} places, {} users, dim {}) does not fit embeddings {} ({} places, "
            "{} users, dim {})",
            dir.string(), f.places.rows(), f.users.rows(), f.places.dim(), embeddings->dir.string(),
            n_places, n_users, embeddings->dim));
    }
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: unexpected value ({})", manifest_path.string(), e.what()));
  }
  return f;
}

}  // namespace recsys::index
