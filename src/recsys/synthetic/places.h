#pragma once
// Places: location (city, neighborhood, lat/lon), 1-2 coarse categories, 3-7 fine
// tags drawn from those categories with Dirichlet weights (the tag vector, sums
// to 1), price band, typical time slot and log-normal popularity. Place p is
// generated from its own stream (seed, Place, p) alone.
#include <cstdint>
#include <vector>

#include "recsys/synthetic/config.h"
#include "recsys/synthetic/geography.h"

namespace recsys::synthetic {

struct PlaceTable {
  int n_tags = 0;  // C_FINE
  std::vector<int32_t> place_id, city_id, neighborhood_id;
  std::vector<double> lat, lon;
  std::vector<int64_t> category_offsets{0};  // rows + 1, into category_ids
  std::vector<int32_t> category_ids;         // ascending per place
  std::vector<int64_t> tag_offsets{0};       // rows + 1, into tag_ids / tag_weights
  std::vector<int32_t> tag_ids;              // ascending per place
  std::vector<float> tag_weights;            // sums to 1 per place
  std::vector<int32_t> price_band;           // 1..4
  std::vector<int32_t> time_slot;            // 0 morning, 1 afternoon, 2 evening, 3 night
  std::vector<float> popularity;             // log-normal

  size_t size() const { return place_id.size(); }
  // The dense fine-tag vector of row `row` (length n_tags) into `out`.
  void dense_tag_vector(size_t row, float* out) const;
};

// Places [begin, end) (ids); the full table is generate_places(config, geo, 0, n_places).
PlaceTable generate_places(const SyntheticConfig& config, const Geography& geography, int begin,
                           int end);
PlaceTable generate_places(const SyntheticConfig& config, const Geography& geography);

// Place ids per city, ascending: result[c] lists the rows of city c.
std::vector<std::vector<int32_t>> places_by_city(const PlaceTable& places, int n_cities);

}  // namespace recsys::synthetic
