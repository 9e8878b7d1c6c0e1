#pragma once
// Matrix factorisation trained with the BPR loss (Rendle et al. 2009):
//   x_uij = <e_u, e_i> - <e_u, e_j>,  loss = -log sigmoid(x_uij) + l2/2 (|e_u|^2 + |e_i|^2 +
//   |e_j|^2)
// for a training pair (u, i) drawn uniformly and a negative j drawn uniformly among the places
// u has not interacted with in training. Mini-batches of triples; the gradients of a batch are
// computed in parallel (OpenMP) from the embeddings as they were before the batch, summed in
// sample order, and applied with Adam (rows touched by the batch only). Every draw comes from a
// hash of (seed, epoch, sample), so the result is the same for any thread count.
// Early stopping on validation Recall@20 (the best epoch's embeddings are returned).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recsys/eval/user_item_lists.h"
#include "recsys/model/train_config.h"

namespace recsys::model {

struct MfBprResult {
  int64_t n_users = 0, n_items = 0, dim = 0;
  std::vector<float> user_embeddings;  // n_users x dim, row-major
  std::vector<float> item_embeddings;  // n_items x dim
  int best_epoch = 0;                  // 1-based; the epoch whose embeddings are returned
  double best_valid_recall = 0;
  int epochs_run = 0;
  std::string validation;  // "graph valid split" or "held out from training (...)"
  int64_t training_pairs = 0, validation_pairs = 0;
  nlohmann::json curve = nlohmann::json::array();  // per check: epoch, loss, valid recall@20
};

// train: training items per user (rows sorted, distinct); valid: validation items per user, or
// empty to hold out config.holdout_fraction of each user's training items (users with >= 3).
// Throws InvalidArgument on an item id >= n_items or no training pair.
MfBprResult train_mf_bpr(const eval::UserItemLists& train, const eval::UserItemLists& valid,
                         int64_t n_users, int64_t n_items, const MfBprConfig& config,
                         uint64_t seed);

}  // namespace recsys::model
