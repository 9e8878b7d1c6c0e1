#include "recsys/model/baseline_config.h"

#include <fmt/format.h>

#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"

namespace recsys::model {
namespace {

void require(bool ok, const char* key, const std::string& expected) {
  if (!ok) throw ConfigError(fmt::format("config key {}: must be {}", key, expected));
}

}  // namespace

void BaselineConfig::validate() const {
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

nlohmann::json BaselineConfig::to_json() const {
  const auto& m = mf_bpr;
  return {{"seed", seed},
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
}

BaselineConfig load_baseline_config(const std::filesystem::path& toml_file) {
  TomlTable t = TomlTable::parse_file(toml_file);
  BaselineConfig c;
  auto get_int = [&](const char* key, auto& field) {
    if (auto v = t.get_integer(key)) field = static_cast<std::decay_t<decltype(field)>>(*v);
  };
  auto get_num = [&](const char* key, double& field) {
    if (auto v = t.get_number(key)) field = *v;
  };
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
  t.reject_unknown_keys();
  try {
    c.validate();
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", t.source(), e.what()));
  }
  return c;
}

}  // namespace recsys::model
