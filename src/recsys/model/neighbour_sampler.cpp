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

void user_dense_rows_from_bags(const HeteroInputs& in, const int32_t* users,
                               const Bags& place_bags, int64_t n, float* out) {
  if (static_cast<int64_t>(place_bags.offsets.size()) != n)
    throw InvalidArgument(fmt::format("hetero: {} place bags for {} users",
                                      place_bags.offsets.size(), n));
  const int64_t uc = in.user_cols, pc = in.place_cols, width = uc + pc;
  const auto total = static_cast<int64_t>(place_bags.indices.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const int64_t u = users[i];
    float* o = out + i * width;
    if (uc > 0) std::copy_n(in.user_x.data() + u * uc, uc, o);
    float* agg = o + uc;
    std::fill(agg, agg + pc, 0.0f);
    if (pc == 0) continue;
    const int64_t lo = place_bags.offsets[static_cast<size_t>(i)];
    const int64_t hi = i + 1 < n ? place_bags.offsets[static_cast<size_t>(i) + 1] : total;
    for (int64_t k = lo; k < hi; ++k) {
      const float* x = in.place_x.data() + place_bags.indices[static_cast<size_t>(k)] * pc;
      for (int64_t c = 0; c < pc; ++c) agg[c] += x[c];
    }
    if (hi > lo) {
      const float inv = 1.0f / static_cast<float>(hi - lo);
      for (int64_t c = 0; c < pc; ++c) agg[c] *= inv;
    }
  }
}

}  // namespace recsys::model
