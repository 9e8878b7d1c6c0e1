#include "recsys/recommend/candidate_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "recsys/core/error.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/top_k.h"
#include "recsys/recommend/interaction_history.h"

namespace recsys::recommend {

std::optional<CandidateTable> CandidateTable::build(const float* users, int64_t n_users,
                                                    const float* places, int64_t n_places, int dim,
                                                    const InteractionHistory& history,
                                                    const CandidateTableOptions& options) {
  if (options.per_user < 0)
    throw ConfigError(fmt::format("candidates per user {}: must be >= 0", options.per_user));
  if (options.per_user == 0 || n_users == 0 || n_places == 0) return std::nullopt;
  CandidateTable t;
  t.n_places_ = n_places;
  t.offsets_.resize(static_cast<size_t>(n_users) + 1, 0);
  for (int64_t u = 0; u < n_users; ++u) {
    const auto seen = static_cast<int64_t>(history.seen_places(static_cast<int32_t>(u)).size());
    const int64_t len = std::min<int64_t>(options.per_user + seen, n_places);
    t.offsets_[static_cast<size_t>(u) + 1] = t.offsets_[static_cast<size_t>(u)] + len;
  }
  const int64_t entries = t.offsets_.back();
  if (entries * static_cast<int64_t>(sizeof(index::Hit)) > options.max_bytes) return std::nullopt;
  t.hits_.resize(static_cast<size_t>(entries));

  const eval::DotProductScorer scorer(
      std::span<const float>(users, static_cast<size_t>(n_users * dim)), n_users,
      std::span<const float>(places, static_cast<size_t>(n_places * dim)), n_places, dim);
  // Blocks of users small enough that their score rows stay a few MB.
  const int64_t block = std::clamp<int64_t>((int64_t{4} << 20) / n_places, 1, 256);
  std::vector<float> scores(static_cast<size_t>(block * n_places));
  std::vector<int32_t> ids(static_cast<size_t>(block));
  std::vector<int32_t> rows;
  std::vector<float> values;
  for (int64_t first = 0; first < n_users; first += block) {
    const int64_t n = std::min(block, n_users - first);
    for (int64_t i = 0; i < n; ++i) ids[static_cast<size_t>(i)] = static_cast<int32_t>(first + i);
    scorer.score(ids.data(), n, scores.data());
    for (int64_t i = 0; i < n; ++i) {
      const auto u = static_cast<size_t>(first + i);
      const auto len = static_cast<int>(t.offsets_[u + 1] - t.offsets_[u]);
      rows.resize(static_cast<size_t>(len));
      values.resize(static_cast<size_t>(len));
      eval::TopKSelector top(len);
      const int got =
          top.select(scores.data() + i * n_places, n_places, rows.data(), values.data());
      if (got != len)
        throw InvalidArgument(fmt::format(
            "candidate table: user row {} has {} finite scores for {} places", u, got, len));
      index::Hit* out = t.hits_.data() + t.offsets_[u];
      for (int j = 0; j < len; ++j)
        out[j] = {rows[static_cast<size_t>(j)], values[static_cast<size_t>(j)]};
    }
  }
  return t;
}

bool CandidateTable::best_allowed(int32_t user, const uint8_t* allowed, int want,
                                  std::vector<index::Hit>& out) const {
  if (user < 0 || static_cast<size_t>(user) + 1 >= offsets_.size()) return false;
  const auto begin = offsets_[static_cast<size_t>(user)],
             end = offsets_[static_cast<size_t>(user) + 1];
  int found = 0;
  for (auto i = begin; i < end && found < want; ++i) {
    const index::Hit& h = hits_[static_cast<size_t>(i)];
    if (allowed[h.row]) out.push_back(h), ++found;
  }
  // A list that holds every place has all the allowed ones, however few.
  return found == want || end - begin == n_places_;
}

int64_t CandidateTable::bytes() const {
  return static_cast<int64_t>(hits_.size() * sizeof(index::Hit) +
                              offsets_.size() * sizeof(int64_t));
}

}  // namespace recsys::recommend
