#include "recsys/recommend/id_map.h"

#include <fmt/format.h>

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::recommend {

IdMap::IdMap(std::string kind, std::span<const int32_t> raw_ids)
    : kind_(std::move(kind)), ids_(raw_ids.begin(), raw_ids.end()) {
  for (size_t i = 1; i < ids_.size(); ++i)
    if (ids_[i - 1] >= ids_[i])
      throw InvalidArgument(fmt::format("{}.ids: raw ids not ascending at node {} ({} after {})",
                                        kind_, i, ids_[i], ids_[i - 1]));
}

int32_t IdMap::find(int64_t raw_id) const {
  const auto it = std::lower_bound(ids_.begin(), ids_.end(), raw_id);
  if (it == ids_.end() || *it != raw_id) return -1;
  return static_cast<int32_t>(it - ids_.begin());
}

int32_t IdMap::row(int64_t raw_id) const {
  const int32_t r = find(raw_id);
  if (r < 0) throw NotFound(fmt::format("unknown {} id {}", kind_, raw_id));
  return r;
}

}  // namespace recsys::recommend
