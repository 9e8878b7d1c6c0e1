#pragma once
// Parameters of the BSPM graph filter (Choi et al., "Blurring-Sharpening Process Models for
// Collaborative Filtering", SIGIR 2023), TOML section [bspm]. Defaults: the paper's Gowalla
// setting (README of the authors' code: rk4, K_s = 1, T_s = 2.5, final_sharpening, idl_beta = 0.2,
// factor_dim = 448; blurring Euler with T_b = 1, K_b = 1).
//   k = 448                  rank of the ideal low-pass filter (top right singular vectors of R~)
//   idl_beta = 0.2           weight of the ideal low-pass term
//   T_b = 1.0, K_b = 1       blurring ODE dx/dt = x (P - I): end time, steps
//   blur_solver = "euler"    "euler" or "rk4"
//   T_s = 2.5, K_s = 1       sharpening ODE dx/dt = -x P: end time (0 = no sharpening), steps
//   sharpen_solver = "rk4"   "euler" or "rk4"
//   final_sharpening = true  the idl term enters before sharpening (else added at the end)
//   t_point_combination = false  average the states at every blurring and sharpening step
//   svd_oversample = 64      extra columns of the randomized subspace iteration
//   svd_iterations = 8       its products with R~^T R~
//   tune = false             pick T_s and idl_beta from the grids below by validation Recall@20
//                            (bspm_tuning.h), then filter with all training pairs
//   tune_T_s = [0.5, 1.0, 1.5, 2.0, 2.5], tune_idl_beta = [0.1, 0.2, 0.3]
//   tune_users = 1000        validation users scored per grid point (an evenly spaced subset)
//   tune_holdout_fraction = 0.1  share of each user's training places held out when the graph
//                            has no separate validation split
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace recsys {
class TomlTable;
}

namespace recsys::model {

struct BspmParameters {
  int64_t k = 448;
  double idl_beta = 0.2;
  double blur_time = 1.0;
  int blur_steps = 1;
  std::string blur_solver = "euler";
  double sharpen_time = 2.5;
  int sharpen_steps = 1;
  std::string sharpen_solver = "rk4";
  bool final_sharpening = true;
  bool t_point_combination = false;
  int64_t svd_oversample = 64;
  int svd_iterations = 8;
  bool tune = false;
  std::vector<double> tune_sharpen_times{0.5, 1.0, 1.5, 2.0, 2.5};
  std::vector<double> tune_idl_betas{0.1, 0.2, 0.3};
  int64_t tune_users = 1000;
  double tune_holdout_fraction = 0.1;

  // Throws ConfigError naming the key ("bspm.<key>") of an out-of-range value.
  void validate() const;
  // Keys as in the TOML section.
  nlohmann::json to_json() const;
  // Throws ConfigError naming the missing or malformed key.
  static BspmParameters from_json(const nlohmann::json& j);
};

// ModelDefinition::read_config of [bspm]: `base` (null = defaults) overridden by the table's keys.
nlohmann::json read_bspm_config(TomlTable& table, const nlohmann::json& base);

}  // namespace recsys::model
