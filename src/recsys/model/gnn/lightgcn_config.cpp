#include "recsys/model/gnn/lightgcn_config.h"

#include <fmt/format.h>

#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"

namespace recsys::model::gnn {

nlohmann::json lightgcn_config_to_json(const LightGcnConfig& c) {
  return {{"dim", c.dim},
          {"layers", c.layers},
          {"learning_rate", c.learning_rate},
          {"reg", c.reg},
          {"batch_size", c.batch_size},
          {"init", c.init},
          {"init_std", c.init_std},
          {"max_epochs", c.max_epochs},
          {"eval_every", c.eval_every},
          {"patience", c.patience},
          {"holdout_fraction", c.holdout_fraction},
          {"max_train_seconds", c.max_train_seconds}};
}

LightGcnConfig lightgcn_config_from_json(const nlohmann::json& j) {
  LightGcnConfig c;
  if (j.is_null()) return c;
  c.dim = j.value("dim", c.dim);
  c.layers = j.value("layers", c.layers);
  c.learning_rate = j.value("learning_rate", c.learning_rate);
  c.reg = j.value("reg", c.reg);
  c.batch_size = j.value("batch_size", c.batch_size);
  c.init = j.value("init", c.init);
  c.init_std = j.value("init_std", c.init_std);
  c.max_epochs = j.value("max_epochs", c.max_epochs);
  c.eval_every = j.value("eval_every", c.eval_every);
  c.patience = j.value("patience", c.patience);
  c.holdout_fraction = j.value("holdout_fraction", c.holdout_fraction);
  c.max_train_seconds = j.value("max_train_seconds", c.max_train_seconds);
  return c;
}

namespace {

template <typename T>
void check_range(const char* key, T value, T lo, T hi) {
  if (value < lo || value > hi)
    throw ConfigError(fmt::format("config key lightgcn.{} = {} is out of range [{}, {}]", key,
                                  value, lo, hi));
}

}  // namespace

nlohmann::json read_lightgcn_config(TomlTable& t, const nlohmann::json& base) {
  LightGcnConfig c = lightgcn_config_from_json(base);
  auto get_int = [&](const char* key, int& field, int lo, int hi) {
    if (auto v = t.get_integer(std::string("lightgcn.") + key)) {
      check_range<int64_t>(key, *v, lo, hi);
      field = static_cast<int>(*v);
    }
  };
  auto get_num = [&](const char* key, double& field, double lo, double hi) {
    if (auto v = t.get_number(std::string("lightgcn.") + key)) {
      check_range<double>(key, *v, lo, hi);
      field = *v;
    }
  };
  get_int("dim", c.dim, 1, 4096);
  get_int("layers", c.layers, 0, 16);
  get_num("learning_rate", c.learning_rate, 1e-7, 10.0);
  get_num("reg", c.reg, 0.0, 1e3);
  get_int("batch_size", c.batch_size, 1, 1 << 24);
  if (auto v = t.get_string("lightgcn.init")) {
    if (*v != "xavier" && *v != "normal")
      throw ConfigError(fmt::format(
          "config key lightgcn.init = \"{}\": expected \"xavier\" or \"normal\"", *v));
    c.init = *v;
  }
  get_num("init_std", c.init_std, 1e-6, 10.0);
  get_int("max_epochs", c.max_epochs, 1, 100000);
  get_int("eval_every", c.eval_every, 1, 100000);
  get_int("patience", c.patience, 1, 100000);
  get_num("holdout_fraction", c.holdout_fraction, 0.01, 0.9);
  get_num("max_train_seconds", c.max_train_seconds, 0.0, 1e9);
  return lightgcn_config_to_json(c);
}

}  // namespace recsys::model::gnn
