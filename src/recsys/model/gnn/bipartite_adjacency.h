#pragma once
// The symmetric-normalised user-place adjacency of LightGCN (He et al. 2020, eq. 7):
//   A = D^-1/2 [[0, R], [R^T, 0]] D^-1/2,  A[u][n_users + i] = 1 / sqrt(|N_u| |N_i|)
// over n_users + n_items nodes (users first), from the training pairs R. Isolated nodes have
// empty rows. No LibTorch here.
#include <cstdint>

#include "recsys/eval/user_item_lists.h"
#include "recsys/model/sparse_matrix.h"

namespace recsys::model::gnn {

// train: places per user (rows sorted, distinct); rows past its end are empty users. Throws
// InvalidArgument when a place id is >= n_items or there are more rows than n_users.
model::SparseMatrix normalized_bipartite_adjacency(const eval::UserItemLists& train,
                                                   int64_t n_users, int64_t n_items);

}  // namespace recsys::model::gnn
