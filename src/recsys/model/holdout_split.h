#pragma once
// Where a trained model's validation pairs come from (early stopping): the graph's validation
// split when it has one kept out of training, else a per-user hold-out of training pairs.
// Shared by mf-bpr and the LibTorch models (model/gnn/).
#include <cstdint>
#include <string>

#include "recsys/eval/user_item_lists.h"
#include "recsys/graph/graph_artifact.h"

namespace recsys::model {

struct TrainValidSplit {
  eval::UserItemLists train, valid;
  std::string validation;  // how `valid` was made, for the manifest
};

// Holds out round(fraction * degree) of each user's items (users with >= 3 items, at least 1),
// drawn from the user's own Validation stream of `seed`; the rest stays in `train`.
TrainValidSplit hold_out(const eval::UserItemLists& lists, int64_t n_users, double fraction,
                         uint64_t seed);

// The graph's "valid" interactions when present and not also in training (valid_in_train),
// with all of "train" to train on; otherwise hold_out(train, fraction, seed).
TrainValidSplit validation_split(const graph::GraphArtifact& graph, double fraction,
                                 uint64_t seed);

}  // namespace recsys::model
