#include "recsys/model/neighbour_sampler.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::model {
namespace {

// k distinct positions of [0, m) drawn uniformly, sorted. Floyd's algorithm (one draw per
// chosen position) for small k, else a partial Fisher-Yates shuffle of [0, m).
void choose_positions(int64_t m, int64_t k, std::mt19937_64& rng, std::vector<int64_t>& out) {
  out.clear();
  // rng() % range: the bias is below range / 2^64, i.e. nil for list lengths.
  auto draw = [&rng](int64_t range) {
    return static_cast<int64_t>(rng() % static_cast<uint64_t>(range));
  };
  if (k <= 64) {
    for (int64_t j = m - k; j < m; ++j) {
      const int64_t t = draw(j + 1);
      out.push_back(std::find(out.begin(), out.end(), t) == out.end() ? t : j);
    }
  } else {
    std::vector<int64_t> all(static_cast<size_t>(m));
    for (int64_t i = 0; i < m; ++i) all[static_cast<size_t>(i)] = i;
    for (int64_t i = 0; i < k; ++i)
      std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(i + draw(m - i))]);
    out.assign(all.begin(), all.begin() + k);
  }
  std::sort(out.begin(), out.end());
}

}  // namespace

Bags sample_bags(const NeighbourLists& lists, const int32_t* rows, int64_t n,
                 const int32_t* exclude, const uint8_t* drop, int64_t fanout,
                 std::mt19937_64& rng) {
  if (fanout < 0)
    throw InvalidArgument(
        fmt::format("hetero.max_neighbours = {}: the fanout must be >= 0 (0: all)", fanout));
  Bags all = make_bags(lists, rows, n, exclude, drop);
  if (fanout == 0) return all;
  Bags b;
  b.offsets.resize(static_cast<size_t>(n));
  b.indices.reserve(static_cast<size_t>(n * fanout));
  std::vector<int64_t> chosen;
  for (int64_t i = 0; i < n; ++i) {
    b.offsets[static_cast<size_t>(i)] = static_cast<int64_t>(b.indices.size());
    const int64_t begin = all.offsets[static_cast<size_t>(i)];
    const int64_t end = i + 1 < n ? all.offsets[static_cast<size_t>(i + 1)]
                                  : static_cast<int64_t>(all.indices.size());
    if (end - begin <= fanout) {
      b.indices.insert(b.indices.end(), all.indices.begin() + begin, all.indices.begin() + end);
      continue;
    }
    choose_positions(end - begin, fanout, rng, chosen);
    for (int64_t j : chosen) b.indices.push_back(all.indices[static_cast<size_t>(begin + j)]);
  }
  return b;
}

}  // namespace recsys::model
