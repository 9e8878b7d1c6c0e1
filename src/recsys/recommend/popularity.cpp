#include "recsys/recommend/popularity.h"

#include <algorithm>
#include <numeric>

namespace recsys::recommend {

PlacePopularity::PlacePopularity(const graph::GraphArtifact& g) {
  degree_.assign(static_cast<size_t>(g.n_places()), 0);
  const auto train = g.interactions("train").csr;
  for (int32_t p : train.indices) ++degree_[static_cast<size_t>(p)];  // user rows are distinct
  by_degree_.resize(degree_.size());
  std::iota(by_degree_.begin(), by_degree_.end(), 0);
  std::stable_sort(by_degree_.begin(), by_degree_.end(), [&](int32_t a, int32_t b) {
    return degree_[static_cast<size_t>(a)] > degree_[static_cast<size_t>(b)];
  });
}

std::vector<index::Hit> PlacePopularity::top(const PlaceCatalogue& c, int k, int32_t city,
                                             std::span<const int32_t> interests,
                                             const uint8_t* allowed) const {
  std::vector<index::Hit> matching, other;
  const auto want = static_cast<size_t>(std::max(k, 0));
  for (int32_t p : by_degree_) {
    if (matching.size() >= want) break;
    if (allowed && !allowed[p]) continue;
    if (city >= 0 && c.city(p) != city) continue;
    const bool match = std::any_of(interests.begin(), interests.end(),
                                   [&](int32_t cat) { return c.has_category(p, cat); });
    const index::Hit h{p, static_cast<float>(degree_[static_cast<size_t>(p)])};
    if (match || interests.empty())
      matching.push_back(h);
    else if (other.size() < want)
      other.push_back(h);
  }
  for (const auto& h : other) {
    if (matching.size() >= want) break;
    matching.push_back(h);
  }
  return matching;
}

}  // namespace recsys::recommend
