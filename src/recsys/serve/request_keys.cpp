#include "recsys/serve/request_keys.h"

#include <fmt/format.h>

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::serve {

bool RequestKeys::insert(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (!keys_.insert(key).second) return false;
  order_.push_back(key);
  while (order_.size() > capacity_) {
    keys_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

void RequestKeys::erase(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (keys_.erase(key) == 0) return;
  // A failed request's key is the newest but one at most; search from the back.
  const auto it = std::find(order_.rbegin(), order_.rend(), key);
  if (it != order_.rend()) order_.erase(std::next(it).base());
}

size_t RequestKeys::size() const {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

void check_request_key(std::string_view key) {
  const bool visible = std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  if (key.empty() || key.size() > 200 || !visible)
    throw InvalidArgument("header Idempotency-Key: must be 1 to 200 visible ASCII characters");
}

}  // namespace recsys::serve
