#include "recsys/synthetic/attendance_index.h"

#include <algorithm>

namespace recsys::synthetic {

void AttendanceIndex::add(const InteractionRows& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows.attended[i]) places_[static_cast<size_t>(rows.user_id[i])].push_back(rows.place_id[i]);
  }
}

void AttendanceIndex::finalize() {
  for (auto& list : places_) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    list.shrink_to_fit();
  }
}

int32_t AttendanceIndex::co_attendance(int32_t a, int32_t b) const {
  const auto& x = places_[static_cast<size_t>(a)];
  const auto& y = places_[static_cast<size_t>(b)];
  int32_t count = 0;
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      ++count;
      ++i;
      ++j;
    }
  }
  return count;
}

}  // namespace recsys::synthetic
