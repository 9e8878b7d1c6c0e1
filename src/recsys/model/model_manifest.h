#pragma once
// The model folder's manifest.json (docs/data-contract.md, "Model folder"):
//   format "recsys-model", format_version 1, model (name given to `recsys train`),
//   scorer (how to score: "popularity", "itemknn", "embeddings", "oracle",
//   "common-neighbours"), graph {path, manifest_checksum}, config, train_seconds,
//   counts {users, places, ...}, files {name: {dtype, shape}}, and model-specific entries.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "recsys/graph/graph_artifact.h"

namespace recsys::model {

inline constexpr int kModelFormatVersion = 1;

// checksum64 (hex) of the graph folder's manifest.json bytes: identifies the graph a model was
// trained on (the manifest holds every array's checksum). Throws IoError when unreadable.
std::string graph_manifest_checksum(const std::filesystem::path& graph_dir);

// Throws IoError when model_dir/manifest.json cannot be read, FormatError naming the file when
// it is not JSON, not a recsys-model manifest, of another version, or lacks a required key.
nlohmann::json read_model_manifest(const std::filesystem::path& model_dir);

// Throws InvalidArgument naming both folders when the graph's manifest checksum differs from
// the one the model was trained on, or its user / place counts differ.
void check_model_graph(const nlohmann::json& model_manifest, const std::filesystem::path& model_dir,
                       const graph::GraphArtifact& graph);

}  // namespace recsys::model
