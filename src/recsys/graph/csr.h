#pragma once
// Compressed sparse rows of one relation: the neighbours of source node s are
// indices[offsets[s] .. offsets[s + 1]), ascending within a row. `transpose`
// builds the reverse direction and, for each reverse entry, the position of the
// forward entry it came from, so edge attributes are stored once.
#include <cstdint>
#include <vector>

namespace recsys::graph {

struct Csr {
  std::vector<int64_t> offsets{0};  // n_rows + 1
  std::vector<int32_t> indices;

  int64_t n_rows() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t n_entries() const { return static_cast<int64_t>(indices.size()); }
};

struct TransposedCsr {
  Csr csr;
  std::vector<int64_t> forward_position;  // reverse entry -> forward entry
};

// From (row, column) pairs, sorted by (row, column) by a counting sort on rows and
// a sort within each row; duplicates are kept. `order`, when given, receives for
// each CSR entry the index of the pair it came from. Throws InvalidArgument for
// an id out of [0, n_rows) / [0, n_cols).
Csr csr_from_pairs(const std::vector<int32_t>& rows, const std::vector<int32_t>& cols,
                   int64_t n_rows, int64_t n_cols, std::vector<int64_t>* order = nullptr);

TransposedCsr transpose(const Csr& forward, int64_t n_cols);

}  // namespace recsys::graph
