#include "recsys/model/gnn/bipartite_adjacency.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::model::gnn {

model::SparseMatrix normalized_bipartite_adjacency(const eval::UserItemLists& train,
                                                   int64_t n_users, int64_t n_items) {
  if (train.n_users() > n_users)
    throw InvalidArgument(fmt::format("adjacency: {} user rows for {} users", train.n_users(),
                                      n_users));
  if (train.n_entries() > 0 && train.max_item() >= n_items)
    throw InvalidArgument(fmt::format("adjacency: place id {} >= the number of places {}",
                                      train.max_item(), n_items));
  std::vector<int64_t> item_degree(static_cast<size_t>(n_items), 0);
  for (int32_t i : train.items()) ++item_degree[static_cast<size_t>(i)];
  auto user_degree = [&](int64_t u) {
    return u < train.n_users() ? static_cast<int64_t>(train.items_of(u).size()) : 0;
  };

  model::SparseMatrix a;
  a.rows = a.cols = n_users + n_items;
  const int64_t nnz = 2 * train.n_entries();
  a.offsets.assign(static_cast<size_t>(a.rows) + 1, 0);
  a.indices.resize(static_cast<size_t>(nnz));
  a.values.resize(static_cast<size_t>(nnz));
  for (int64_t u = 0; u < n_users; ++u) a.offsets[static_cast<size_t>(u) + 1] = user_degree(u);
  for (int64_t i = 0; i < n_items; ++i)
    a.offsets[static_cast<size_t>(n_users + i) + 1] = item_degree[static_cast<size_t>(i)];
  for (size_t r = 0; r < static_cast<size_t>(a.rows); ++r) a.offsets[r + 1] += a.offsets[r];

  std::vector<int64_t> next(a.offsets.begin() + n_users, a.offsets.end() - 1);  // item rows
  for (int64_t u = 0; u < train.n_users(); ++u) {
    const auto row = train.items_of(u);
    const double du = static_cast<double>(row.size());
    int64_t at = a.offsets[static_cast<size_t>(u)];
    for (int32_t i : row) {
      const auto value = static_cast<float>(
          1.0 / std::sqrt(du * static_cast<double>(item_degree[static_cast<size_t>(i)])));
      a.indices[static_cast<size_t>(at)] = static_cast<int32_t>(n_users + i);
      a.values[static_cast<size_t>(at++)] = value;
      // Users are visited in ascending order, so each item row comes out sorted.
      const auto pos = static_cast<size_t>(next[static_cast<size_t>(i)]++);
      a.indices[pos] = static_cast<int32_t>(u);
      a.values[pos] = value;
    }
  }
  return a;
}

}  // namespace recsys::model::gnn
