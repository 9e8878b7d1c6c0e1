#pragma once
// Parameters of `recsys train`. The baselines' parameters are defined here with their defaults;
// every registered model (model_registry.h) reads its own section through its read_config, and
// the effective values are kept in `sections`.
// TOML (configs/baselines.toml documents the baseline keys, configs/cf.toml a recommended setup):
//   model = "..."                the model to train when --model is not given
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
#include <map>
#include <nlohmann/json.hpp>
#include <string>

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

struct TrainConfig {
  std::string model;  // empty: --model must name one
  uint64_t seed = 42;
  ItemKnnConfig itemknn;
  MfBprConfig mf_bpr;
  // Registered models' parameters as set so far (section name -> effective values).
  std::map<std::string, nlohmann::json> sections;

  // Throws ConfigError naming the key when a value is out of range.
  void validate() const;
  nlohmann::json to_json() const;

  // Overrides values with a TOML document's keys (a file, or "--set key=value" text); throws
  // IoError / ConfigError (file:line, key) on an unreadable file, a wrong type, an out-of-range
  // value or an unknown key.
  void apply_toml_file(const std::filesystem::path& toml_file);
  void apply_toml_string(const std::string& text, const std::string& source_name);

  // The effective parameters of a registered model's section: what was applied, else its
  // defaults. Throws ConfigError for a section no registered model reads.
  nlohmann::json section(const std::string& name) const;
};

// Defaults overridden by the file's keys (apply_toml_file).
TrainConfig load_train_config(const std::filesystem::path& toml_file);

}  // namespace recsys::model
