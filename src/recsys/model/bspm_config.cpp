#include "recsys/model/bspm_config.h"

#include <fmt/format.h>

#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"

namespace recsys::model {
namespace {

void require(bool ok, const char* key, const char* expected) {
  if (!ok) throw ConfigError(fmt::format("config key bspm.{}: must be {}", key, expected));
}

bool known_solver(const std::string& s) { return s == "euler" || s == "rk4"; }

}  // namespace

void BspmParameters::validate() const {
  require(k >= 1 && k <= 8192, "k", "in [1, 8192]");
  require(idl_beta >= 0, "idl_beta", ">= 0");
  require(blur_time >= 0, "T_b", ">= 0");
  require(blur_steps >= 1 && blur_steps <= 100, "K_b", "in [1, 100]");
  require(known_solver(blur_solver), "blur_solver", "\"euler\" or \"rk4\"");
  require(sharpen_time >= 0, "T_s", ">= 0");
  require(sharpen_steps >= 1 && sharpen_steps <= 100, "K_s", "in [1, 100]");
  require(known_solver(sharpen_solver), "sharpen_solver", "\"euler\" or \"rk4\"");
  require(svd_oversample >= 0 && svd_oversample <= 8192, "svd_oversample", "in [0, 8192]");
  require(svd_iterations >= 0 && svd_iterations <= 1000, "svd_iterations", "in [0, 1000]");
  require(!tune_sharpen_times.empty(), "tune_T_s", "a non-empty array");
  for (double t : tune_sharpen_times) require(t >= 0, "tune_T_s", "an array of values >= 0");
  require(!tune_idl_betas.empty(), "tune_idl_beta", "a non-empty array");
  for (double b : tune_idl_betas) require(b >= 0, "tune_idl_beta", "an array of values >= 0");
  require(tune_users >= 1, "tune_users", ">= 1");
  require(tune_holdout_fraction > 0 && tune_holdout_fraction < 1, "tune_holdout_fraction",
          "in (0, 1)");
}

nlohmann::json BspmParameters::to_json() const {
  return {{"k", k},
          {"idl_beta", idl_beta},
          {"T_b", blur_time},
          {"K_b", blur_steps},
          {"blur_solver", blur_solver},
          {"T_s", sharpen_time},
          {"K_s", sharpen_steps},
          {"sharpen_solver", sharpen_solver},
          {"final_sharpening", final_sharpening},
          {"t_point_combination", t_point_combination},
          {"svd_oversample", svd_oversample},
          {"svd_iterations", svd_iterations},
          {"tune", tune},
          {"tune_T_s", tune_sharpen_times},
          {"tune_idl_beta", tune_idl_betas},
          {"tune_users", tune_users},
          {"tune_holdout_fraction", tune_holdout_fraction}};
}

BspmParameters BspmParameters::from_json(const nlohmann::json& j) {
  BspmParameters p;
  auto get = [&](const char* key, auto& field) {
    if (!j.is_object() || !j.contains(key))
      throw ConfigError(fmt::format("bspm parameters: key {} missing", key));
    try {
      field = j.at(key).get<std::decay_t<decltype(field)>>();
    } catch (const nlohmann::json::exception&) {
      throw ConfigError(fmt::format("bspm parameters: key {} has the wrong type", key));
    }
  };
  get("k", p.k);
  get("idl_beta", p.idl_beta);
  get("T_b", p.blur_time);
  get("K_b", p.blur_steps);
  get("blur_solver", p.blur_solver);
  get("T_s", p.sharpen_time);
  get("K_s", p.sharpen_steps);
  get("sharpen_solver", p.sharpen_solver);
  get("final_sharpening", p.final_sharpening);
  get("t_point_combination", p.t_point_combination);
  get("svd_oversample", p.svd_oversample);
  get("svd_iterations", p.svd_iterations);
  get("tune", p.tune);
  get("tune_T_s", p.tune_sharpen_times);
  get("tune_idl_beta", p.tune_idl_betas);
  get("tune_users", p.tune_users);
  get("tune_holdout_fraction", p.tune_holdout_fraction);
  p.validate();
  return p;
}

nlohmann::json read_bspm_config(TomlTable& t, const nlohmann::json& base) {
  BspmParameters p = base.is_null() ? BspmParameters() : BspmParameters::from_json(base);
  auto get_int = [&](const char* key, auto& field) {
    if (auto v = t.get_integer(fmt::format("bspm.{}", key))) {
      if (*v < -(int64_t{1} << 31) || *v > (int64_t{1} << 31))
        throw ConfigError(fmt::format("config key bspm.{}: {} is out of range", key, *v));
      field = static_cast<std::decay_t<decltype(field)>>(*v);
    }
  };
  auto get_num = [&](const char* key, double& field) {
    if (auto v = t.get_number(fmt::format("bspm.{}", key))) field = *v;
  };
  auto get_bool = [&](const char* key, bool& field) {
    if (auto v = t.get_bool(fmt::format("bspm.{}", key))) field = *v;
  };
  auto get_string = [&](const char* key, std::string& field) {
    if (auto v = t.get_string(fmt::format("bspm.{}", key))) field = *v;
  };
  get_int("k", p.k);
  get_num("idl_beta", p.idl_beta);
  get_num("T_b", p.blur_time);
  get_int("K_b", p.blur_steps);
  get_string("blur_solver", p.blur_solver);
  get_num("T_s", p.sharpen_time);
  get_int("K_s", p.sharpen_steps);
  get_string("sharpen_solver", p.sharpen_solver);
  get_bool("final_sharpening", p.final_sharpening);
  get_bool("t_point_combination", p.t_point_combination);
  get_int("svd_oversample", p.svd_oversample);
  get_int("svd_iterations", p.svd_iterations);
  get_bool("tune", p.tune);
  if (auto v = t.get_number_array("bspm.tune_T_s")) p.tune_sharpen_times = *v;
  if (auto v = t.get_number_array("bspm.tune_idl_beta")) p.tune_idl_betas = *v;
  get_int("tune_users", p.tune_users);
  get_num("tune_holdout_fraction", p.tune_holdout_fraction);
  p.validate();
  return p.to_json();
}

}  // namespace recsys::model
