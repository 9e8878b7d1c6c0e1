#pragma once
// The oracle: all places ranked for a user by the true preference score of the
// generating model — the ceiling for recommendation quality.
//
// OracleRanker gives exactly what scoring every place would give (same float
// scores, ties broken by place id), but skips places that provably cannot enter
// the top: the home city is scored in full; other cities' places (location
// factor 0) are grouped by their category set and visited in decreasing
// popularity, and a group stops as soon as the bound
//   w_interest * |user interests restricted to the group's categories|
//   + w_category * category alignment + w_popularity * popularity
// falls below the current top_n-th score (Cauchy-Schwarz: a unit tag vector
// on those categories cannot have a larger cosine).
#include <cstdint>
#include <vector>

#include "recsys/synthetic/preference_model.h"

namespace recsys::synthetic {

struct RankedPlace {
  int32_t place_id;
  float true_score;
};

class OracleRanker {
 public:
  explicit OracleRanker(const PreferenceModel& model);
  // For users [row_begin, row_end): the top `top_n` places of all places, best
  // first (OpenMP over users).
  std::vector<std::vector<RankedPlace>> top_places(size_t row_begin, size_t row_end,
                                                   size_t top_n) const;
  std::vector<RankedPlace> top_places(size_t user_row, size_t top_n) const;

 private:
  struct Group {                    // places of one city sharing one category set
    int32_t category[2];            // second = -1 for single-category places
    std::vector<uint32_t> index;    // positions in city_place_rows(city), by popularity descending
    std::vector<float> popularity;  // their popularity factors (descending)
  };
  const PreferenceModel& model_;
  std::vector<std::vector<Group>> groups_;  // per city
};

// Exact reference for one user: scores every place with PreferenceModel.
std::vector<RankedPlace> oracle_top_places(const PreferenceModel& model, size_t user_row,
                                           size_t top_n);

}  // namespace recsys::synthetic
