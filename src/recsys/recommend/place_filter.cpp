#include "recsys/recommend/place_filter.h"

#include <fmt/format.h>

#include <cmath>

#include "recsys/core/error.h"

namespace recsys::recommend {

void check_filter(const PlaceFilter& f, const PlaceCatalogue& c) {
  if (f.city) c.check_city(*f.city);
  if (f.neighborhood) c.check_neighborhood(*f.neighborhood);
  if (f.category) c.check_category(*f.category);
  if (f.price_band && *f.price_band < 0)
    throw ConfigError(fmt::format("price_band {}: must be >= 0", *f.price_band));
  if (f.time_slot && *f.time_slot < 0)
    throw ConfigError(fmt::format("time_slot {}: must be >= 0", *f.time_slot));
  if (f.near) {
    const auto& g = *f.near;
    if (!(g.lat >= -90 && g.lat <= 90))
      throw ConfigError(fmt::format("near: latitude {} outside [-90, 90]", g.lat));
    if (!(g.lon >= -180 && g.lon <= 180))
      throw ConfigError(fmt::format("near: longitude {} outside [-180, 180]", g.lon));
    if (!(g.radius_km > 0) || !std::isfinite(g.radius_km))
      throw ConfigError(fmt::format("radius_km {}: must be a positive number", g.radius_km));
  }
}

bool passes(const PlaceFilter& f, const PlaceCatalogue& c, int32_t p) {
  if (f.city && c.city(p) != *f.city) return false;
  if (f.neighborhood && c.neighborhood(p) != *f.neighborhood) return false;
  if (f.price_band && c.price_band(p) != *f.price_band) return false;
  if (f.time_slot && c.time_slot(p) != *f.time_slot) return false;
  if (f.category && !c.has_category(p, *f.category)) return false;
  if (f.near) {
    const double lat = c.lat(p), lon = c.lon(p);
    if (std::isnan(lat) || std::isnan(lon)) return false;
    if (haversine_km(f.near->lat, f.near->lon, lat, lon) > f.near->radius_km) return false;
  }
  return true;
}

int64_t allowed_places(const PlaceFilter& f, const PlaceCatalogue& c,
                       std::vector<uint8_t>& allowed) {
  const auto n = c.n_places();
  allowed.assign(static_cast<size_t>(n), 0);
  int64_t count = 0;
  // A city filter looks at the city's places only (the others fail it), then at the rest of
  // the filter, if any.
  PlaceFilter rest = f;
  rest.city.reset();
  auto check = [&](int32_t p) {
    const bool ok = rest.empty() || passes(rest, c, p);
    allowed[static_cast<size_t>(p)] = ok ? 1 : 0;
    count += ok;
  };
  if (f.city) {
    for (int32_t p : c.places_in_city(*f.city)) check(p);
  } else {
    for (int32_t p = 0; p < n; ++p) check(p);
  }
  return count;
}

}  // namespace recsys::recommend
