#pragma once
// One inner-product index over the rows of an embedding matrix (FAISS underneath; no FAISS type
// in this header). Flat (exact) for small catalogues, HNSW or IVF for large ones, chosen from the
// size unless the caller says otherwise. Every index keeps the vectors themselves, so a filtered
// search that leaves few candidates is answered exactly over those candidates instead of asking
// the ANN structure for rows it would mostly have to skip.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace recsys::index {

enum class IndexKind { kFlat, kHnsw, kIvf };

std::string to_string(IndexKind kind);
// "flat", "hnsw" or "ivf" ("auto" is the caller's business: auto_params). Throws
// ConfigError naming the value and the accepted spellings.
IndexKind parse_index_kind(const std::string& name);

struct IndexParams {
  IndexKind kind = IndexKind::kFlat;
  int hnsw_m = 32;            // HNSW graph degree
  int ef_construction = 200;  // HNSW build breadth
  int ef_search = 128;        // HNSW search breadth (recall / speed)
  int nlist = 0;              // IVF lists (0: about 4 sqrt(rows))
  int nprobe = 32;            // IVF lists visited per query
  // A filtered search whose allowed rows are at most this share of the catalogue (or at most
  // exact_min_rows rows) scores the allowed rows exactly.
  double exact_share = 0.25;
  int64_t exact_min_rows = 4096;
};

// The automatic choice for `rows` vectors of `dim` floats (documented in docs/decisions.md).
IndexParams auto_params(int64_t rows, int dim);

struct Hit {
  int32_t row = -1;
  float score = 0;
};

class VectorIndex {
 public:
  VectorIndex();
  ~VectorIndex();
  VectorIndex(VectorIndex&&) noexcept;
  VectorIndex& operator=(VectorIndex&&) noexcept;

  // Builds over `rows` x `dim` row-major vectors (copied).
  static VectorIndex build(const float* vectors, int64_t rows, int dim, const IndexParams& params);
  // Reads what save() wrote; FormatError naming the file when it is not such an index.
  static VectorIndex load(const std::filesystem::path& file);
  void save(const std::filesystem::path& file) const;

  int64_t rows() const;
  int dim() const;  // the query length search() expects
  const IndexParams& params() const;
  void set_search_breadth(int ef_search, int nprobe);
  // When a filtered search scans the allowed rows exactly (IndexParams::exact_share,
  // exact_min_rows). ConfigError for a share outside 0..1 or negative rows.
  void set_exact_limits(double exact_share, int64_t exact_min_rows);

  // The k rows with the largest inner product with `query` (dim() floats), best first, among
  // the rows with allowed[row] != 0 (allowed == nullptr: all rows; allowed_count: the number of
  // allowed rows, or -1 to count them). Returns fewer than k only when fewer rows are allowed.
  // Thread-safe (const).
  std::vector<Hit> search(const float* query, int k, const uint8_t* allowed = nullptr,
                          int64_t allowed_count = -1) const;
  // Exact top-k over the given rows only.
  std::vector<Hit> search_rows(const float* query, int k, const int32_t* rows, int64_t n) const;
  // The stored vector of a row (dim() floats).
  const float* vector(int32_t row) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recsys::index
