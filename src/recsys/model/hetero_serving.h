#pragma once
// Serving side of the `hetero` model in plain C++ (no LibTorch): reads the weights and input
// statistics the model lists as serving files (copied into the embeddings folder by `recsys
// export`) and computes, for a user who was not in training, the embedding the network would give
// it from a profile (inductive cold start), and the attendance head's probability for a user pair.
// Must agree with the LibTorch network (src/recsys/model/gnn/hetero_network.h) to float tolerance.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "recsys/graph/graph_artifact.h"

namespace recsys::model {

// A new user as a client describes it. Ids are graph node indices for places / users and the
// graph's raw ids for city / neighborhood / category (-1 or empty: unknown).
struct NewUserProfile {
  int32_t home_city = -1;
  int32_t home_neighborhood = -1;
  std::vector<int32_t> neighborhoods;        // frequent neighborhoods (raw ids)
  std::vector<int32_t> interest_categories;  // categories the user picked (raw ids)
  std::vector<int32_t> places;               // place node indices the user liked / visited
  std::vector<int32_t> friends;              // user node indices
};

// Files read: hetero_inputs.json (shape, feature transform) and hetero_params.{json,bin}
// (src/recsys/model/hetero_params.h); hetero_weights.pt is not needed. Keeps its own copies of
// what it needs from the graph (the graph may be closed afterwards). The const methods do not
// modify anything and may be called from several threads at once.
class HeteroServing {
 public:
  ~HeteroServing();
  // True when `dir` (an embeddings folder or a model folder) holds hetero serving files.
  static bool available(const std::filesystem::path& dir);
  // Reads them; `graph` is the graph the model was trained on (node features, relations).
  // FormatError naming the file when they are missing or inconsistent with the graph.
  static std::unique_ptr<HeteroServing> open(const std::filesystem::path& dir,
                                             const graph::GraphArtifact& graph);

  int dim() const;  // length of a user embedding (place part + social part)
  // The embedding of a new user (dim() floats), as the network computes it for a cold-start user.
  // The raw feature row is derived from the profile (docs/decisions.md, "Cold start with
  // hetero"). InvalidArgument naming the field for an id out of range.
  std::vector<float> embed_user(const NewUserProfile& profile) const;
  // The embedding of graph user `user` (node index) from its own feature row in the graph and
  // the places, friends, neighborhoods, home city and home neighborhood of `neighbours`, taken as
  // they are (-1: unknown; no defaults derived): e.g. graph_profile(user) plus a new friend.
  std::vector<float> embed_user(int32_t user, const NewUserProfile& neighbours) const;
  // What the graph holds for a user: training places (user_place.train), training friends
  // (user_user.train), frequent neighborhoods, home city and home neighborhood.
  NewUserProfile graph_profile(int32_t user) const;
  // The profile as embed_user(profile) reads it: ids checked, duplicates dropped, home
  // neighborhood defaulting to the first neighborhood, neighborhoods to {home}, city to the home
  // neighborhood's city.
  NewUserProfile complete(const NewUserProfile& profile) const;
  // The network's dense input for a new user (its feature row transformed as in training, then
  // the mean input of its places): input_cols() floats. For tests and diagnostics.
  std::vector<float> input_row(const NewUserProfile& profile) const;
  int input_cols() const;
  // Probability that the two users (embeddings of dim() floats) go out together.
  float attendance_probability(const float* user_a, const float* user_b) const;

 private:
  HeteroServing();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recsys::model
