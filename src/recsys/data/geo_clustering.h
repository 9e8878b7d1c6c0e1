#pragma once
// Cities and neighborhoods from place coordinates, so imported places carry the
// same city_id / neighborhood_id features as synthetic ones.
//
// Method (deterministic, no randomness, independent of input order except for
// ties broken by the lower index): a greedy radius cover seeded by density.
//   1. Every point gets a density: the number of points in the 3 x 3 x 3 block of
//      grid cells (side: the chord of radius / 4) around it.
//   2. Points are visited by decreasing density (ties: lower index); an
//      unassigned point becomes a new cluster seed and claims every unassigned
//      point within `radius` of it.
//   3. Every point then moves to the nearest seed within `radius` (ties: lower
//      cluster id), so clusters are Voronoi cells of the seeds, cut at `radius`.
//   4. Clusters are numbered by decreasing size (ties: seed order): cluster 0 is the largest.
// Every member is therefore within `radius` of its cluster's seed (a cluster's
// diameter is at most 2 x radius). Cities use city_radius_km over all places;
// neighborhoods run the same cover with neighborhood_radius_km inside each
// city. Distances are great-circle (points as unit vectors; neighbours found
// through a 3-D grid of cells one chord-radius wide).
#include <cstdint>
#include <vector>

namespace recsys::data {

struct GeoClusteringOptions {
  double city_radius_km = 50.0;
  double neighborhood_radius_km = 2.0;
};

struct GeoClusters {
  std::vector<int32_t> place_city;          // per place
  std::vector<int32_t> place_neighborhood;  // per place (ids global across cities)
  // Per city: centroid (mean of members' unit vectors), number of places and neighborhoods.
  std::vector<double> city_lat, city_lon;
  std::vector<int32_t> city_places, city_neighborhoods;
  // Per neighborhood: its city, centroid and number of places.
  std::vector<int32_t> neighborhood_city;
  std::vector<double> neighborhood_lat, neighborhood_lon;
  std::vector<int32_t> neighborhood_places;
};

// Throws InvalidArgument when lat/lon differ in size, a coordinate is outside
// [-90, 90] x [-180, 180] or a radius is not positive.
GeoClusters cluster_places(const std::vector<double>& lat, const std::vector<double>& lon,
                           const GeoClusteringOptions& options = {});

// Great-circle distance in km (mean Earth radius 6371.0088 km).
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

// Indices of the clusters: labels[i] for a radius cover of the given points
// (exposed for tests; cluster_places calls it for cities and per city).
std::vector<int32_t> radius_cover(const std::vector<double>& lat, const std::vector<double>& lon,
                                  double radius_km);

}  // namespace recsys::data
