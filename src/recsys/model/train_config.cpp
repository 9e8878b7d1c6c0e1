#include "recsys/model/train_config.h"

#include <fmt/format.h>

#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"
#include "recsys/model/model_registry.h"

namespace recsys::model {
namespace {

void require(bool ok, const char* key, const std::string& expected) {
  if (!ok) throw ConfigError(fmt::format("config key {}: must be {}", key, expected));
}

}  // namespace

void TrainConfig::validate() const {
  require(itemknn.neighbours >= 1, "itemknn.neighbours", ">= 1");
  const auto& m = mf_bpr;
  require(m.dim >= 1 && m.dim <= 4096, "mf_bpr.dim", "in [1, 4096]");
  require(m.max_epochs >= 1, "mf_bpr.max_epochs", ">= 1");
  require(m.learning_rate > 0, "mf_bpr.learning_rate", "> 0");
  require(m.l2 >= 0, "mf_bpr.l2", ">= 0");
  require(m.batch_size >= 1, "mf_bpr.batch_size", ">= 1");
  require(m.init_std > 0, "mf_bpr.init_std", "> 0");
  require(m.eval_every >= 1, "mf_bpr.eval_every", ">= 1");
  require(m.patience >= 1, "mf_bpr.patience", ">= 1");
  require(m.holdout_fraction > 0 && m.holdout_fraction < 1, "mf_bpr.holdout_fraction", "in (0, 1)");
}

nlohmann::json TrainConfig::to_json() const {
  const auto& m = mf_bpr;
  nlohmann::json j = {{"seed", seed},
          {"itemknn", {{"neighbours", itemknn.neighbours}}},
          {"mf_bpr",
           {{"dim", m.dim},
            {"max_epochs", m.max_epochs},
            {"learning_rate", m.learning_rate},
            {"l2", m.l2},
            {"batch_size", m.batch_size},
            {"init_std", m.init_std},
            {"eval_every", m.eval_every},
            {"patience", m.patience},
            {"holdout_fraction", m.holdout_fraction}}}};
  if (!model.empty()) j["model"] = model;
  for (const auto& [name, values] : sections) j[name] = values;
  return j;
}

namespace {

void apply_table(TrainConfig& c, TomlTable& t) {
  auto get_int = [&](const char* key, auto& field) {
    if (auto v = t.get_integer(key)) field = static_cast<std::decay_t<decltype(field)>>(*v);
  };
  auto get_num = [&](const char* key, double& field) {
    if (auto v = t.get_number(key)) field = *v;
  };
  if (auto v = t.get_string("model")) c.model = *v;
  if (auto v = t.get_integer("seed")) {
    if (*v < 0) throw ConfigError(fmt::format("{}: config key seed must be >= 0", t.source()));
    c.seed = static_cast<uint64_t>(*v);
  }
  get_int("itemknn.neighbours", c.itemknn.neighbours);
  auto& m = c.mf_bpr;
  get_int("mf_bpr.dim", m.dim);
  get_int("mf_bpr.max_epochs", m.max_epochs);
  get_num("mf_bpr.learning_rate", m.learning_rate);
  get_num("mf_bpr.l2", m.l2);
  get_int("mf_bpr.batch_size", m.batch_size);
  get_num("mf_bpr.init_std", m.init_std);
  get_int("mf_bpr.eval_every", m.eval_every);
  get_int("mf_bpr.patience", m.patience);
  get_num("mf_bpr.holdout_fraction", m.holdout_fraction);
  for (const auto& def : registered_models()) {
    if (!def.read_config || !t.contains_section(def.section)) continue;
    auto it = c.sections.find(def.section);
    const nlohmann::json base = it == c.sections.end() ? nlohmann::json() : it->second;
    try {
      c.sections[def.section] = def.read_config(t, base);
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("{}: {}", t.source(), e.what()));
    }
  }
  t.reject_unknown_keys();
  try {
    c.validate();
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", t.source(), e.what()));
  }
}

}  // namespace

void TrainConfig::apply_toml_file(const std::filesystem::path& toml_file) {
  TomlTable t = TomlTable::parse_file(toml_file);
  apply_table(*this, t);
}

void TrainConfig::apply_toml_string(const std::string& text, const std::string& source_name) {
  TomlTable t = TomlTable::parse_string(text, source_name);
  apply_table(*this, t);
}

nlohmann::json TrainConfig::section(const std::string& name) const {
  if (auto it = sections.find(name); it != sections.end()) return it->second;
  for (const auto& def : registered_models()) {
    if (def.section != name || !def.read_config) continue;
    TomlTable empty = TomlTable::parse_string("", "defaults");
    return def.read_config(empty, nlohmann::json());
  }
  throw ConfigError(fmt::format("no registered model reads the config section [{}]", name));
}

TrainConfig load_train_config(const std::filesystem::path& toml_file) {
  TrainConfig c;
  c.apply_toml_file(toml_file);
  return c;
}

}  // namespace recsys::model
