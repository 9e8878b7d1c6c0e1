#include "recsys/data/geo_clustering.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "recsys/core/error.h"

namespace recsys::data {

namespace {

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
constexpr double kMinRadiusKm = 0.01;  // keeps grid cell indices within 21 bits

struct Vec3 {
  double x, y, z;
};

Vec3 unit_vector(double lat, double lon) {
  const double la = lat * kDegToRad, lo = lon * kDegToRad;
  return {std::cos(la) * std::cos(lo), std::cos(la) * std::sin(lo), std::sin(la)};
}

double squared_chord(const Vec3& a, const Vec3& b) {
  const double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
  return dx * dx + dy * dy + dz * dz;
}

// Chord length (on the unit sphere) of a great-circle distance in km.
double chord_of(double km) {
  const double angle = std::min(km / kEarthRadiusKm, 3.14159265358979323846);
  return 2.0 * std::sin(angle / 2.0);
}

// Points bucketed in cubic cells of side `cell`; for_each_near visits every
// point whose cell is adjacent to the query's (a superset of the points within `cell`).
class PointGrid {
 public:
  PointGrid(const std::vector<Vec3>& points, double cell) : cell_(cell) {
    std::vector<std::pair<uint64_t, int32_t>> keyed(points.size());
    for (size_t i = 0; i < points.size(); ++i)
      keyed[i] = {key_of(points[i], 0, 0, 0), static_cast<int32_t>(i)};
    std::sort(keyed.begin(), keyed.end());
    order_.resize(keyed.size());
    for (size_t i = 0; i < keyed.size(); ++i) {
      order_[i] = keyed[i].second;
      auto [it, inserted] = cells_.try_emplace(keyed[i].first, static_cast<uint32_t>(i),
                                               static_cast<uint32_t>(i + 1));
      if (!inserted) it->second.second = static_cast<uint32_t>(i + 1);
    }
  }

  // Number of points in the 27 cells around p's cell (p's own cell included).
  int64_t count_near(const Vec3& p) const {
    int64_t n = 0;
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          const auto it = cells_.find(key_of(p, dx, dy, dz));
          if (it != cells_.end()) n += it->second.second - it->second.first;
        }
    return n;
  }

  template <typename Fn>
  void for_each_near(const Vec3& p, Fn&& fn) const {
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          const auto it = cells_.find(key_of(p, dx, dy, dz));
          if (it == cells_.end()) continue;
          for (uint32_t k = it->second.first; k < it->second.second; ++k) fn(order_[k]);
        }
  }

 private:
  uint64_t key_of(const Vec3& p, int dx, int dy, int dz) const {
    const auto axis = [&](double v, int d) {
      return static_cast<uint64_t>(static_cast<int64_t>(std::floor(v / cell_)) + d + (1 << 20)) &
             0x1fffff;
    };
    return (axis(p.x, dx) << 42) | (axis(p.y, dy) << 21) | axis(p.z, dz);
  }

  double cell_;
  std::vector<int32_t> order_;
  std::unordered_map<uint64_t, std::pair<uint32_t, uint32_t>> cells_;
};

void check_radius(double km, const char* name) {
  if (!(km >= kMinRadiusKm) || !std::isfinite(km))
    throw InvalidArgument(
        fmt::format("{} must be a finite number >= {} km, not {}", name, kMinRadiusKm, km));
}

std::vector<int32_t> cover(const std::vector<Vec3>& points, double radius_km) {
  const size_t n = points.size();
  std::vector<int32_t> label(n, -1);
  if (n == 0) return label;
  const double chord = chord_of(radius_km);
  const double chord2 = chord * chord;

  // 1. Density: points in the 3 x 3 x 3 block of grid cells (side: chord of radius / 4) around
  // each point. Linear time, unlike exact neighbour counts in a dense city.
  std::vector<int64_t> density(n, 0);
  {
    PointGrid fine(points, chord_of(radius_km / 4.0));
    for (size_t i = 0; i < n; ++i) density[i] = fine.count_near(points[i]);
  }
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return density[static_cast<size_t>(a)] > density[static_cast<size_t>(b)];
  });

  // 2. Greedy seeds, each claiming the unassigned points within the radius.
  PointGrid grid(points, chord);
  std::vector<int32_t> seeds;
  for (int32_t s : order) {
    if (label[static_cast<size_t>(s)] >= 0) continue;
    const int32_t id = static_cast<int32_t>(seeds.size());
    seeds.push_back(s);
    const Vec3& p = points[static_cast<size_t>(s)];
    grid.for_each_near(p, [&](int32_t j) {
      if (label[static_cast<size_t>(j)] < 0 &&
          squared_chord(p, points[static_cast<size_t>(j)]) <= chord2)
        label[static_cast<size_t>(j)] = id;
    });
  }

  // 3. Each point to its nearest seed within the radius (its own claimant qualifies).
  std::vector<Vec3> seed_points(seeds.size());
  for (size_t k = 0; k < seeds.size(); ++k) seed_points[k] = points[static_cast<size_t>(seeds[k])];
  PointGrid seed_grid(seed_points, chord);
  for (size_t i = 0; i < n; ++i) {
    int32_t best = label[i];
    double best_d = squared_chord(points[i], seed_points[static_cast<size_t>(best)]);
    seed_grid.for_each_near(points[i], [&](int32_t k) {
      const double d = squared_chord(points[i], seed_points[static_cast<size_t>(k)]);
      if (d < best_d || (d == best_d && k < best)) {
        best = k;
        best_d = d;
      }
    });
    label[i] = best;
  }

  // 4. Renumber by decreasing size (ties: seed order), so cluster 0 is the largest.
  std::vector<int32_t> size(seeds.size(), 0);
  for (int32_t l : label) ++size[static_cast<size_t>(l)];
  std::vector<int32_t> by_size(seeds.size());
  std::iota(by_size.begin(), by_size.end(), 0);
  std::stable_sort(by_size.begin(), by_size.end(), [&](int32_t a, int32_t b) {
    return size[static_cast<size_t>(a)] > size[static_cast<size_t>(b)];
  });
  std::vector<int32_t> new_id(seeds.size());
  for (size_t k = 0; k < by_size.size(); ++k)
    new_id[static_cast<size_t>(by_size[k])] = static_cast<int32_t>(k);
  for (auto& l : label) l = new_id[static_cast<size_t>(l)];
  return label;
}

std::vector<Vec3> to_points(const std::vector<double>& lat, const std::vector<double>& lon) {
  if (lat.size() != lon.size())
    throw InvalidArgument(
        fmt::format("cluster_places: {} latitudes but {} longitudes", lat.size(), lon.size()));
  std::vector<Vec3> points(lat.size());
  for (size_t i = 0; i < lat.size(); ++i) {
    if (!(lat[i] >= -90.0 && lat[i] <= 90.0) || !(lon[i] >= -180.0 && lon[i] <= 180.0))
      throw InvalidArgument(fmt::format("cluster_places: point {} has invalid coordinates ({}, {})",
                                        i, lat[i], lon[i]));
    points[i] = unit_vector(lat[i], lon[i]);
  }
  return points;
}

// Centroid of the members' unit vectors, as (lat, lon) in degrees.
std::pair<double, double> centroid(const Vec3& sum) {
  const double norm = std::sqrt(sum.x * sum.x + sum.y * sum.y + sum.z * sum.z);
  if (norm == 0.0) return {0.0, 0.0};
  const double z = std::clamp(sum.z / norm, -1.0, 1.0);
  return {std::asin(z) / kDegToRad, std::atan2(sum.y, sum.x) / kDegToRad};
}

}  // namespace

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
  const double chord = std::sqrt(squared_chord(unit_vector(lat1, lon1), unit_vector(lat2, lon2)));
  return 2.0 * std::asin(std::min(1.0, chord / 2.0)) * kEarthRadiusKm;
}

std::vector<int32_t> radius_cover(const std::vector<double>& lat, const std::vector<double>& lon,
                                  double radius_km) {
  check_radius(radius_km, "radius");
  return cover(to_points(lat, lon), radius_km);
}

GeoClusters cluster_places(const std::vector<double>& lat, const std::vector<double>& lon,
                           const GeoClusteringOptions& options) {
  check_radius(options.city_radius_km, "city radius");
  check_radius(options.neighborhood_radius_km, "neighborhood radius");
  const std::vector<Vec3> points = to_points(lat, lon);
  const size_t n = points.size();
  GeoClusters g;
  g.place_city = cover(points, options.city_radius_km);
  g.place_neighborhood.assign(n, -1);
  const int32_t n_cities =
      n == 0 ? 0 : *std::max_element(g.place_city.begin(), g.place_city.end()) + 1;

  std::vector<std::vector<int32_t>> members(static_cast<size_t>(n_cities));
  for (size_t i = 0; i < n; ++i)
    members[static_cast<size_t>(g.place_city[i])].push_back(static_cast<int32_t>(i));

  for (int32_t c = 0; c < n_cities; ++c) {
    const auto& m = members[static_cast<size_t>(c)];
    std::vector<Vec3> sub(m.size());
    Vec3 sum{0, 0, 0};
    for (size_t k = 0; k < m.size(); ++k) {
      sub[k] = points[static_cast<size_t>(m[k])];
      sum.x += sub[k].x;
      sum.y += sub[k].y;
      sum.z += sub[k].z;
    }
    const auto [clat, clon] = centroid(sum);
    g.city_lat.push_back(clat);
    g.city_lon.push_back(clon);
    g.city_places.push_back(static_cast<int32_t>(m.size()));

    const std::vector<int32_t> local = cover(sub, options.neighborhood_radius_km);
    const int32_t n_local = *std::max_element(local.begin(), local.end()) + 1;
    const int32_t offset = static_cast<int32_t>(g.neighborhood_city.size());
    std::vector<Vec3> sums(static_cast<size_t>(n_local), Vec3{0, 0, 0});
    std::vector<int32_t> counts(static_cast<size_t>(n_local), 0);
    for (size_t k = 0; k < m.size(); ++k) {
      const size_t l = static_cast<size_t>(local[k]);
      g.place_neighborhood[static_cast<size_t>(m[k])] = offset + local[k];
      sums[l].x += sub[k].x;
      sums[l].y += sub[k].y;
      sums[l].z += sub[k].z;
      ++counts[l];
    }
    for (int32_t l = 0; l < n_local; ++l) {
      const auto [nlat, nlon] = centroid(sums[static_cast<size_t>(l)]);
      g.neighborhood_city.push_back(c);
      g.neighborhood_lat.push_back(nlat);
      g.neighborhood_lon.push_back(nlon);
      g.neighborhood_places.push_back(counts[static_cast<size_t>(l)]);
    }
    g.city_neighborhoods.push_back(n_local);
  }
  return g;
}

}  // namespace recsys::data
