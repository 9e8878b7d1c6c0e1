#pragma once
// Parameters of the baseline models, each defined once here with its default.
// TOML (configs/baselines.toml documents the same keys):
//   seed = 42                    every random choice of training (MF-BPR init, sampling, hold-out)
//   [itemknn]
//   neighbours = 100             most similar items kept per item (cosine)
//   [mf_bpr]
//   dim = 64                     embedding size
//   max_epochs = 100             upper bound on epochs (one epoch = one sample per training pair)
//   learning_rate = 0.002        Adam step size
//   l2 = 1e-4                    L2 penalty on the embeddings of each sampled triple
//   batch_size = 2048            triples per Adam step
//   init_std = 0.1               normal initialisation of the embeddings
//   eval_every = 1               epochs between validation Recall@20 checks
//   patience = 5                 checks without improvement before stopping (best epoch kept)
//   holdout_fraction = 0.1       share of each user's training places held out for validation
//                                when the graph has no separate validation split
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace recsys::model {

struct ItemKnnConfig {
  int neighbours = 100;
};

struct MfBprConfig {
  int dim = 64;
  int max_epochs = 100;
  double learning_rate = 0.002;
  double l2 = 1e-4;
  int batch_size = 2048;
  double init_std = 0.1;
  int eval_every = 1;
  int patience = 5;
  double holdout_fraction = 0.1;
};

struct BaselineConfig {
  uint64_t seed = 42;
  ItemKnnConfig itemknn;
  MfBprConfig mf_bpr;

  // Throws ConfigError naming the key when a value is out of range.
  void validate() const;
  nlohmann::json to_json() const;
};

// Defaults overridden by the file's keys; throws IoError / ConfigError (file:line, key) on an
// unreadable file, a wrong type, an out-of-range value or an unknown key.
BaselineConfig load_baseline_config(const std::filesystem::path& toml_file);

}  // namespace recsys::model
