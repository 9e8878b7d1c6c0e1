#pragma once
// The interactions clients reported since the artifacts were built (POST /v1/events), kept in
// memory by raw user and place ids so that they survive a reload to new artifacts: they are
// excluded from the user's place recommendations at once, and they are the liked places of a
// user the model has no history for (cold start). Thread-safe.
#include <cstdint>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "recsys/data/event_log.h"

namespace recsys::serve {

class LiveEvents {
 public:
  void add(const std::vector<data::Event>& events);
  // Distinct places the user reported, in first-report order (empty when none).
  std::vector<int64_t> places_of(int64_t user_id) const;
  bool has_user(int64_t user_id) const;
  int64_t users() const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<int64_t, std::vector<int64_t>> places_;
};

}  // namespace recsys::serve
