#pragma once
// `recsys train`: trains a model on a graph artifact and writes a model folder (manifest.json +
// model files, atomically). The models are those registered in model_registry.h: the baselines
// (baseline_models.cpp: popularity, common-neighbours, itemknn, mf-bpr, oracle), graph filters
// and the LibTorch GNNs of model/gnn/.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recsys/model/distributed_options.h"
#include "recsys/model/train_config.h"

namespace recsys::model {

struct TrainRequest {
  std::filesystem::path graph_dir;
  std::string model;  // empty: the config's `model`
  TrainConfig config;
  std::filesystem::path output_dir;
  bool force = false;
  bool resume = false;  // continue from <output_dir>.checkpoint (models that checkpoint)
  // --world-size/--rank/--master: rank 0 writes output_dir (and its checkpoints); the other
  // ranks train alongside it and write nothing.
  DistributedOptions distributed;
};

struct TrainSummary {
  nlohmann::json manifest;
  double seconds = 0;
};

// Every registered model's name, sorted.
std::vector<std::string> model_names();

// Throws ConfigError naming --model for an unknown model, naming --world-size for a model
// without data-parallel training or --resume with it, FormatError naming the missing file
// for the oracle on data without ground truth, IoError for an existing output without force,
// and the graph reader's errors.
TrainSummary train_model(const TrainRequest& request);

}  // namespace recsys::model
