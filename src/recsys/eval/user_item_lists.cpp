#include "recsys/eval/user_item_lists.h"

#include <algorithm>
#include <string>

#include "recsys/core/error.h"

namespace recsys::eval {

UserItemLists::UserItemLists(std::vector<int64_t> offsets, std::vector<int32_t> items)
    : offsets_(std::move(offsets)), items_(std::move(items)) {
  if (offsets_.empty() || offsets_.front() != 0) {
    throw InvalidArgument("UserItemLists: offsets must start with 0");
  }
  for (size_t u = 1; u < offsets_.size(); ++u) {
    if (offsets_[u] < offsets_[u - 1]) {
      throw InvalidArgument("UserItemLists: offsets decrease at user " + std::to_string(u - 1));
    }
  }
  if (offsets_.back() != static_cast<int64_t>(items_.size())) {
    throw InvalidArgument("UserItemLists: last offset " + std::to_string(offsets_.back()) +
                          " != number of items " + std::to_string(items_.size()));
  }
  for (size_t u = 0; u + 1 < offsets_.size(); ++u) {
    for (int64_t e = offsets_[u]; e < offsets_[u + 1]; ++e) {
      if (items_[e] < 0) {
        throw InvalidArgument("UserItemLists: negative item " + std::to_string(items_[e]) +
                              " in the list of user " + std::to_string(u));
      }
    }
  }
}

UserItemLists UserItemLists::from_lists(const std::vector<std::vector<int32_t>>& lists) {
  std::vector<int64_t> offsets{0};
  offsets.reserve(lists.size() + 1);
  std::vector<int32_t> items;
  for (const auto& list : lists) {
    items.insert(items.end(), list.begin(), list.end());
    offsets.push_back(static_cast<int64_t>(items.size()));
  }
  return UserItemLists(std::move(offsets), std::move(items));
}

std::span<const int32_t> UserItemLists::items_of(int64_t user) const {
  if (user < 0 || user >= n_users()) return {};
  return std::span<const int32_t>(items_.data() + offsets_[user],
                                  static_cast<size_t>(offsets_[user + 1] - offsets_[user]));
}

int32_t UserItemLists::max_item() const {
  if (items_.empty()) return -1;
  return *std::max_element(items_.begin(), items_.end());
}

}  // namespace recsys::eval
