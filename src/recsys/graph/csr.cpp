#include "recsys/graph/csr.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "recsys/core/error.h"

namespace recsys::graph {

Csr csr_from_pairs(const std::vector<int32_t>& rows, const std::vector<int32_t>& cols,
                   int64_t n_rows, int64_t n_cols, std::vector<int64_t>* order) {
  if (rows.size() != cols.size())
    throw InvalidArgument(
        fmt::format("csr_from_pairs: {} rows but {} columns", rows.size(), cols.size()));
  Csr csr;
  csr.offsets.assign(static_cast<size_t>(n_rows) + 1, 0);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] < 0 || rows[i] >= n_rows || cols[i] < 0 || cols[i] >= n_cols)
      throw InvalidArgument(fmt::format("csr_from_pairs: pair {} ({}, {}) outside {} x {}", i,
                                        rows[i], cols[i], n_rows, n_cols));
    ++csr.offsets[static_cast<size_t>(rows[i]) + 1];
  }
  for (size_t r = 0; r < static_cast<size_t>(n_rows); ++r) csr.offsets[r + 1] += csr.offsets[r];
  std::vector<int64_t> source(rows.size());
  std::vector<int64_t> cursor(csr.offsets.begin(), csr.offsets.end() - 1);
  for (size_t i = 0; i < rows.size(); ++i)
    source[static_cast<size_t>(cursor[static_cast<size_t>(rows[i])]++)] = static_cast<int64_t>(i);
  for (int64_t r = 0; r < n_rows; ++r) {
    auto b = source.begin() + csr.offsets[static_cast<size_t>(r)];
    auto e = source.begin() + csr.offsets[static_cast<size_t>(r) + 1];
    std::stable_sort(b, e, [&](int64_t x, int64_t y) {
      return cols[static_cast<size_t>(x)] < cols[static_cast<size_t>(y)];
    });
  }
  csr.indices.resize(rows.size());
  for (size_t k = 0; k < source.size(); ++k) csr.indices[k] = cols[static_cast<size_t>(source[k])];
  if (order) *order = std::move(source);
  return csr;
}

TransposedCsr transpose(const Csr& forward, int64_t n_cols) {
  TransposedCsr t;
  t.csr.offsets.assign(static_cast<size_t>(n_cols) + 1, 0);
  for (int32_t c : forward.indices) {
    if (c < 0 || c >= n_cols)
      throw InvalidArgument(fmt::format("transpose: column {} outside [0, {})", c, n_cols));
    ++t.csr.offsets[static_cast<size_t>(c) + 1];
  }
  for (size_t c = 0; c < static_cast<size_t>(n_cols); ++c) t.csr.offsets[c + 1] += t.csr.offsets[c];
  std::vector<int64_t> cursor(t.csr.offsets.begin(), t.csr.offsets.end() - 1);
  t.csr.indices.resize(forward.indices.size());
  t.forward_position.resize(forward.indices.size());
  // Rows are visited in order, so each reverse row comes out sorted by source row.
  for (int64_t r = 0; r < forward.n_rows(); ++r) {
    for (int64_t k = forward.offsets[static_cast<size_t>(r)];
         k < forward.offsets[static_cast<size_t>(r) + 1]; ++k) {
      const auto c = static_cast<size_t>(forward.indices[static_cast<size_t>(k)]);
      const auto pos = static_cast<size_t>(cursor[c]++);
      t.csr.indices[pos] = static_cast<int32_t>(r);
      t.forward_position[pos] = k;
    }
  }
  return t;
}

}  // namespace recsys::graph
