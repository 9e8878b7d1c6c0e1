#include "recsys/recommend/city_shard.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::recommend {

CityShard::CityShard(std::vector<int32_t> cities, const PlaceCatalogue& catalogue, const float* place_vectors,
                     int dim, const index::IndexParams& like)
    : cities_(std::move(cities)) {
  if (cities_.empty()) throw ConfigError("city shard: the list of cities is empty");
  std::sort(cities_.begin(), cities_.end());
  cities_.erase(std::unique(cities_.begin(), cities_.end()), cities_.end());
  for (int32_t c : cities_) catalogue.check_city(c);
  const int64_t n = catalogue.n_places();
  mask_.assign(static_cast<size_t>(n), 0);
  for (int32_t row = 0; row < n; ++row)
    if (holds_city(catalogue.city(row))) {
      rows_.push_back(row);
      mask_[static_cast<size_t>(row)] = 1;
    }
  if (rows_.empty())
    throw InvalidArgument(fmt::format("city shard: cities [{}] have no places in the catalogue", fmt::join(cities_, ", ")));
  std::vector<float> vectors(rows_.size() * static_cast<size_t>(dim));
  for (size_t i = 0; i < rows_.size(); ++i)
    std::copy_n(place_vectors + static_cast<int64_t>(rows_[i]) * dim, dim, vectors.begin() + static_cast<int64_t>(i) * dim);
  index::IndexParams params = index::auto_params(n_places(), dim);
  params.exact_share = like.exact_share;
  params.exact_min_rows = like.exact_min_rows;
  index_ = index::VectorIndex::build(vectors.data(), n_places(), dim, params);
}

bool CityShard::holds_city(int32_t city) const { return std::binary_search(cities_.begin(), cities_.end(), city); }

int64_t CityShard::restrict(std::vector<uint8_t>& allowed) const {
  if (allowed.size() != mask_.size())
    throw InvalidArgument(
        fmt::format("city shard: a bitmap of {} places for a catalogue of {}", allowed.size(), mask_.size()));
  int64_t count = 0;
  for (size_t row = 0; row < allowed.size(); ++row) {
    allowed[row] &= mask_[row];
    count += allowed[row] != 0;
  }
  return count;
}

std::vector<index::Hit> CityShard::search(const float* query, int k, const uint8_t* allowed,
                                          int64_t allowed_count) const {
  std::vector<index::Hit> hits;
  if (allowed_count == n_places()) {
    hits = index_.search(query, k);
  } else {
    // The bitmap in the shard index's rows.
    thread_local std::vector<uint8_t> local;
    local.resize(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i) local[i] = allowed[rows_[i]];
    hits = index_.search(query, k, local.data(), allowed_count);
  }
  for (auto& h : hits) h.row = rows_[static_cast<size_t>(h.row)];
  return hits;
}

}  // namespace recsys::recommend
