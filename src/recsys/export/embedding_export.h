#pragma once
// `recsys export`: a model folder whose scorer is "embeddings" -> an embeddings folder
// (embeddings_folder.h; docs/data-contract.md, "Embeddings folder"): user and place embeddings
// keyed by the graph's raw ids, as Parquet and as .npy, the model's serving files, and a
// manifest naming the model, its metrics and its graph. Written atomically.
#include <filesystem>
#include <nlohmann/json.hpp>

namespace recsys::exporter {

struct ExportRequest {
  std::filesystem::path model_dir;
  std::filesystem::path output_dir;
  std::filesystem::path graph_dir;     // empty: the model manifest's graph.path
  std::filesystem::path metrics_file;  // empty: manifest "metrics" is null
  bool force = false;                  // replace an existing output folder
};

struct ExportSummary {
  nlohmann::json manifest;  // the embeddings folder's manifest.json
  double seconds = 0;
};

// Throws, leaving nothing at output_dir:
//  - IoError / FormatError for a missing or malformed model folder, embedding file, graph folder
//    or metrics file (naming the file), IoError for an existing output without force;
//  - InvalidArgument naming the model folder and scorer when the scorer is not "embeddings",
//    "graph mismatch" when the graph is not the one the model was trained on, and when the
//    output is the model or graph folder;
//  - FormatError for a bad "serving_files" entry (not a plain file name, a name export writes
//    itself, or a file missing from the model folder) and for non-finite embedding values.
ExportSummary export_embeddings(const ExportRequest& request);

}  // namespace recsys::exporter
