#pragma once
// Popularity answers for a user the model knows nothing about: places ranked by training degree
// (number of distinct training users, place_user.train), within the home city when one is given,
// places in one of the interest categories first.
#include <cstdint>
#include <span>
#include <vector>

#include "recsys/graph/graph_artifact.h"
#include "recsys/index/vector_index.h"
#include "recsys/recommend/place_catalogue.h"

namespace recsys::recommend {

class PlacePopularity {
 public:
  explicit PlacePopularity(const graph::GraphArtifact& graph);

  int64_t degree(int32_t place) const { return degree_[static_cast<size_t>(place)]; }
  // The top k places with allowed[p] != 0 (nullptr: all), in `city` (-1: any), those with one
  // of `interests` (category ids) first, then by degree (ties: lower row). Score = degree.
  std::vector<index::Hit> top(const PlaceCatalogue& catalogue, int k, int32_t city,
                              std::span<const int32_t> interests, const uint8_t* allowed) const;

 private:
  std::vector<int64_t> degree_;
  std::vector<int32_t> by_degree_;  // rows, most popular first
};

}  // namespace recsys::recommend
