#include "recsys/model/item_knn.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "recsys/core/error.h"

namespace recsys::model {

ItemNeighbours compute_item_neighbours(const eval::UserItemLists& user_items, int64_t n_items,
                                       int k) {
  if (k < 1) throw InvalidArgument(fmt::format("item-kNN: neighbours must be >= 1, got {}", k));
  if (user_items.max_item() >= n_items)
    throw InvalidArgument(
        fmt::format("item-kNN: item {} out of range (n_items {})", user_items.max_item(), n_items));
  // The transpose: users of each item.
  std::vector<int64_t> item_offsets(static_cast<size_t>(n_items) + 1, 0);
  for (int32_t i : user_items.items()) ++item_offsets[static_cast<size_t>(i) + 1];
  for (int64_t i = 0; i < n_items; ++i)
    item_offsets[static_cast<size_t>(i) + 1] += item_offsets[static_cast<size_t>(i)];
  std::vector<int32_t> item_users(user_items.items().size());
  {
    std::vector<int64_t> next(item_offsets.begin(), item_offsets.end() - 1);
    for (int64_t u = 0; u < user_items.n_users(); ++u)
      for (int32_t i : user_items.items_of(u))
        item_users[static_cast<size_t>(next[static_cast<size_t>(i)]++)] = static_cast<int32_t>(u);
  }
  auto degree = [&](int64_t i) {
    return static_cast<double>(item_offsets[static_cast<size_t>(i) + 1] -
                               item_offsets[static_cast<size_t>(i)]);
  };
  std::vector<std::vector<std::pair<float, int32_t>>> lists(static_cast<size_t>(n_items));
#pragma omp parallel
  {
    std::vector<int32_t> counts(static_cast<size_t>(n_items), 0);
    std::vector<int32_t> touched;
    std::vector<std::pair<float, int32_t>> candidates;
#pragma omp for schedule(dynamic, 64)
    for (int64_t i = 0; i < n_items; ++i) {
      touched.clear();
      for (int64_t e = item_offsets[static_cast<size_t>(i)];
           e < item_offsets[static_cast<size_t>(i) + 1]; ++e) {
        for (int32_t j : user_items.items_of(item_users[static_cast<size_t>(e)])) {
          if (j == i) continue;
          if (counts[static_cast<size_t>(j)]++ == 0) touched.push_back(j);
        }
      }
      candidates.clear();
      const double di = degree(i);
      for (int32_t j : touched) {
        const double c = counts[static_cast<size_t>(j)];
        candidates.emplace_back(static_cast<float>(c / std::sqrt(di * degree(j))), j);
        counts[static_cast<size_t>(j)] = 0;
      }
      auto better = [](const auto& a, const auto& b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
      };
      const size_t keep = std::min(candidates.size(), static_cast<size_t>(k));
      std::partial_sort(candidates.begin(), candidates.begin() + static_cast<ptrdiff_t>(keep),
                        candidates.end(), better);
      candidates.resize(keep);
      lists[static_cast<size_t>(i)] = candidates;
    }
  }
  ItemNeighbours out;
  for (const auto& list : lists) {
    for (const auto& [s, j] : list) {
      out.items.push_back(j);
      out.similarities.push_back(s);
    }
    out.offsets.push_back(static_cast<int64_t>(out.items.size()));
  }
  return out;
}

ItemKnnScorer::ItemKnnScorer(const ItemNeighbours& neighbours,
                             const eval::UserItemLists& user_items)
    : neighbours_(neighbours), user_items_(user_items) {
  if (user_items.max_item() >= neighbours.n_items())
    throw InvalidArgument(
        fmt::format("item-kNN scorer: training item {} but the model has {} items",
                    user_items.max_item(), neighbours.n_items()));
}

void ItemKnnScorer::score(const int32_t* users, int64_t n, float* out) const {
  const int64_t n_items = neighbours_.n_items();
  std::fill(out, out + n * n_items, 0.0f);
  for (int64_t r = 0; r < n; ++r) {
    if (users[r] < 0) throw InvalidArgument(fmt::format("item-kNN scorer: bad user {}", users[r]));
    float* row = out + r * n_items;
    for (int32_t i : user_items_.items_of(users[r])) {
      for (int64_t e = neighbours_.offsets[static_cast<size_t>(i)];
           e < neighbours_.offsets[static_cast<size_t>(i) + 1]; ++e)
        row[neighbours_.items[static_cast<size_t>(e)]] +=
            neighbours_.similarities[static_cast<size_t>(e)];
    }
  }
}

}  // namespace recsys::model
