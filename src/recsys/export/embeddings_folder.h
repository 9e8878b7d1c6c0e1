#pragma once
// The embeddings folder written by `recsys export` (docs/data-contract.md, "Embeddings folder"):
// what retrieval (`recsys index`) and serving read. Its layout, and a reader that checks it:
//   manifest.json           format "recsys-embeddings", format_version 1, model, scorer "dot",
//                           metric "inner_product", normalized false, dim, counts, id_dtype,
//                           source_model {path, manifest_checksum, manifest}, graph {path,
//                           manifest_checksum}, metrics (object or null), metrics_file,
//                           serving_files [names], files {name: {bytes, checksum64, ...}}
//   users.parquet           user_id (INT32 or INT64, the graph's raw ids), embedding LIST<FLOAT>
//   places.parquet          place_id, embedding
//   user_embeddings.npy     float32 [users, dim], row i = row i of users.parquet
//   place_embeddings.npy    float32 [places, dim]
//   user_ids.npy            int32 or int64 [users] (row i's raw id)
//   place_ids.npy           int32 or int64 [places]
//   <serving files>         copied as they are from the model folder (its "serving_files")
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace recsys::exporter {

inline constexpr const char* kEmbeddingsFormat = "recsys-embeddings";
inline constexpr int kEmbeddingsFormatVersion = 1;
inline constexpr const char* kUsersParquet = "users.parquet";
inline constexpr const char* kPlacesParquet = "places.parquet";
inline constexpr const char* kUserEmbeddingsNpy = "user_embeddings.npy";
inline constexpr const char* kPlaceEmbeddingsNpy = "place_embeddings.npy";
inline constexpr const char* kUserIdsNpy = "user_ids.npy";
inline constexpr const char* kPlaceIdsNpy = "place_ids.npy";
inline constexpr const char* kManifestJson = "manifest.json";

// True for the names export writes itself (a model's serving file may not take one of them).
bool is_reserved_file_name(const std::string& name);

// checksum64 (hex) of a whole file's bytes. Throws IoError naming the file when unreadable.
std::string file_checksum(const std::filesystem::path& path);

struct EmbeddingsFolder {
  std::filesystem::path dir;
  nlohmann::json manifest;
  int64_t dim = 0;
  std::vector<int64_t> user_ids, place_ids;  // raw ids by row (widened to int64)
  std::vector<float> users, places;          // row-major [rows, dim]
};

// Reads and checks an embeddings folder: IoError when the folder or manifest is unreadable,
// FormatError naming the file when the manifest is not a recsys-embeddings manifest of this
// version, lacks a key, when a file it lists is missing or its size or checksum differs, or
// when an array's dtype or shape disagrees with the manifest's counts and dim.
EmbeddingsFolder read_embeddings_folder(const std::filesystem::path& dir);

}  // namespace recsys::exporter
