#include "recsys/model/gnn/lightgcn_config.h"

#include <fmt/format.h>

#include "recsys/core/config_section.h"
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

nlohmann::json read_lightgcn_config(TomlTable& t, const nlohmann::json& base) {
  LightGcnConfig c = lightgcn_config_from_json(base);
  ConfigSection section(t, "lightgcn");
  section.read("dim", c.dim, 1, 4096);
  section.read("layers", c.layers, 0, 16);
  section.read("learning_rate", c.learning_rate, 1e-7, 10.0);
  section.read("reg", c.reg, 0.0, 1e3);
  section.read("batch_size", c.batch_size, 1, 1 << 24);
  if (auto v = t.get_string("lightgcn.init")) {
    if (*v != "xavier" && *v != "normal")
      throw ConfigError(fmt::format(
          "config key lightgcn.init = \"{}\": expected \"xavier\" or \"normal\"", *v));
    c.init = *v;
  }
  section.read("init_std", c.init_std, 1e-6, 10.0);
  section.read("max_epochs", c.max_epochs, 1, 100000);
  section.read("eval_every", c.eval_every, 1, 100000);
  section.read("patience", c.patience, 1, 100000);
  section.read("holdout_fraction", c.holdout_fraction, 0.01, 0.9);
  section.read("max_train_seconds", c.max_train_seconds, 0.0, 1e9);
  return lightgcn_config_to_json(c);
}

}  // namespace recsys::model::gnn
