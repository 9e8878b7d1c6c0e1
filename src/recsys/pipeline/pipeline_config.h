#pragma once
// Parameters of `recsys pipeline` (configs/pipeline.toml documents every key and its default).
// The config is a TOML document, then `--set key=value` overrides (TOML values, dotted keys);
// unknown keys are rejected with a ConfigError naming them. Two sections pass their other keys
// through to the stage configs they extend:
//   [generator]  config = base synthetic config; every other key is a SyntheticConfig key
//                (scale.n_users = 1000, seed = 7, ...)
//   [model]      name / config / real_name / real_config; every other key is a TrainConfig key
//                (hetero.max_epochs = 2, lightgcn.max_train_seconds = 60, ...)
// Relative paths are relative to the current directory (the project root, as for every
// subcommand's --config).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recsys/graph/build_config.h"
#include "recsys/model/train_config.h"
#include "recsys/synthetic/config.h"

namespace recsys::pipeline {

enum class DataSource { Synthetic, Cf, Lbsn };

struct PipelineConfig {
  // [data]
  std::string source = "synthetic";  // synthetic | cf:DIR | lbsn:DIR
  DataSource source_kind = DataSource::Synthetic;
  std::filesystem::path source_dir;  // cf / lbsn: the input folder
  // [generator]
  std::filesystem::path generator_config = "configs/synthetic.toml";
  std::string generator_overrides;  // TOML text: the section's other keys
  // [graph]
  std::string split = "auto";
  uint64_t graph_seed = 42;
  // [model]
  std::string model = "hetero";
  std::filesystem::path model_config = "configs/hetero.toml";
  std::string real_model = "lightgcn";
  std::filesystem::path real_model_config = "configs/lightgcn.toml";
  std::string model_overrides;  // TOML text: the section's other keys
  // [baselines]
  std::vector<std::string> baselines{"popularity", "city-popularity", "itemknn", "oracle"};
  std::filesystem::path baselines_config = "configs/baselines.toml";
  // [evaluate]
  std::vector<int> ks{10, 20, 50};
  // [index]
  std::string index_type = "auto";
  // [report]
  std::filesystem::path js_dir = "tools/node_modules";  // vega, vega-lite, vega-embed

  // The configurations the stages run with, built from the above and checked (unknown or
  // out-of-range keys throw ConfigError naming them). Reads the referenced config files.
  synthetic::SyntheticConfig synthetic_config() const;
  graph::GraphBuildConfig graph_config() const;  // data_dir / output_dir left empty
  std::string main_model() const;                // model or real_model, by the data source
  model::TrainConfig main_train_config() const;
  model::TrainConfig baseline_train_config() const;
  // The baselines that apply to the data source (oracle: synthetic only; city-popularity: not
  // for cf data, which has no cities).
  std::vector<std::string> active_baselines() const;

  // Checks every value and every referenced file (builds each stage config once).
  void validate() const;
  nlohmann::json to_json() const;
};

// Defaults, then the file (empty path: none), then each "--set key=value" in order.
PipelineConfig load_pipeline_config(const std::filesystem::path& file,
                                    const std::vector<std::string>& settings);

// "synthetic", "cf:DIR" or "lbsn:DIR" into kind and folder; ConfigError naming `what` otherwise.
void parse_data_source(const std::string& text, const std::string& what, DataSource& kind,
                       std::filesystem::path& dir);

}  // namespace recsys::pipeline
