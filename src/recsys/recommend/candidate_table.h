#pragma once
// Each known user's best places by inner product, exact, computed once when the recommender
// loads (one sgemm per block of users, eval/dot_product_scorer.h): the candidate-generation
// stage of a two-stage recommender, precomputed. A place query then walks the user's list
// instead of the index: the first `want` rows that pass the query's filters and exclusions are
// exactly the best `want` allowed places, as long as the list holds that many (else the caller
// searches the index). Embeddings do not change between reloads, so the table is never stale;
// live events only add exclusions, which the walk applies. docs/decisions.md, "Serving".
#include <cstdint>
#include <optional>
#include <vector>

#include "recsys/index/vector_index.h"

namespace recsys::recommend {

class InteractionHistory;

struct CandidateTableOptions {
  // Places kept per user beyond the ones they have already seen; 0: no table.
  int per_user = 256;
  // No table when it would take more memory than this (8 bytes per entry).
  int64_t max_bytes = int64_t{1} << 30;
};

class CandidateTable {
 public:
  // User u's list: the best per_user + |seen_places(u)| places for users[u], places row-major
  // n x dim. Empty (nullopt) when per_user is 0 or the table would exceed max_bytes.
  static std::optional<CandidateTable> build(const float* users, int64_t n_users,
                                             const float* places, int64_t n_places, int dim,
                                             const InteractionHistory& history,
                                             const CandidateTableOptions& options);

  // Appends to `out` the first `want` entries of user u's list whose row is allowed
  // (allowed[row] != 0), best first. False (and `out` unspecified) when the list is too short
  // to be sure they are the best `want` allowed places: the caller then searches the index.
  bool best_allowed(int32_t user, const uint8_t* allowed, int want,
                    std::vector<index::Hit>& out) const;

  int64_t entries() const { return static_cast<int64_t>(hits_.size()); }
  int64_t bytes() const;

 private:
  std::vector<int64_t> offsets_;  // n_users + 1
  std::vector<index::Hit> hits_;
  int64_t n_places_ = 0;
};

}  // namespace recsys::recommend
