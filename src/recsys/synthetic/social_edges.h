#pragma once
// Social edges: for every user, the top-K most similar users of the same home
// city whose interest similarity reaches the threshold, ranked by similarity plus
// small co-attendance and neighborhood-overlap bonuses. Candidate search is
// blocked by city: a fixed-size block of users times all users of the city with
// OpenBLAS sgemm, so memory is O(block x city size), never O(N^2). The stored
// values are recomputed per pair in double precision in a fixed order, and the
// blocks are fixed by user ids (not threads), so results do not depend on the
// thread count. Edges are undirected: one row per pair, user_a < user_b.
#include <cstdint>
#include <functional>
#include <vector>

#include "recsys/synthetic/attendance_index.h"
#include "recsys/synthetic/config.h"
#include "recsys/synthetic/users.h"

namespace recsys::synthetic {

struct SocialEdgeTable {
  std::vector<int32_t> user_a, user_b;      // user_a < user_b
  std::vector<float> similarity;            // cosine of fine-tag interests
  std::vector<int32_t> co_attendance;       // distinct places both attended
  std::vector<float> neighborhood_overlap;  // Jaccard of frequent neighborhoods

  size_t size() const { return user_a.size(); }
};

// Exact cosine of two users' fine-tag interests (double, fixed order).
double interest_similarity(const UserTable& users, size_t a, size_t b);
// Jaccard overlap of two users' frequent neighborhoods.
double neighborhood_overlap(const UserTable& users, size_t a, size_t b);

// `on_progress(users_done)` is called from worker threads as blocks finish.
// `cities` (n_cities flags; empty = all) limits the work to the users of those
// home cities (a shard's cities): every edge joins two users of one city, so the
// result is exactly the full table's rows of those cities, and `attendance`
// needs to hold only their users.
SocialEdgeTable build_social_edges(const SyntheticConfig& config, const UserTable& users,
                                   const AttendanceIndex& attendance,
                                   const std::function<void(int64_t)>& on_progress = {},
                                   const std::vector<uint8_t>& cities = {});

}  // namespace recsys::synthetic
