#pragma once
// Cities and neighborhoods: Zipf-skewed city weights, neighborhood centres
// scattered around each city centre. Everything is derived from (seed, id), so
// it is the same for any number of users or places.
#include <cstdint>
#include <vector>

#include "recsys/synthetic/config.h"

namespace recsys::synthetic {

struct Geography {
  std::vector<double> city_weight;  // normalised, sums to 1
  std::vector<double> city_lat, city_lon;
  // Neighborhood n belongs to city n / neighborhoods_per_city.
  std::vector<int32_t> neighborhood_city;
  std::vector<double> neighborhood_weight;  // within its city, sums to 1 per city
  std::vector<double> neighborhood_lat, neighborhood_lon;
  int neighborhoods_per_city = 0;

  int n_cities() const { return static_cast<int>(city_weight.size()); }
  int first_neighborhood(int city) const { return city * neighborhoods_per_city; }
  // Distance in km between two neighborhood centres (equirectangular approximation).
  double neighborhood_distance_km(int a, int b) const;
};

Geography generate_geography(const SyntheticConfig& config);

// Equirectangular distance in km, accurate at city scale.
double distance_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace recsys::synthetic
