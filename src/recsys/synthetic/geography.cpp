#include "recsys/synthetic/geography.h"

#include <cmath>
#include <numbers>

#include "recsys/core/random_stream.h"

namespace recsys::synthetic {

namespace {
constexpr double kKmPerDegree = 111.195;
}

double distance_km(double lat1, double lon1, double lat2, double lon2) {
  const double mean_lat = (lat1 + lat2) * 0.5 * std::numbers::pi / 180.0;
  const double dx = (lon2 - lon1) * std::cos(mean_lat);
  const double dy = lat2 - lat1;
  return kKmPerDegree * std::sqrt(dx * dx + dy * dy);
}

double Geography::neighborhood_distance_km(int a, int b) const {
  return distance_km(
      neighborhood_lat[static_cast<size_t>(a)], neighborhood_lon[static_cast<size_t>(a)],
      neighborhood_lat[static_cast<size_t>(b)], neighborhood_lon[static_cast<size_t>(b)]);
}

Geography generate_geography(const SyntheticConfig& config) {
  Geography g;
  const int n_cities = config.n_cities;
  const int per_city = config.neighborhoods_per_city;
  g.neighborhoods_per_city = per_city;
  double total = 0;
  for (int c = 0; c < n_cities; ++c) {
    const double w = 1.0 / std::pow(c + 1.0, config.city_weight_exponent);
    g.city_weight.push_back(w);
    total += w;
    RandomStream rng(static_cast<uint64_t>(config.seed), StreamKind::City,
                     static_cast<uint64_t>(c));
    g.city_lat.push_back(rng.uniform(-40.0, 60.0));
    g.city_lon.push_back(rng.uniform(-125.0, 145.0));
  }
  for (double& w : g.city_weight) w /= total;

  const size_t n = static_cast<size_t>(n_cities) * static_cast<size_t>(per_city);
  g.neighborhood_city.resize(n);
  g.neighborhood_weight.resize(n);
  g.neighborhood_lat.resize(n);
  g.neighborhood_lon.resize(n);
  for (int c = 0; c < n_cities; ++c) {
    double city_total = 0;
    for (int k = 0; k < per_city; ++k) {
      const size_t id =
          static_cast<size_t>(c) * static_cast<size_t>(per_city) + static_cast<size_t>(k);
      RandomStream rng(static_cast<uint64_t>(config.seed), StreamKind::Neighborhood, id);
      // Central neighborhoods (low k) are the big ones: radius grows with k.
      const double r = config.city_radius_km * std::sqrt((k + rng.uniform()) / per_city);
      const double angle = rng.uniform(0.0, 2.0 * std::numbers::pi);
      const double clat = g.city_lat[static_cast<size_t>(c)];
      g.neighborhood_city[id] = c;
      g.neighborhood_lat[id] = clat + r * std::sin(angle) / kKmPerDegree;
      g.neighborhood_lon[id] =
          g.city_lon[static_cast<size_t>(c)] +
          r * std::cos(angle) / (kKmPerDegree * std::cos(clat * std::numbers::pi / 180.0));
      g.neighborhood_weight[id] = 1.0 / std::pow(k + 1.0, config.neighborhood_weight_exponent);
      city_total += g.neighborhood_weight[id];
    }
    for (int k = 0; k < per_city; ++k)
      g.neighborhood_weight[static_cast<size_t>(c * per_city + k)] /= city_total;
  }
  return g;
}

}  // namespace recsys::synthetic
