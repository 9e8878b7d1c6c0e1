#include "recsys/model/common_neighbours_scorer.h"

#include <fmt/format.h>

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::model {

CommonNeighboursScorer::CommonNeighboursScorer(const eval::UserItemLists& friends, int64_t n_users)
    : friends_(friends), n_users_(n_users) {
  if (friends.max_item() >= n_users)
    throw InvalidArgument(fmt::format("common neighbours: friend {} out of range ({} users)",
                                      friends.max_item(), n_users));
}

void CommonNeighboursScorer::score(const int32_t* users, int64_t n, float* out) const {
  std::fill(out, out + n * n_users_, 0.0f);
  for (int64_t r = 0; r < n; ++r) {
    if (users[r] < 0 || users[r] >= n_users_)
      throw InvalidArgument(fmt::format("common neighbours: bad user {}", users[r]));
    float* row = out + r * n_users_;
    for (int32_t w : friends_.items_of(users[r]))
      for (int32_t v : friends_.items_of(w)) row[v] += 1.0f;
  }
}

}  // namespace recsys::model
