#pragma once
// `recsys build-graph`: reads the tables of a data folder, splits interactions,
// friendships and friend labels without leakage, builds the relations (CSR) and
// node features, and writes the graph artifact (graph_artifact.h) into
// config.output_dir, which appears only once complete.
#include <nlohmann/json.hpp>

#include "recsys/graph/build_config.h"

namespace recsys::graph {

struct GraphBuildSummary {
  nlohmann::json manifest;  // as written (without the per-array entries' details trimmed)
  double seconds = 0;
  int64_t bytes = 0;  // of the binary arrays
};

GraphBuildSummary build_graph(const GraphBuildConfig& config);

}  // namespace recsys::graph
