#include "recsys/recommend/place_catalogue.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "recsys/core/error.h"

namespace recsys::recommend {
namespace {

template <typename T>
std::span<const T> optional_array(const graph::GraphArtifact& g, const std::string& name) {
  return g.has(name) ? g.array<T>(name) : std::span<const T>();
}

graph::CsrView optional_relation(const graph::GraphArtifact& g, const std::string& name) {
  return g.has_relation(name) ? g.relation(name) : graph::CsrView();
}

void check_id(const char* kind, int64_t id, int64_t count) {
  if (id < 0 || id >= count)
    throw NotFound(fmt::format("unknown {} id {} (the graph has {} {} ids: 0..{})", kind, id, count,
                               kind, count - 1));
}

}  // namespace

PlaceCatalogue::PlaceCatalogue(const graph::GraphArtifact& g)
    : places_("place", g.array<int32_t>("place.ids")),
      users_("user", g.array<int32_t>("user.ids")),
      n_cities_(g.n_nodes("city")),
      n_neighborhoods_(g.n_nodes("neighborhood")),
      n_categories_(g.n_nodes("category")),
      n_tags_(g.n_nodes("tag")),
      city_(optional_array<int32_t>(g, "place.city")),
      neighborhood_(optional_array<int32_t>(g, "place.neighborhood")),
      price_band_(optional_array<int32_t>(g, "place.price_band")),
      time_slot_(optional_array<int32_t>(g, "place.time_slot")),
      home_city_(optional_array<int32_t>(g, "user.home_city")),
      lat_(optional_array<double>(g, "place.lat")),
      lon_(optional_array<double>(g, "place.lon")),
      categories_(optional_relation(g, "place_category")),
      tags_(optional_relation(g, "place_tag")) {
  // Places grouped by city (a counting sort keeps rows ascending within a city).
  city_offsets_.assign(static_cast<size_t>(std::max<int64_t>(n_cities_, 0)) + 1, 0);
  auto known = [&](int32_t city) { return city >= 0 && city < n_cities_; };
  for (int32_t city : city_)
    if (known(city)) ++city_offsets_[static_cast<size_t>(city) + 1];
  for (size_t i = 1; i < city_offsets_.size(); ++i) city_offsets_[i] += city_offsets_[i - 1];
  city_places_.resize(static_cast<size_t>(city_offsets_.back()));
  std::vector<int64_t> next(city_offsets_.begin(), city_offsets_.end() - 1);
  for (size_t p = 0; p < city_.size(); ++p)
    if (known(city_[p]))
      city_places_[static_cast<size_t>(next[static_cast<size_t>(city_[p])]++)] =
          static_cast<int32_t>(p);
}

std::span<const int32_t> PlaceCatalogue::places_in_city(int64_t city) const {
  if (city < 0 || city >= n_cities_) return {};
  const auto begin = city_offsets_[static_cast<size_t>(city)],
             end = city_offsets_[static_cast<size_t>(city) + 1];
  return std::span<const int32_t>(city_places_)
      .subspan(static_cast<size_t>(begin), static_cast<size_t>(end - begin));
}

double PlaceCatalogue::lat(int32_t place) const {
  return lat_.empty() ? std::numeric_limits<double>::quiet_NaN() : lat_[static_cast<size_t>(place)];
}
double PlaceCatalogue::lon(int32_t place) const {
  return lon_.empty() ? std::numeric_limits<double>::quiet_NaN() : lon_[static_cast<size_t>(place)];
}

std::span<const int32_t> PlaceCatalogue::categories(int32_t place) const {
  return categories_.offsets.empty() ? std::span<const int32_t>() : categories_.row(place);
}
std::span<const int32_t> PlaceCatalogue::tags(int32_t place) const {
  return tags_.offsets.empty() ? std::span<const int32_t>() : tags_.row(place);
}
bool PlaceCatalogue::has_category(int32_t place, int32_t category) const {
  const auto c = categories(place);
  return std::binary_search(c.begin(), c.end(), category);
}

void PlaceCatalogue::check_city(int64_t city) const {
  check_id("city", city, n_cities_);
}
void PlaceCatalogue::check_neighborhood(int64_t n) const {
  check_id("neighborhood", n, n_neighborhoods_);
}
void PlaceCatalogue::check_category(int64_t c) const {
  check_id("category", c, n_categories_);
}

double haversine_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusKm = 6371.0088;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace recsys::recommend
