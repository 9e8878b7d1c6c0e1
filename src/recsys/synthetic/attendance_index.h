#pragma once
// For every user, the distinct places they attended (sorted), built while the
// interactions stream past; the source of co-attendance counts.
#include <cstdint>
#include <vector>

#include "recsys/synthetic/interactions.h"

namespace recsys::synthetic {

class AttendanceIndex {
 public:
  explicit AttendanceIndex(size_t n_users) : places_(n_users) {}

  // Adds the attended rows of a batch (user ids index the table).
  void add(const InteractionRows& rows);
  // Sorts and de-duplicates every user's list; call once after the last add().
  void finalize();

  const std::vector<int32_t>& places(int32_t user) const {
    return places_[static_cast<size_t>(user)];
  }
  // Distinct places both users attended.
  int32_t co_attendance(int32_t a, int32_t b) const;
  size_t n_users() const { return places_.size(); }

 private:
  std::vector<std::vector<int32_t>> places_;
};

}  // namespace recsys::synthetic
