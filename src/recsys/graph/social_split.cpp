#include "recsys/graph/social_split.h"

#include <algorithm>
#include <utility>

#include "recsys/graph/interaction_split.h"

namespace recsys::graph {

namespace {
constexpr uint64_t kSaltSocial = 0x50C1A1;
}

EventSplit pair_split(const GraphBuildConfig& config, int32_t a, int32_t b) {
  const auto lo = static_cast<uint64_t>(std::min(a, b)), hi = static_cast<uint64_t>(std::max(a, b));
  const double x = unit_hash(config.seed, kSaltSocial, lo, hi);
  if (x < config.social_test_fraction) return EventSplit::Test;
  if (x < config.social_test_fraction + config.social_val_fraction) return EventSplit::Valid;
  return EventSplit::Train;
}

SocialSplit split_social_edges(const PairTable& edges, int64_t n_users,
                               const GraphBuildConfig& config) {
  SocialSplit out;
  std::vector<std::pair<int32_t, int32_t>> pairs;
  pairs.reserve(edges.a.size());
  for (size_t i = 0; i < edges.a.size(); ++i) {
    if (edges.a[i] == edges.b[i]) {
      ++out.self_loops_dropped;
      continue;
    }
    pairs.emplace_back(std::min(edges.a[i], edges.b[i]), std::max(edges.a[i], edges.b[i]));
  }
  std::sort(pairs.begin(), pairs.end());
  const auto last = std::unique(pairs.begin(), pairs.end());
  out.duplicates_dropped = static_cast<int64_t>(pairs.end() - last);
  pairs.erase(last, pairs.end());
  std::vector<int32_t> rows[3], cols[3];
  for (const auto& [a, b] : pairs) {
    const auto s = static_cast<size_t>(pair_split(config, a, b));
    rows[s].push_back(a), cols[s].push_back(b);
    rows[s].push_back(b), cols[s].push_back(a);
  }
  out.train = csr_from_pairs(rows[0], cols[0], n_users, n_users);
  out.valid = csr_from_pairs(rows[1], cols[1], n_users, n_users);
  out.test = csr_from_pairs(rows[2], cols[2], n_users, n_users);
  out.train_pairs = static_cast<int64_t>(rows[0].size() / 2);
  out.valid_pairs = static_cast<int64_t>(rows[1].size() / 2);
  out.test_pairs = static_cast<int64_t>(rows[2].size() / 2);
  return out;
}

std::vector<int8_t> split_friend_labels(const PairTable& labels, const GraphBuildConfig& config) {
  std::vector<int8_t> split(labels.a.size());
  for (size_t i = 0; i < split.size(); ++i)
    split[i] = static_cast<int8_t>(pair_split(config, labels.a[i], labels.b[i]));
  return split;
}

}  // namespace recsys::graph
