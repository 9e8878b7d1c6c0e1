#pragma once
// `recsys train`: trains a baseline on a graph artifact and writes a model
// folder (manifest.json + model files, atomically). Models:
//   popularity         place score = training degree (users who interacted)
//   itemknn            cosine item-item neighbours (item_knn.h)
//   mf-bpr             matrix factorisation with BPR + Adam, early stopping (mf_bpr.h)
//   oracle             the generator's true preference score (synthetic data only)
//   common-neighbours  popularity for places, common training friends for friends
// and every model registered in model_registry.h (graph filters, LibTorch GNNs).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recsys/model/train_config.h"

namespace recsys::model {

struct TrainRequest {
  std::filesystem::path graph_dir;
  std::string model;  // empty: the config's `model`
  TrainConfig config;
  std::filesystem::path output_dir;
  bool force = false;
  bool resume = false;  // continue from <output_dir>.checkpoint (models that checkpoint)
};

struct TrainSummary {
  nlohmann::json manifest;
  double seconds = 0;
};

const std::vector<std::string>& baseline_model_names();
// The baselines plus every registered model (model_registry.h).
std::vector<std::string> model_names();

// Throws ConfigError naming --model for an unknown model, FormatError naming the missing file
// for the oracle on data without ground truth, IoError for an existing output without force,
// and the graph reader's errors.
TrainSummary train_model(const TrainRequest& request);

}  // namespace recsys::model
