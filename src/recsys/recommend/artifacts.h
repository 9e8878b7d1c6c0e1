#pragma once
// Everything the recommender reads, opened once: the embeddings folder, the graph it came from,
// the place / user indices and, for a hetero model, its serving files (cold start, attendance).
//
// `dir` is either a pipeline workdir (docs/decisions.md, "Recommender"):
//   DIR/embeddings/  required (recsys export)
//   DIR/graph/       the graph; absent: the embeddings manifest's graph.path
//   DIR/index/       optional (recsys index); absent: indices built in memory (auto parameters)
//   DIR/model/       optional; read for hetero serving files when the embeddings lack them
// or an embeddings folder itself (its manifest says "recsys-embeddings"): graph from its
// manifest, indices built in memory. `index_dir` (when not empty) replaces DIR/index.
// The graph must be the one the embeddings were exported from (manifest checksum, raw ids):
// InvalidArgument naming both folders otherwise.
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "recsys/export/embeddings_folder.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/index/index_folder.h"
#include "recsys/model/hetero_serving.h"

namespace recsys::recommend {

struct Artifacts {
  std::filesystem::path dir;  // as given
  std::unique_ptr<graph::GraphArtifact> graph;
  exporter::EmbeddingsFolder embeddings;
  index::IndexFolder index;
  std::string index_source;                      // the index folder read, or "in memory (auto)"
  std::unique_ptr<model::HeteroServing> hetero;  // null: no hetero serving files
  // Seconds spent opening each part: "embeddings", "graph", "index", "hetero".
  std::vector<std::pair<std::string, double>> load_seconds;

  int dim() const { return static_cast<int>(embeddings.dim); }
  const float* user_vector(int32_t row) const {
    return embeddings.users.data() + static_cast<int64_t>(row) * embeddings.dim;
  }
  const float* place_vector(int32_t row) const {
    return embeddings.places.data() + static_cast<int64_t>(row) * embeddings.dim;
  }
};

Artifacts open_artifacts(const std::filesystem::path& dir,
                         const std::filesystem::path& index_dir = {});

}  // namespace recsys::recommend
