#include "recsys/model/trained_model.h"

#include <fmt/format.h>

#include "recsys/core/error.h"
#include "recsys/model/model_manifest.h"
#include "recsys/model/model_registry.h"

namespace recsys::model {

std::unique_ptr<TrainedModel> TrainedModel::open(const std::filesystem::path& model_dir,
                                                 const graph::GraphArtifact& graph) {
  nlohmann::json m = read_model_manifest(model_dir);
  check_model_graph(m, model_dir, graph);
  const std::string scorer = m["scorer"].get<std::string>();
  const auto* def = find_registered_scorer(scorer);
  if (!def) {
    std::string known;
    for (const auto& s : registered_scorers()) known += (known.empty() ? "" : ", ") + s.scorer;
    throw FormatError(fmt::format("{}: unknown scorer \"{}\" (this build knows {})",
                                  (model_dir / "manifest.json").string(), scorer, known));
  }
  std::unique_ptr<TrainedModel> model = def->open(model_dir, m, graph);
  model->name_ = m["model"].get<std::string>();
  model->manifest_ = std::move(m);
  return model;
}

}  // namespace recsys::model
