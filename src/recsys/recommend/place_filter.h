#pragma once
// Filters of a place query: every set field must hold (AND). Ids are the graph's raw ids for
// cities, neighborhoods and categories; price band and time slot are the data's small integers.
#include <cstdint>
#include <optional>
#include <vector>

#include "recsys/recommend/place_catalogue.h"

namespace recsys::recommend {

struct GeoCircle {
  double lat = 0, lon = 0, radius_km = 0;
};

struct PlaceFilter {
  std::optional<int32_t> city, neighborhood, price_band, time_slot, category;
  std::optional<GeoCircle> near;  // places within radius_km of (lat, lon); unknown location: out

  bool empty() const {
    return !city && !neighborhood && !price_band && !time_slot && !category && !near;
  }
};

// NotFound for a city / neighborhood / category id the graph does not have; ConfigError for a
// negative price band / time slot, a latitude outside [-90, 90], a longitude outside
// [-180, 180] or a radius that is not positive.
void check_filter(const PlaceFilter& filter, const PlaceCatalogue& catalogue);

// True when the place passes every filter.
bool passes(const PlaceFilter& filter, const PlaceCatalogue& catalogue, int32_t place);

// allowed[p] = passes(p) for every place; returns the number of allowed places.
int64_t allowed_places(const PlaceFilter& filter, const PlaceCatalogue& catalogue,
                       std::vector<uint8_t>& allowed);

}  // namespace recsys::recommend
