#pragma once
// Parameters of the `lightgcn` model (config section [lightgcn], documented with their defaults
// in configs/lightgcn.toml). Plain C++: no LibTorch here.
#include <nlohmann/json.hpp>
#include <string>

namespace recsys {
class TomlTable;
}

namespace recsys::model::gnn {

struct LightGcnConfig {
  int dim = 64;                   // embedding size (paper: 64)
  int layers = 3;                 // propagation layers K (paper: 3)
  double learning_rate = 0.004;   // Adam (paper: 0.001 at batch 2048; scaled with the batch)
  double reg = 1e-4;              // L2 on the batch's layer-0 embeddings (paper: 1e-4)
  int batch_size = 8192;          // BPR triples per step = per propagation (paper: 2048)
  std::string init = "xavier";    // "xavier" (paper, uniform) or "normal" (init_std)
  double init_std = 0.1;          // standard deviation of init = "normal"
  int max_epochs = 1000;          // paper: up to 1000
  int eval_every = 5;             // epochs between validation Recall@20 checks
  int patience = 10;              // checks without improvement before stopping
  double holdout_fraction = 0.1;  // of each user's training places, without a validation split
  double max_train_seconds = 0;   // stop after the epoch that crosses it; 0 = no limit
};

nlohmann::json lightgcn_config_to_json(const LightGcnConfig& config);
LightGcnConfig lightgcn_config_from_json(const nlohmann::json& j);  // null: defaults

// ModelDefinition::read_config: `base` overridden by the table's "lightgcn.*" keys; throws
// ConfigError naming the key on a wrong type or an out-of-range value.
nlohmann::json read_lightgcn_config(TomlTable& table, const nlohmann::json& base);

}  // namespace recsys::model::gnn
