#pragma once
// What the recommender knows about places and users besides their embeddings, read from the
// graph artifact (views into its mapped arrays: the graph must outlive the catalogue): per place
// city, neighborhood, price band, time slot, location, categories and tags; per user home city;
// raw id <-> row maps for both. City, neighborhood, category and tag ids are the graph's node
// indices, which are the data set's raw ids for those types.
#include <cstdint>
#include <span>
#include <vector>

#include "recsys/graph/graph_artifact.h"
#include "recsys/recommend/id_map.h"

namespace recsys::recommend {

class PlaceCatalogue {
 public:
  explicit PlaceCatalogue(const graph::GraphArtifact& graph);

  int64_t n_places() const { return places_.size(); }
  int64_t n_users() const { return users_.size(); }
  int64_t n_cities() const { return n_cities_; }
  int64_t n_neighborhoods() const { return n_neighborhoods_; }
  int64_t n_categories() const { return n_categories_; }
  int64_t n_tags() const { return n_tags_; }
  const IdMap& places() const { return places_; }
  const IdMap& users() const { return users_; }

  // -1 when unknown (or when the graph has no such array).
  int32_t city(int32_t place) const { return at(city_, place); }
  int32_t neighborhood(int32_t place) const { return at(neighborhood_, place); }
  int32_t price_band(int32_t place) const { return at(price_band_, place); }
  int32_t time_slot(int32_t place) const { return at(time_slot_, place); }
  int32_t home_city(int32_t user) const { return at(home_city_, user); }
  // NaN when unknown.
  double lat(int32_t place) const;
  double lon(int32_t place) const;
  // Ascending category / tag ids (empty when the graph has no such relation).
  std::span<const int32_t> categories(int32_t place) const;
  std::span<const int32_t> tags(int32_t place) const;
  bool has_category(int32_t place, int32_t category) const;
  // Ascending rows of the city's places (empty for an unknown city): a city filter, the most
  // common one, then looks at its own places only.
  std::span<const int32_t> places_in_city(int64_t city) const;

  // NotFound naming the kind and id unless 0 <= id < count.
  void check_city(int64_t city) const;
  void check_neighborhood(int64_t neighborhood) const;
  void check_category(int64_t category) const;

 private:
  static int32_t at(std::span<const int32_t> a, int32_t i) {
    return a.empty() ? -1 : a[static_cast<size_t>(i)];
  }
  IdMap places_, users_;
  int64_t n_cities_ = 0, n_neighborhoods_ = 0, n_categories_ = 0, n_tags_ = 0;
  std::span<const int32_t> city_, neighborhood_, price_band_, time_slot_, home_city_;
  std::span<const double> lat_, lon_;
  graph::CsrView categories_, tags_;
  std::vector<int64_t> city_offsets_;  // n_cities + 1, into city_places_
  std::vector<int32_t> city_places_;
};

// Great-circle distance in km between two points given in degrees.
double haversine_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace recsys::recommend
