#include "recsys/synthetic/places.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "recsys/core/random_stream.h"

namespace recsys::synthetic {

void PlaceTable::dense_tag_vector(size_t row, float* out) const {
  std::fill(out, out + n_tags, 0.0f);
  for (int64_t i = tag_offsets[row]; i < tag_offsets[row + 1]; ++i)
    out[tag_ids[static_cast<size_t>(i)]] = tag_weights[static_cast<size_t>(i)];
}

namespace {
std::vector<double> prefix_sum(const std::vector<double>& w) {
  std::vector<double> c(w.size());
  double total = 0;
  for (size_t i = 0; i < w.size(); ++i) c[i] = (total += w[i]);
  return c;
}
}  // namespace

PlaceTable generate_places(const SyntheticConfig& config, const Geography& geo, int begin,
                           int end) {
  PlaceTable t;
  t.n_tags = config.n_tags();
  const auto city_cumulative = prefix_sum(geo.city_weight);
  const int per_city = config.neighborhoods_per_city;
  const size_t n = static_cast<size_t>(std::max(0, end - begin));
  t.place_id.reserve(n);
  std::vector<double> alpha, weights;
  for (int p = begin; p < end; ++p) {
    RandomStream rng(static_cast<uint64_t>(config.seed), StreamKind::Place,
                     static_cast<uint64_t>(p));
    const int city = static_cast<int>(rng.from_cumulative(city_cumulative));
    const int first = geo.first_neighborhood(city);
    const std::span<const double> nb_weights(geo.neighborhood_weight.data() + first,
                                             static_cast<size_t>(per_city));
    const int nb = first + static_cast<int>(rng.categorical(nb_weights));
    t.place_id.push_back(p);
    t.city_id.push_back(city);
    t.neighborhood_id.push_back(nb);
    const double lat0 = geo.neighborhood_lat[static_cast<size_t>(nb)];
    const double dlat = rng.normal() * config.neighborhood_radius_km / 111.195;
    const double dlon = rng.normal() * config.neighborhood_radius_km /
                        (111.195 * std::cos(lat0 * std::numbers::pi / 180.0));
    t.lat.push_back(lat0 + dlat);
    t.lon.push_back(geo.neighborhood_lon[static_cast<size_t>(nb)] + dlon);

    const int n_cats =
        static_cast<int>(rng.uniform_int(config.place_categories_min, config.place_categories_max));
    auto cats = rng.sample_distinct(config.n_categories, n_cats);
    std::sort(cats.begin(), cats.end());
    t.category_ids.insert(t.category_ids.end(), cats.begin(), cats.end());
    t.category_offsets.push_back(static_cast<int64_t>(t.category_ids.size()));

    // Tags come from the place's own categories only.
    const int pool = n_cats * config.tags_per_category;
    const int n_tags = static_cast<int>(
        rng.uniform_int(config.place_tags_min, std::min(config.place_tags_max, pool)));
    auto picks = rng.sample_distinct(pool, n_tags);
    std::vector<int32_t> tags;
    for (int32_t k : picks) {
      const int cat = cats[static_cast<size_t>(k / config.tags_per_category)];
      tags.push_back(cat * config.tags_per_category + k % config.tags_per_category);
    }
    std::sort(tags.begin(), tags.end());
    alpha.assign(tags.size(), config.place_tag_alpha);
    weights.assign(tags.size(), 0.0);
    rng.dirichlet(alpha, weights);
    for (size_t i = 0; i < tags.size(); ++i) {
      t.tag_ids.push_back(tags[i]);
      t.tag_weights.push_back(static_cast<float>(weights[i]));
    }
    t.tag_offsets.push_back(static_cast<int64_t>(t.tag_ids.size()));

    t.price_band.push_back(1 + static_cast<int32_t>(rng.categorical(config.price_band_weights)));
    t.time_slot.push_back(static_cast<int32_t>(rng.categorical(config.time_slot_weights)));
    t.popularity.push_back(
        static_cast<float>(rng.lognormal(config.popularity_log_mean, config.popularity_log_sd)));
  }
  return t;
}

PlaceTable generate_places(const SyntheticConfig& config, const Geography& geography) {
  return generate_places(config, geography, 0, config.n_places);
}

std::vector<std::vector<int32_t>> places_by_city(const PlaceTable& places, int n_cities) {
  std::vector<std::vector<int32_t>> out(static_cast<size_t>(n_cities));
  for (size_t i = 0; i < places.size(); ++i)
    out[static_cast<size_t>(places.city_id[i])].push_back(static_cast<int32_t>(i));
  return out;
}

}  // namespace recsys::synthetic
