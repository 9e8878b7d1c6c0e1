#include "recsys/serve/live_events.h"

#include <algorithm>
#include <mutex>

namespace recsys::serve {

void LiveEvents::add(const std::vector<data::Event>& events) {
  std::unique_lock lock(mutex_);
  for (const data::Event& e : events) {
    auto& places = places_[e.user_id];
    if (std::find(places.begin(), places.end(), e.place_id) == places.end()) places.push_back(e.place_id);
  }
}

std::vector<int64_t> LiveEvents::places_of(int64_t user_id) const {
  std::shared_lock lock(mutex_);
  const auto it = places_.find(user_id);
  return it == places_.end() ? std::vector<int64_t>{} : it->second;
}

bool LiveEvents::has_user(int64_t user_id) const {
  std::shared_lock lock(mutex_);
  return places_.count(user_id) != 0;
}

int64_t LiveEvents::users() const {
  std::shared_lock lock(mutex_);
  return static_cast<int64_t>(places_.size());
}

}  // namespace recsys::serve
