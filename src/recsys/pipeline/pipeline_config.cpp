#include "recsys/pipeline/pipeline_config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "recsys/core/error.h"
#include "recsys/model/train_model.h"

namespace recsys::pipeline {
namespace {

toml::table parse_toml(const std::string& text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}:{}: TOML syntax error: {}", source, e.source().begin.line,
                                  e.source().begin.column, e.description()));
  }
}

// Deep merge: tables merge key by key, anything else replaces.
void merge(toml::table& into, const toml::table& from) {
  for (const auto& [key, node] : from) {
    if (auto* sub = node.as_table()) {
      if (auto* existing = into.get_as<toml::table>(key)) {
        merge(*existing, *sub);
        continue;
      }
    }
    into.insert_or_assign(key, node);
  }
}

std::string to_toml_text(const toml::table& table) {
  std::ostringstream out;
  out << toml::toml_formatter{table};
  return out.str() + "\n";
}

struct Reader {
  toml::table& root;
  std::string source;

  const toml::node* node(const std::string& section, const std::string& key) {
    auto* s = root.get_as<toml::table>(section);
    return s ? s->get(key) : nullptr;
  }
  [[noreturn]] void type_error(const std::string& key, const char* expected) {
    throw ConfigError(fmt::format("{}: key '{}': expected {}", source, key, expected));
  }
  void read(const std::string& section, const std::string& key, std::string& field) {
    if (const auto* n = node(section, key)) {
      const auto v = n->value<std::string>();
      if (!v || !n->is_string()) type_error(section + "." + key, "a string");
      field = *v;
    }
  }
  void read(const std::string& section, const std::string& key, std::filesystem::path& field) {
    std::string text;
    if (node(section, key)) {
      read(section, key, text);
      field = text;
    }
  }
  void read(const std::string& section, const std::string& key, uint64_t& field) {
    if (const auto* n = node(section, key)) {
      const auto v = n->value<int64_t>();
      if (!v || !n->is_integer() || *v < 0) type_error(section + "." + key, "an integer >= 0");
      field = static_cast<uint64_t>(*v);
    }
  }
  void read(const std::string& section, const std::string& key, std::vector<std::string>& field) {
    if (const auto* n = node(section, key)) {
      const auto* a = n->as_array();
      if (!a) type_error(section + "." + key, "an array of strings");
      field.clear();
      for (const auto& e : *a) {
        if (!e.is_string()) type_error(section + "." + key, "an array of strings");
        field.push_back(*e.value<std::string>());
      }
    }
  }
  void read(const std::string& section, const std::string& key, std::vector<int>& field) {
    if (const auto* n = node(section, key)) {
      const auto* a = n->as_array();
      if (!a) type_error(section + "." + key, "an array of integers");
      field.clear();
      for (const auto& e : *a) {
        if (!e.is_integer()) type_error(section + "." + key, "an array of integers");
        field.push_back(static_cast<int>(*e.value<int64_t>()));
      }
    }
  }
};

// The keys each section knows; [generator] and [model] pass the others through.
const std::map<std::string, std::set<std::string>>& known_keys() {
  static const std::map<std::string, std::set<std::string>> keys = {
      {"data", {"source"}},
      {"generator", {"config"}},
      {"graph", {"split", "seed"}},
      {"model", {"name", "config", "real_name", "real_config"}},
      {"baselines", {"names", "config"}},
      {"evaluate", {"k"}},
      {"index", {"type"}},
      {"report", {"js_dir"}}};
  return keys;
}

void reject_unknown(const toml::table& root, const std::string& source) {
  for (const auto& [key, node] : root) {
    const std::string section(key.str());
    const auto it = known_keys().find(section);
    if (it == known_keys().end())
      throw ConfigError(
          fmt::format("{}: unknown key '{}' (sections: data, generator, graph, "
                      "model, baselines, evaluate, index, report)",
                      source, section));
    const auto* table = node.as_table();
    if (!table) throw ConfigError(fmt::format("{}: key '{}' must be a section", source, section));
    if (section == "generator" || section == "model") continue;
    for (const auto& [sub, _] : *table)
      if (!it->second.count(std::string(sub.str())))
        throw ConfigError(fmt::format("{}: unknown key '{}.{}'", source, section, sub.str()));
  }
}

std::string pass_through(const toml::table& root, const std::string& section) {
  const auto* table = root.get_as<toml::table>(section);
  if (!table) return "";
  toml::table rest;
  for (const auto& [key, node] : *table)
    if (!known_keys().at(section).count(std::string(key.str()))) rest.insert(key, node);
  return rest.empty() ? "" : to_toml_text(rest);
}

void require_file(const std::filesystem::path& path, const std::string& key) {
  if (!std::filesystem::is_regular_file(path))
    throw ConfigError(
        fmt::format("pipeline config: {} = \"{}\": no such file", key, path.string()));
}

bool is_registered(const std::string& name) {
  const auto names = model::model_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

void parse_data_source(const std::string& text, const std::string& what, DataSource& kind,
                       std::filesystem::path& dir) {
  auto folder = [&](size_t prefix) {
    dir = text.substr(prefix);
    if (dir.empty())
      throw ConfigError(fmt::format("{} = \"{}\": the folder after ':' is missing", what, text));
  };
  if (text == "synthetic") {
    kind = DataSource::Synthetic;
    dir.clear();
  } else if (text.rfind("cf:", 0) == 0) {
    kind = DataSource::Cf;
    folder(3);
  } else if (text.rfind("lbsn:", 0) == 0) {
    kind = DataSource::Lbsn;
    folder(5);
  } else {
    throw ConfigError(
        fmt::format("{} = \"{}\": expected synthetic, cf:DIR or lbsn:DIR", what, text));
  }
}

PipelineConfig load_pipeline_config(const std::filesystem::path& file,
                                    const std::vector<std::string>& settings) {
  toml::table root;
  std::string source = "pipeline config";
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw IoError(fmt::format("{}: cannot read the pipeline config", file.string()));
    std::stringstream text;
    text << in.rdbuf();
    root = parse_toml(text.str(), file.string());
    reject_unknown(root, file.string());
    source = file.string();
  }
  for (const auto& setting : settings) {
    if (setting.find('=') == std::string::npos)
      throw ConfigError("--set " + setting + ": expected section.key=value");
    const toml::table one = parse_toml(setting + "\n", "--set " + setting);
    reject_unknown(one, "--set " + setting);
    merge(root, one);
  }
  if (!settings.empty()) source += " and --set";

  PipelineConfig c;
  Reader r{root, source};
  r.read("data", "source", c.source);
  r.read("generator", "config", c.generator_config);
  r.read("graph", "split", c.split);
  r.read("graph", "seed", c.graph_seed);
  r.read("model", "name", c.model);
  r.read("model", "config", c.model_config);
  r.read("model", "real_name", c.real_model);
  r.read("model", "real_config", c.real_model_config);
  r.read("baselines", "names", c.baselines);
  r.read("baselines", "config", c.baselines_config);
  r.read("evaluate", "k", c.ks);
  r.read("index", "type", c.index_type);
  r.read("report", "js_dir", c.js_dir);
  c.generator_overrides = pass_through(root, "generator");
  c.model_overrides = pass_through(root, "model");
  parse_data_source(c.source, "data.source", c.source_kind, c.source_dir);
  return c;
}

synthetic::SyntheticConfig PipelineConfig::synthetic_config() const {
  synthetic::SyntheticConfig config;
  if (!generator_config.empty()) {
    require_file(generator_config, "generator.config");
    config.apply_toml_file(generator_config);
  }
  if (!generator_overrides.empty())
    config.apply_toml_string(generator_overrides, "pipeline config [generator]");
  config.validate();
  return config;
}

graph::GraphBuildConfig PipelineConfig::graph_config() const {
  graph::GraphBuildConfig config;
  config.split = graph::parse_split_mode(split);
  config.seed = graph_seed;
  config.validate();
  return config;
}

std::string PipelineConfig::main_model() const {
  return source_kind == DataSource::Synthetic ? model : real_model;
}

model::TrainConfig PipelineConfig::main_train_config() const {
  const bool synthetic = source_kind == DataSource::Synthetic;
  const auto& file = synthetic ? model_config : real_model_config;
  const std::string name = main_model();
  if (!is_registered(name))
    throw ConfigError(fmt::format("pipeline config: model.{} = \"{}\" is not a registered model",
                                  synthetic ? "name" : "real_name", name));
  model::TrainConfig config;
  if (!file.empty()) {
    require_file(file, synthetic ? "model.config" : "model.real_config");
    config = model::load_train_config(file);
  }
  if (!model_overrides.empty())
    config.apply_toml_string(model_overrides, "pipeline config [model]");
  config.model = name;
  config.validate();
  return config;
}

model::TrainConfig PipelineConfig::baseline_train_config() const {
  model::TrainConfig config;
  if (!baselines_config.empty()) {
    require_file(baselines_config, "baselines.config");
    config = model::load_train_config(baselines_config);
  }
  config.validate();
  return config;
}

std::vector<std::string> PipelineConfig::active_baselines() const {
  std::vector<std::string> out;
  for (const auto& name : baselines) {
    if (name == "oracle" && source_kind != DataSource::Synthetic) continue;
    if (name == "city-popularity" && source_kind == DataSource::Cf) continue;
    out.push_back(name);
  }
  return out;
}

void PipelineConfig::validate() const {
  DataSource kind;
  std::filesystem::path dir;
  parse_data_source(source, "data.source", kind, dir);
  if (kind != DataSource::Synthetic && !std::filesystem::is_directory(dir))
    throw ConfigError(
        fmt::format("data.source = \"{}\": {} is not a folder", source, dir.string()));
  if (kind == DataSource::Synthetic) synthetic_config();
  graph_config();
  main_train_config();
  baseline_train_config();
  std::set<std::string> seen;
  for (const auto& name : baselines) {
    if (!is_registered(name))
      throw ConfigError(
          fmt::format("pipeline config: baselines.names: \"{}\" is not a registered model", name));
    if (!seen.insert(name).second)
      throw ConfigError(fmt::format("pipeline config: baselines.names: \"{}\" twice", name));
  }
  if (ks.empty()) throw ConfigError("pipeline config: evaluate.k: give at least one cut-off");
  for (int k : ks)
    if (k < 1)
      throw ConfigError(
          fmt::format("pipeline config: evaluate.k: each cut-off must be >= 1, "
                      "got {}",
                      k));
  if (index_type != "auto" && index_type != "flat" && index_type != "hnsw" && index_type != "ivf")
    throw ConfigError(fmt::format(
        "pipeline config: index.type = \"{}\": expected auto, flat, hnsw or ivf", index_type));
  for (const char* file : {"vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js",
                           "vega-embed/build/vega-embed.min.js"})
    if (!std::filesystem::is_regular_file(js_dir / file))
      throw ConfigError(
          fmt::format("pipeline config: report.js_dir = \"{}\": {} is missing "
                      "(scripts/setup installs it)",
                      js_dir.string(), file));
}

nlohmann::json PipelineConfig::to_json() const {
  return {
      {"data", {{"source", source}}},
      {"generator", {{"config", generator_config.string()}, {"overrides", generator_overrides}}},
      {"graph", {{"split", split}, {"seed", graph_seed}}},
      {"model",
       {{"name", model},
        {"config", model_config.string()},
        {"real_name", real_model},
        {"real_config", real_model_config.string()},
        {"overrides", model_overrides}}},
      {"baselines", {{"names", baselines}, {"config", baselines_config.string()}}},
      {"evaluate", {{"k", ks}}},
      {"index", {{"type", index_type}}},
      {"report", {{"js_dir", js_dir.string()}}}};
}

}  // namespace recsys::pipeline
