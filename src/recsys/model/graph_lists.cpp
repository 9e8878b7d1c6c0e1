#include "recsys/model/graph_lists.h"

#include <algorithm>

namespace recsys::model {

eval::UserItemLists user_lists(const graph::CsrView& csr) {
  return eval::UserItemLists(std::vector<int64_t>(csr.offsets.begin(), csr.offsets.end()),
                             std::vector<int32_t>(csr.indices.begin(), csr.indices.end()));
}

eval::UserItemLists merge_lists(const eval::UserItemLists& a, const eval::UserItemLists& b,
                                int64_t n_rows, bool add_self) {
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> items;
  std::vector<int32_t> row;
  for (int64_t r = 0; r < n_rows; ++r) {
    row.clear();
    for (int32_t i : a.items_of(r)) row.push_back(i);
    for (int32_t i : b.items_of(r)) row.push_back(i);
    if (add_self) row.push_back(static_cast<int32_t>(r));
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    items.insert(items.end(), row.begin(), row.end());
    offsets.push_back(static_cast<int64_t>(items.size()));
  }
  return eval::UserItemLists(std::move(offsets), std::move(items));
}

}  // namespace recsys::model
