#pragma once
// Friend labels for the friend-recommendation / go-out-together head:
// positives are social edges with high similarity or enough co-attendance;
// negatives are random non-adjacent pairs (a share from the same home city, so
// they are not trivially separable by city; a pair is drawn only by its
// designated drawer, see sharding.h); every pair gets an attendance
// probability from its similarity, co-attendance and neighborhood overlap.
#include <cstdint>
#include <vector>

#include "recsys/synthetic/attendance_index.h"
#include "recsys/synthetic/config.h"
#include "recsys/synthetic/social_edges.h"
#include "recsys/synthetic/users.h"

namespace recsys::synthetic {

struct FriendLabelTable {
  std::vector<int32_t> user_a, user_b;  // user_a < user_b, sorted by (user_a, user_b), unique
  std::vector<uint8_t> label;           // 1 positive, 0 negative
  std::vector<float> similarity;
  std::vector<int32_t> co_attendance;
  std::vector<float> neighborhood_overlap;
  std::vector<float> attend_probability;  // probability the pair goes out together

  size_t size() const { return user_a.size(); }
};

// The attendance probability of a pair.
double attend_probability(const SyntheticConfig& config, double similarity, int32_t co_attendance,
                          double overlap);

struct FriendPair {
  int32_t a, b;  // a < b
  uint8_t label;
};

// The labelled pairs, sorted by (a, b) and unique: positives from `edges`, and
// the negatives drawn by the users with positives among `edges` (user_a side).
// Needs the user profiles only.
std::vector<FriendPair> draw_friend_pairs(const SyntheticConfig& config, const UserTable& users,
                                          const SocialEdgeTable& edges);
// Similarity, co-attendance, overlap and attendance probability of each pair;
// `attendance` must hold both users of every pair.
FriendLabelTable label_friend_pairs(const SyntheticConfig& config, const UserTable& users,
                                    const std::vector<FriendPair>& pairs,
                                    const AttendanceIndex& attendance);

// draw_friend_pairs then label_friend_pairs.
FriendLabelTable build_friend_labels(const SyntheticConfig& config, const UserTable& users,
                                     const SocialEdgeTable& edges,
                                     const AttendanceIndex& attendance);

}  // namespace recsys::synthetic
