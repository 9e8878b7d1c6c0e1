#pragma once
// Per-user item lists in compressed-sparse-row form: the items of user u are
// items()[offsets()[u] .. offsets()[u + 1]). The evaluator uses it for the
// items to exclude from a user's ranking (training items, known friends) and
// for the relevant (held-out test) items.
#include <cstdint>
#include <span>
#include <vector>

namespace recsys::eval {

class UserItemLists {
 public:
  // No users.
  UserItemLists() : offsets_{0} {}

  // Throws InvalidArgument unless offsets starts at 0, never decreases, ends at items.size(),
  // and every item is >= 0.
  UserItemLists(std::vector<int64_t> offsets, std::vector<int32_t> items);

  // One list per user, user = position in `lists`.
  static UserItemLists from_lists(const std::vector<std::vector<int32_t>>& lists);

  // Rows are users 0 .. n_users() - 1; a user past the end has an empty list.
  int64_t n_users() const { return static_cast<int64_t>(offsets_.size()) - 1; }
  int64_t n_entries() const { return static_cast<int64_t>(items_.size()); }
  std::span<const int32_t> items_of(int64_t user) const;

  // Largest item id in any list, -1 when there is none.
  int32_t max_item() const;

  const std::vector<int64_t>& offsets() const { return offsets_; }
  const std::vector<int32_t>& items() const { return items_; }

 private:
  std::vector<int64_t> offsets_;
  std::vector<int32_t> items_;
};

}  // namespace recsys::eval
