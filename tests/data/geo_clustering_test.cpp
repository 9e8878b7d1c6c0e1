// Geo clustering: distances, the radius guarantee, determinism, cities and neighborhoods.
#include "recsys/data/geo_clustering.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "recsys/core/error.h"

namespace recsys::data {
namespace {

TEST(GeoClustering, GreatCircleDistance) {
  EXPECT_NEAR(great_circle_km(0, 0, 0, 1), 111.195, 0.01);  // one degree of the equator
  EXPECT_NEAR(great_circle_km(51.5074, -0.1278, 48.8566, 2.3522), 343.5, 1.0);  // London-Paris
  EXPECT_NEAR(great_circle_km(0, 179.9, 0, -179.9), 22.24, 0.01);  // across the antimeridian
  EXPECT_DOUBLE_EQ(great_circle_km(10, 20, 10, 20), 0.0);
}

// Points scattered around a few centres (in degrees), deterministic.
void scatter(std::vector<double>& lat, std::vector<double>& lon, double clat, double clon,
             double spread_deg, int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d(0.0, spread_deg);
  for (int i = 0; i < n; ++i) {
    lat.push_back(clat + d(rng));
    lon.push_back(clon + d(rng));
  }
}

TEST(GeoClustering, EveryMemberIsWithinTheRadiusOfItsSeedAndSeparateGroupsSplit) {
  std::vector<double> lat, lon;
  scatter(lat, lon, 40.44, -79.99, 0.05, 300, 1);   // Pittsburgh
  scatter(lat, lon, 36.17, -115.14, 0.08, 300, 2);  // Las Vegas
  scatter(lat, lon, 0.0, 179.95, 0.02, 50, 3);      // straddling the antimeridian
  for (auto& x : lon) x = x > 180 ? x - 360 : x;
  const double radius = 25.0;
  const auto labels = radius_cover(lat, lon, radius);
  ASSERT_EQ(labels.size(), lat.size());
  // The groups never share a cluster; the antimeridian group is one cluster.
  std::set<int32_t> a(labels.begin(), labels.begin() + 300),
      b(labels.begin() + 300, labels.begin() + 600), c(labels.begin() + 600, labels.end());
  for (int32_t x : a) EXPECT_EQ(b.count(x) + c.count(x), 0u);
  for (int32_t x : b) EXPECT_EQ(c.count(x), 0u);
  EXPECT_EQ(c.size(), 1u);
  // Diameter of every cluster <= 2 x radius.
  for (size_t i = 0; i < lat.size(); ++i)
    for (size_t j = i + 1; j < lat.size(); ++j)
      if (labels[i] == labels[j]) {
        ASSERT_LE(great_circle_km(lat[i], lon[i], lat[j], lon[j]), 2 * radius);
      }
  // Same input, same labels.
  EXPECT_EQ(radius_cover(lat, lon, radius), labels);
}

TEST(GeoClustering, CitiesContainNeighborhoods) {
  std::vector<double> lat, lon;
  scatter(lat, lon, 40.44, -79.99, 0.05, 400, 4);
  scatter(lat, lon, 33.45, -112.07, 0.1, 400, 5);
  GeoClusteringOptions o;
  o.city_radius_km = 50;
  o.neighborhood_radius_km = 2;
  const auto g = cluster_places(lat, lon, o);
  ASSERT_EQ(g.city_places.size(), 2u);
  EXPECT_EQ(g.city_places[0] + g.city_places[1], 800);
  EXPECT_GT(g.neighborhood_city.size(), 4u);  // a 5-10 km spread needs several 2 km cells
  for (size_t i = 0; i < lat.size(); ++i) {
    const size_t nb = static_cast<size_t>(g.place_neighborhood[i]);
    ASSERT_LT(nb, g.neighborhood_city.size());
    EXPECT_EQ(g.neighborhood_city[nb], g.place_city[i]);
    EXPECT_LE(great_circle_km(lat[i], lon[i], g.neighborhood_lat[nb], g.neighborhood_lon[nb]), 4.0);
  }
  int32_t total = 0;
  for (int32_t k : g.neighborhood_places) total += k;
  EXPECT_EQ(total, 800);
  EXPECT_NEAR(g.city_lat[0], lat[0] < 38 ? 33.45 : 40.44, 0.05);
}

TEST(GeoClustering, RejectsBadInput) {
  EXPECT_THROW(radius_cover({0.0}, {0.0, 1.0}, 1.0), InvalidArgument);
  EXPECT_THROW(radius_cover({91.0}, {0.0}, 1.0), InvalidArgument);
  EXPECT_THROW(radius_cover({0.0}, {0.0}, 0.0), InvalidArgument);
  EXPECT_THROW(radius_cover({std::nan("")}, {0.0}, 1.0), InvalidArgument);
  EXPECT_TRUE(radius_cover({}, {}, 1.0).empty());
  const auto g = cluster_places({}, {});
  EXPECT_TRUE(g.city_places.empty());
}

}  // namespace
}  // namespace recsys::data
