#pragma once
// A trained model, read back from its folder: anything that can produce a
// BlockScorer over (graph users, all graph places), and, when it can score
// users, one over (users, users) for friend recommendation. Which class reads
// a folder is chosen by the manifest's "scorer" entry, so a new model that
// writes user/place embeddings (scorer "embeddings") needs no new reader.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "recsys/eval/block_scorer.h"
#include "recsys/graph/graph_artifact.h"

namespace recsys::model {

class TrainedModel {
 public:
  // Reads model_dir/manifest.json, checks that `graph` is the graph it was trained on
  // (InvalidArgument "graph mismatch" otherwise) and loads the model's files. The graph must
  // outlive the model. Throws FormatError for an unknown scorer or a malformed file.
  static std::unique_ptr<TrainedModel> open(const std::filesystem::path& model_dir,
                                            const graph::GraphArtifact& graph);
  virtual ~TrainedModel() = default;

  // Scores of all places for graph users. Valid while the model lives.
  virtual const eval::BlockScorer& place_scorer() const = 0;
  // Scores of all users for graph users (friend recommendation and friend-label pairs);
  // nullptr when the model cannot score users.
  virtual const eval::BlockScorer* friend_scorer() const { return nullptr; }

  const std::string& name() const { return name_; }
  const nlohmann::json& manifest() const { return manifest_; }

 protected:
  std::string name_;
  nlohmann::json manifest_;
};

}  // namespace recsys::model
