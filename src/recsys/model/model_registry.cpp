#include "recsys/model/model_registry.h"

namespace recsys::model {
namespace {

std::vector<ModelDefinition>& models() {
  static std::vector<ModelDefinition> all;
  return all;
}

std::vector<ScorerDefinition>& scorers() {
  static std::vector<ScorerDefinition> all;
  return all;
}

}  // namespace

const std::vector<ModelDefinition>& registered_models() { return models(); }
const std::vector<ScorerDefinition>& registered_scorers() { return scorers(); }

const ModelDefinition* find_registered_model(const std::string& name) {
  for (const auto& m : models())
    if (m.name == name) return &m;
  return nullptr;
}

const ScorerDefinition* find_registered_scorer(const std::string& scorer) {
  for (const auto& s : scorers())
    if (s.scorer == scorer) return &s;
  return nullptr;
}

ModelRegistration::ModelRegistration(ModelDefinition definition) {
  models().push_back(std::move(definition));
}

ScorerRegistration::ScorerRegistration(ScorerDefinition definition) {
  scorers().push_back(std::move(definition));
}

}  // namespace recsys::model
