#include "recsys/model/train_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "recsys/core/error.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/io/atomic_dir.h"
#include "recsys/model/model_files.h"
#include "recsys/model/model_manifest.h"
#include "recsys/model/model_registry.h"

namespace recsys::model {

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& def : registered_models()) names.push_back(def.name);
  std::sort(names.begin(), names.end());
  return names;
}

TrainSummary train_model(const TrainRequest& request) {
  TrainRequest r = request;
  if (r.model.empty()) r.model = r.config.model;
  const ModelDefinition* def = find_registered_model(r.model);
  if (!def) {
    std::string list;
    for (const auto& n : model_names()) list += (list.empty() ? "" : ", ") + n;
    if (r.model.empty())
      throw ConfigError(fmt::format(
          "--model: no model given (and no `model` key in the config); one of {}", list));
    throw ConfigError(fmt::format("--model: unknown model \"{}\" ({})", r.model, list));
  }
  if (r.distributed.distributed()) {
    if (!def->data_parallel) {
      std::string list;
      for (const auto& d : registered_models())
        if (d.data_parallel) list += (list.empty() ? "" : ", ") + d.name;
      throw ConfigError(fmt::format(
          "--world-size {}: model \"{}\" trains in one process only (data-parallel: {})",
          r.distributed.world_size, r.model, list));
    }
    if (r.resume)
      throw ConfigError(fmt::format(
          "--resume: not supported with --world-size {} (restart the ranks without it)",
          r.distributed.world_size));
  }
  r.config.validate();
  const auto start = std::chrono::steady_clock::now();
  const auto graph = graph::GraphArtifact::open(r.graph_dir);
  AtomicDir out(r.output_dir, r.force);
  const auto& dir = out.path();

  nlohmann::json m;
  m["format"] = "recsys-model";
  m["format_version"] = kModelFormatVersion;
  m["model"] = r.model;
  m["graph"] = {{"path", std::filesystem::absolute(r.graph_dir).lexically_normal().string()},
                {"manifest_checksum", graph_manifest_checksum(r.graph_dir)}};
  m["counts"] = {{"users", graph.n_users()},
                 {"places", graph.n_places()},
                 {"training_pairs", graph.interactions("train").csr.indices.size()}};
  nlohmann::json config = {{"seed", r.config.seed}};
  if (def->read_config) config[def->section] = r.config.section(def->section);
  nlohmann::json files = nlohmann::json::object();

  const auto checkpoint_dir = std::filesystem::path(r.output_dir.string() + ".checkpoint");
  TrainContext context{graph, r.graph_dir, r.config,       dir,     m,
                       config, files,      checkpoint_dir, r.resume, r.distributed};
  def->train(context);
  if (!r.distributed.writer())  // rank 0 writes the model; this rank's folder is discarded
    return {m, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  if (!m.contains("scorer"))
    throw InvalidArgument(fmt::format("model {} did not set its scorer", r.model));

  m["config"] = config;
  m["files"] = files;
  m["train_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_json_file(dir / "manifest.json", m);
  out.commit();
  std::error_code ignored;
  std::filesystem::remove_all(checkpoint_dir, ignored);
  return {m, m["train_seconds"].get<double>()};
}

}  // namespace recsys::model
