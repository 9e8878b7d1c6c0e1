#pragma once
// The index folder written by `recsys index --embeddings EMB_DIR --output INDEX_DIR`
// (docs/data-contract.md, "Index folder"): a place index and a user index over an embeddings
// folder, and a manifest naming the embeddings (path, manifest checksum), the model, the index
// parameters and each file's size and checksum.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "recsys/export/embeddings_folder.h"
#include "recsys/index/vector_index.h"

namespace recsys::index {

struct IndexBuildOptions {
  std::optional<IndexKind> kind;  // unset: auto_params by size (separately for places and users)
  std::optional<int> hnsw_m, ef_construction, ef_search, nlist, nprobe;
};

// Builds both indices and writes the folder atomically (temporary sibling, renamed). Refuses an
// existing output unless `force`.
nlohmann::json write_index_folder(const exporter::EmbeddingsFolder& embeddings,
                                  const std::filesystem::path& output,
                                  const IndexBuildOptions& options, bool force);

struct IndexFolder {
  std::filesystem::path dir;
  nlohmann::json manifest;
  VectorIndex places, users;
};

// Reads and checks an index folder (sizes, checksums). When `embeddings` is given, also checks
// that the index was built from that embeddings folder (its manifest checksum and row counts):
// FormatError naming both folders otherwise.
IndexFolder read_index_folder(const std::filesystem::path& dir,
                              const exporter::EmbeddingsFolder* embeddings = nullptr);

// Both indices built in memory over an embeddings folder (no files), e.g. exact ones.
IndexFolder build_in_memory(const exporter::EmbeddingsFolder& embeddings,
                            const IndexBuildOptions& options);

}  // namespace recsys::index
