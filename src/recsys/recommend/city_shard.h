#pragma once
// Catalogue sharding by city (docs/decisions.md, "Scaling out serving"): a serving replica that
// holds only some cities' places. The shard keeps a place index of its own over those places
// alone (auto parameters for the shard's size), so a replica's index memory is that of its
// cities, and a bitmap of its places over the catalogue's rows. Searches answer in catalogue
// rows, like the full index, and never return a place of another city.
#include <cstdint>
#include <vector>

#include "recsys/index/vector_index.h"
#include "recsys/recommend/place_catalogue.h"

namespace recsys::recommend {

class CityShard {
 public:
  // The places of `cities` (the graph's city ids; NotFound naming an unknown one, ConfigError
  // for an empty list) with an index over their rows of `place_vectors` (catalogue rows x dim).
  // `like` gives the exact-scan limits of the full place index (IndexParams).
  CityShard(std::vector<int32_t> cities, const PlaceCatalogue& catalogue, const float* place_vectors,
            int dim, const index::IndexParams& like);

  const std::vector<int32_t>& cities() const { return cities_; }  // ascending, unique
  bool holds_city(int32_t city) const;
  int64_t n_places() const { return static_cast<int64_t>(rows_.size()); }
  const index::VectorIndex& index() const { return index_; }
  // 1 for the catalogue rows of the shard's places.
  const std::vector<uint8_t>& mask() const { return mask_; }

  // allowed[row] &= mask[row] over the catalogue's rows; returns the rows left allowed.
  int64_t restrict(std::vector<uint8_t>& allowed) const;

  // The k places with the largest inner product with `query` among the catalogue rows with
  // allowed[row] != 0 (a bitmap over the catalogue that restrict() has been applied to;
  // `allowed_count` of them), best first, as catalogue rows.
  std::vector<index::Hit> search(const float* query, int k, const uint8_t* allowed, int64_t allowed_count) const;

 private:
  std::vector<int32_t> cities_;
  std::vector<int32_t> rows_;  // catalogue rows of the shard's places, ascending (index row i = rows_[i])
  std::vector<uint8_t> mask_;
  index::VectorIndex index_;
};

}  // namespace recsys::recommend
