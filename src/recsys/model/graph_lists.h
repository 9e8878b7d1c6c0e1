#pragma once
// Graph relations as the evaluator's per-user lists (copies of the CSR arrays).
#include "recsys/eval/user_item_lists.h"
#include "recsys/graph/graph_artifact.h"

namespace recsys::model {

eval::UserItemLists user_lists(const graph::CsrView& csr);

// Row-wise union of a and b plus, when add_self, the row's own index (friend exclusions: known
// friends and the user itself). Rows sorted and distinct.
eval::UserItemLists merge_lists(const eval::UserItemLists& a, const eval::UserItemLists& b,
                                int64_t n_rows, bool add_self);

}  // namespace recsys::model
