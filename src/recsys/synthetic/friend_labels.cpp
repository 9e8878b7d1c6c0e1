#include "recsys/synthetic/friend_labels.h"

#include <algorithm>
#include <cmath>

#include "recsys/core/random_stream.h"
#include "recsys/synthetic/sharding.h"

namespace recsys::synthetic {

double attend_probability(const SyntheticConfig& config, double similarity, int32_t co_attendance,
                          double overlap) {
  const double z =
      config.attend_bias + config.attend_similarity_weight * similarity +
      config.attend_co_attendance_weight * std::log1p(static_cast<double>(co_attendance)) +
      config.attend_overlap_weight * overlap;
  return 1.0 / (1.0 + std::exp(-z));
}

std::vector<FriendPair> draw_friend_pairs(const SyntheticConfig& config, const UserTable& users,
                                          const SocialEdgeTable& edges) {
  const size_t n = users.size();
  // Adjacency (both directions) to keep negatives off edges.
  std::vector<std::vector<int32_t>> neighbors(n);
  std::vector<int32_t> positives_of(n, 0);
  using Pair = FriendPair;
  std::vector<Pair> pairs;
  for (size_t e = 0; e < edges.size(); ++e) {
    neighbors[static_cast<size_t>(edges.user_a[e])].push_back(edges.user_b[e]);
    neighbors[static_cast<size_t>(edges.user_b[e])].push_back(edges.user_a[e]);
    if (edges.similarity[e] >= config.positive_similarity ||
        edges.co_attendance[e] >= config.positive_co_attendance) {
      pairs.push_back({edges.user_a[e], edges.user_b[e], 1});
      ++positives_of[static_cast<size_t>(edges.user_a[e])];
    }
  }
  for (auto& list : neighbors) std::sort(list.begin(), list.end());
  std::vector<std::vector<int32_t>> by_city(static_cast<size_t>(config.n_cities));
  for (size_t i = 0; i < n; ++i)
    by_city[static_cast<size_t>(users.home_city_id[i])].push_back(static_cast<int32_t>(i));

  // Negatives: user a draws round(positives(a) * ratio) partners from its own stream.
  for (size_t a = 0; a < n; ++a) {
    if (positives_of[a] == 0 || config.negative_ratio <= 0) continue;
    RandomStream rng(static_cast<uint64_t>(config.seed), StreamKind::FriendLabel, a);
    const double want = positives_of[a] * config.negative_ratio;
    int count = static_cast<int>(want);
    if (rng.uniform() < want - count) ++count;
    const auto& city = by_city[static_cast<size_t>(users.home_city_id[a])];
    for (int k = 0; k < count; ++k) {
      for (int attempt = 0; attempt < 32; ++attempt) {
        int32_t b;
        if (rng.uniform() < config.negative_same_city_share) {
          b = city[static_cast<size_t>(rng.uniform_int(0, static_cast<int64_t>(city.size()) - 1))];
        } else {
          b = static_cast<int32_t>(rng.uniform_int(0, static_cast<int64_t>(n) - 1));
        }
        if (b == static_cast<int32_t>(a) ||
            std::binary_search(neighbors[a].begin(), neighbors[a].end(), b) ||
            !is_designated_drawer(config.seed, static_cast<int32_t>(a), b))
          continue;
        pairs.push_back(
            {std::min(static_cast<int32_t>(a), b), std::max(static_cast<int32_t>(a), b), 0});
        break;
      }
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
    return x.a < y.a || (x.a == y.a && (x.b < y.b || (x.b == y.b && x.label > y.label)));
  });
  // Unique pairs (a positive wins over a negative drawn for the same pair).
  size_t unique = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0 && pairs[i].a == pairs[i - 1].a && pairs[i].b == pairs[i - 1].b) continue;
    pairs[unique++] = pairs[i];
  }
  pairs.resize(unique);
  return pairs;
}

FriendLabelTable label_friend_pairs(const SyntheticConfig& config, const UserTable& users,
                                    const std::vector<FriendPair>& pairs,
                                    const AttendanceIndex& attendance) {
  const size_t unique = pairs.size();
  FriendLabelTable t;
  t.user_a.resize(unique);
  t.user_b.resize(unique);
  t.label.resize(unique);
  t.similarity.resize(unique);
  t.co_attendance.resize(unique);
  t.neighborhood_overlap.resize(unique);
  t.attend_probability.resize(unique);
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < unique; ++i) {
    const auto a = static_cast<size_t>(pairs[i].a), b = static_cast<size_t>(pairs[i].b);
    const double sim = interest_similarity(users, a, b);
    const int32_t co = attendance.co_attendance(pairs[i].a, pairs[i].b);
    const double overlap = neighborhood_overlap(users, a, b);
    t.user_a[i] = pairs[i].a;
    t.user_b[i] = pairs[i].b;
    t.label[i] = pairs[i].label;
    t.similarity[i] = static_cast<float>(sim);
    t.co_attendance[i] = co;
    t.neighborhood_overlap[i] = static_cast<float>(overlap);
    t.attend_probability[i] = static_cast<float>(attend_probability(config, sim, co, overlap));
  }
  return t;
}

FriendLabelTable build_friend_labels(const SyntheticConfig& config, const UserTable& users,
                                     const SocialEdgeTable& edges,
                                     const AttendanceIndex& attendance) {
  return label_friend_pairs(config, users, draw_friend_pairs(config, users, edges), attendance);
}

}  // namespace recsys::synthetic
