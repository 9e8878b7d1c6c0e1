#pragma once
// The idempotency keys of the recent POST /v1/events requests (the Idempotency-Key header): a
// request whose key was already accepted is acknowledged again without being applied twice. This
// makes a client's retry safe, and lets the proxy in front of replicas copy every event to every
// replica (scripts/serve-replicas) although one replica also receives it as the primary request.
// Bounded: the oldest keys are forgotten first. Thread-safe.
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace recsys::serve {

class RequestKeys {
 public:
  explicit RequestKeys(size_t capacity = 1 << 20) : capacity_(capacity) {}
  // Records the key; false when it is already recorded (the request is a repeat).
  bool insert(const std::string& key);
  // Forgets a key (its request failed, so a retry must be applied).
  void erase(const std::string& key);
  size_t size() const;

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> keys_;
  std::deque<std::string> order_;  // insertion order, for forgetting the oldest
};

// InvalidArgument unless the key is 1..200 visible ASCII characters.
void check_request_key(std::string_view key);

}  // namespace recsys::serve
