#include "recsys/data/split_pair_index.h"

#include <fmt/format.h>

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::data {

namespace {
// Split-file order: file index, then line.
bool earlier(const SplitPairIndex::Entry& a, const SplitPairIndex::Entry& b) {
  return a.split != b.split ? a.split < b.split : a.line < b.line;
}
}  // namespace

void SplitPairIndex::add(int32_t user, int32_t place, uint8_t split, int64_t line) {
  users_.push_back(user);
  entries_.push_back({place, split, line, 0});
}

void SplitPairIndex::build(const std::vector<std::filesystem::path>& split_files) {
  int32_t max_user = -1;
  for (int32_t u : users_) max_user = std::max(max_user, u);
  offsets_.assign(static_cast<size_t>(max_user) + 2, 0);
  for (int32_t u : users_) ++offsets_[static_cast<size_t>(u) + 1];
  for (size_t u = 1; u < offsets_.size(); ++u) offsets_[u] += offsets_[u - 1];
  std::vector<Entry> grouped(entries_.size());
  std::vector<int64_t> next(offsets_.begin(), offsets_.end() - 1);
  for (size_t i = 0; i < entries_.size(); ++i)
    grouped[static_cast<size_t>(next[static_cast<size_t>(users_[i])]++)] = entries_[i];
  entries_ = std::move(grouped);
  users_.clear();
  users_.shrink_to_fit();

  const Entry* repeat = nullptr;
  const Entry* original = nullptr;
  int32_t repeat_user = 0;
  for (size_t u = 0; u + 1 < offsets_.size(); ++u) {
    const auto b = entries_.begin() + offsets_[u], e = entries_.begin() + offsets_[u + 1];
    std::sort(b, e, [](const Entry& x, const Entry& y) {
      return x.place != y.place ? x.place < y.place : earlier(x, y);
    });
    for (auto it = b; it + 1 < e;) {
      auto run_end = it + 1;
      while (run_end != e && run_end->place == it->place) ++run_end;
      // it = the pair's first listing; it + 1 its first repeat (runs are in file order).
      if (run_end - it > 1 && (!repeat || earlier(*(it + 1), *repeat))) {
        repeat = &*(it + 1);
        original = &*it;
        repeat_user = static_cast<int32_t>(u);
      }
      it = run_end;
    }
  }
  if (repeat)
    throw FormatError(fmt::format("{}:{}: user {} and place {} are already paired in {}:{}",
                                  split_files[repeat->split].string(), repeat->line, repeat_user,
                                  repeat->place, split_files[original->split].filename().string(),
                                  original->line));
}

SplitPairIndex::Entry* SplitPairIndex::find(int32_t user, int32_t place) {
  if (user < 0 || static_cast<size_t>(user) + 1 >= offsets_.size()) return nullptr;
  const auto b = entries_.begin() + offsets_[static_cast<size_t>(user)];
  const auto e = entries_.begin() + offsets_[static_cast<size_t>(user) + 1];
  const auto it =
      std::lower_bound(b, e, place, [](const Entry& x, int32_t p) { return x.place < p; });
  return (it != e && it->place == place) ? &*it : nullptr;
}

std::pair<int32_t, const SplitPairIndex::Entry*> SplitPairIndex::first_without_checkins() const {
  std::pair<int32_t, const Entry*> best{0, nullptr};
  for (size_t u = 0; u + 1 < offsets_.size(); ++u)
    for (int64_t k = offsets_[u]; k < offsets_[u + 1]; ++k) {
      const Entry& x = entries_[static_cast<size_t>(k)];
      if (x.checkins == 0 && (!best.second || earlier(x, *best.second)))
        best = {static_cast<int32_t>(u), &x};
    }
  return best;
}

}  // namespace recsys::data
