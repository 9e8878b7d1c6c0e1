#pragma once
// Models that `recsys train` can train and `recsys evaluate` can read back, each defined in its
// own file and registered there with a static ModelRegistration / ScorerRegistration (the
// library is linked whole-archive, so every registration is kept): the baselines
// (baseline_models.cpp), graph filters, the LibTorch GNNs of model/gnn/. Adding a model touches
// no shared file.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recsys/graph/graph_artifact.h"
#include "recsys/model/distributed_options.h"
#include "recsys/model/train_config.h"

namespace recsys {
class TomlTable;
}

namespace recsys::model {

class TrainedModel;

// What a model's train function gets: the graph, the whole configuration (its own section via
// config.section(name)), the model folder being written (temporary until training succeeds) and
// the manifest under construction. The function writes its files into `dir`, sets
// manifest["scorer"], records every file in `files` ({dtype, shape} or a description) and may
// add model-specific manifest entries ("training", "counts"...). `config_used` receives the
// effective parameters (written to the manifest's "config").
// Checkpoints: models that train for a while save one per epoch under checkpoint_dir (a
// sibling of the output, "<output>.checkpoint", which survives a crash and is removed after a
// successful run) and, when `resume` is set, continue from the latest one there.
struct TrainContext {
  const graph::GraphArtifact& graph;
  const std::filesystem::path& graph_dir;
  const TrainConfig& config;
  const std::filesystem::path& dir;
  nlohmann::json& manifest;
  nlohmann::json& config_used;
  nlohmann::json& files;
  const std::filesystem::path& checkpoint_dir;
  bool resume = false;
  // Data-parallel training (distributed_options.h); only models with data_parallel get more
  // than one process. Ranks other than 0 train but write nothing: their folder is discarded.
  DistributedOptions distributed = {};
};

struct ModelDefinition {
  std::string name;     // the --model value
  std::string summary;  // one line, for --help and error messages
  // Parameters: the TOML section (usually the name with '-' -> '_') read by read_config, which
  // returns `base` (the effective values so far, null at first) overridden by the table's keys
  // "<section>.<key>", after validating them (ConfigError naming the key). Null when the model
  // has no parameters.
  std::string section;
  nlohmann::json (*read_config)(TomlTable& table, const nlohmann::json& base) = nullptr;
  void (*train)(TrainContext& context) = nullptr;
  // Trains with --world-size > 1 (gradients all-reduced across processes, model/gnn/distributed.h).
  bool data_parallel = false;
};

// How to read back a model folder whose manifest names `scorer`.
struct ScorerDefinition {
  std::string scorer;
  std::unique_ptr<TrainedModel> (*open)(const std::filesystem::path& model_dir,
                                        const nlohmann::json& manifest,
                                        const graph::GraphArtifact& graph) = nullptr;
};

const std::vector<ModelDefinition>& registered_models();
const std::vector<ScorerDefinition>& registered_scorers();
const ModelDefinition* find_registered_model(const std::string& name);
const ScorerDefinition* find_registered_scorer(const std::string& scorer);

struct ModelRegistration {
  explicit ModelRegistration(ModelDefinition definition);
};
struct ScorerRegistration {
  explicit ScorerRegistration(ScorerDefinition definition);
};

}  // namespace recsys::model
