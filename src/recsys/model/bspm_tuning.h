#pragma once
// Self-tuning of the BSPM filter (bspm.tune): the sharpening time T_s and the ideal low-pass
// weight idl_beta are picked from small grids by validation Recall@20. Validation pairs: the
// graph's validation split when it is kept out of training, else tune_holdout_fraction of each
// user's training places (holdout_split.h). The truncated SVD is computed once on the reduced
// training matrix; every grid point then filters up to tune_users validation users (evenly
// spaced by id). The caller trains the final model on all training pairs with the winner.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "recsys/graph/graph_artifact.h"
#include "recsys/model/bspm_config.h"

namespace recsys::model {

struct BspmTuningResult {
  BspmParameters best;                              // params with the winning T_s / idl_beta
  double best_recall = 0;                           // its validation Recall@20
  nlohmann::json grid = nlohmann::json::array();    // {T_s, idl_beta, valid_recall@20} per point
  std::string validation;                           // where the validation pairs came from
  int64_t users = 0;                                // validation users scored per point
};

// Ties keep the earlier grid point (T_s outer, idl_beta inner, in the order given). Throws
// InvalidArgument when no user has validation pairs.
BspmTuningResult tune_bspm(const graph::GraphArtifact& graph, const BspmParameters& params,
                           uint64_t seed);

}  // namespace recsys::model
