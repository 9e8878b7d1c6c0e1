#include "recsys/graph/event_input.h"

#include <algorithm>

namespace recsys::graph {

namespace {

// Dense index of a raw id in an ascending id list, -1 when absent.
int32_t dense(const std::vector<int32_t>& ids, int64_t raw) {
  const auto it = std::lower_bound(ids.begin(), ids.end(), raw, [](int32_t a, int64_t b) { return a < b; });
  return it != ids.end() && *it == raw ? static_cast<int32_t>(it - ids.begin()) : -1;
}

}  // namespace

EventMerge append_events(InputTables& in, const std::vector<data::Event>& events) {
  EventMerge m;
  InteractionEvents& ev = in.events;
  const bool has_split = !ev.split.empty();
  for (const data::Event& e : events) {
    const int32_t u = dense(in.user_ids, e.user_id), p = dense(in.place_ids, e.place_id);
    if (u < 0) ++m.unknown_user;
    if (p < 0) ++m.unknown_place;
    if (u < 0 || p < 0) continue;
    uint8_t flags = 0;
    float rating = 1.0f;
    switch (e.type) {
      case data::EventType::kView: break;
      case data::EventType::kLike: flags = kLiked, rating += 1.0f; break;
      case data::EventType::kSave: flags = kSaved, rating += 0.75f; break;
      case data::EventType::kShare: flags = kShared, rating += 0.5f; break;
      case data::EventType::kAttend: flags = kAttended, rating += 1.5f; break;
    }
    ev.user.push_back(u);
    ev.place.push_back(p);
    ev.timestamp.push_back(e.timestamp_ms * 1000);
    ev.rating.push_back(rating);
    ev.flags.push_back(flags);
    if (has_split) ev.split.push_back(static_cast<int8_t>(EventSplit::Train));
    ++m.appended;
  }
  return m;
}

}  // namespace recsys::graph
