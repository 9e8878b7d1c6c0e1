#pragma once
// Validation Recall@20 of user / place embeddings during training (dot-product scores, the
// evaluator of `recsys evaluate`, training places excluded). No LibTorch here.
#include <cstdint>
#include <span>
#include <vector>

#include "recsys/model/holdout_split.h"

namespace recsys::model::gnn {

// users: n_users x dim, items: n_items x dim, row-major. 0 when split.valid is empty.
// `only_users` (distinct ids, e.g. a validation sample): rank those users only (empty: all).
double validation_recall_at_20(const TrainValidSplit& split, std::span<const float> users,
                               int64_t n_users, std::span<const float> items, int64_t n_items,
                               int64_t dim, const std::vector<int32_t>& only_users = {});

}  // namespace recsys::model::gnn
