#include "recsys/synthetic/preference_model.h"

#include <algorithm>
#include <cmath>

namespace recsys::synthetic {

PreferenceModel::PreferenceModel(const SyntheticConfig& config, const Geography& geography,
                                 const UserTable& users, const PlaceTable& places)
    : config_(config),
      geography_(geography),
      users_(users),
      places_(places),
      w_interest_(static_cast<float>(config.weight_interest)),
      w_category_(static_cast<float>(config.weight_category)),
      w_location_(static_cast<float>(config.weight_location)),
      w_popularity_(static_cast<float>(config.weight_popularity)) {
  const size_t n_tags = static_cast<size_t>(users.n_tags);
  const size_t n_cats = static_cast<size_t>(users.n_categories);
  user_tag_unit_.resize(users.size() * n_tags);
  user_category_scaled_.resize(users.size() * n_cats);
  for (size_t u = 0; u < users.size(); ++u) {
    const float* row = users.tag_row(u);
    double norm = 0;
    for (size_t k = 0; k < n_tags; ++k) norm += static_cast<double>(row[k]) * row[k];
    norm = std::sqrt(norm);
    for (size_t k = 0; k < n_tags; ++k)
      user_tag_unit_[u * n_tags + k] = norm > 0 ? static_cast<float>(row[k] / norm) : 0.0f;
    const float* cats = users.category_row(u);
    const float max_pref = *std::max_element(cats, cats + n_cats);
    for (size_t c = 0; c < n_cats; ++c)
      user_category_scaled_[u * n_cats + c] = max_pref > 0 ? cats[c] / max_pref : 0.0f;
  }
  place_tag_unit_.resize(places.tag_weights.size());
  place_popularity_factor_.resize(places.size());
  for (size_t p = 0; p < places.size(); ++p) {
    double norm = 0;
    for (int64_t i = places.tag_offsets[p]; i < places.tag_offsets[p + 1]; ++i) {
      const double w = places.tag_weights[static_cast<size_t>(i)];
      norm += w * w;
    }
    norm = std::sqrt(norm);
    for (int64_t i = places.tag_offsets[p]; i < places.tag_offsets[p + 1]; ++i)
      place_tag_unit_[static_cast<size_t>(i)] =
          norm > 0 ? static_cast<float>(places.tag_weights[static_cast<size_t>(i)] / norm) : 0.0f;
    const double z =
        (std::log(std::max(places.popularity[p], 1e-30f)) - config.popularity_log_mean) /
        config.popularity_log_sd;
    place_popularity_factor_[p] = static_cast<float>(1.0 / (1.0 + std::exp(-z)));
  }
  // Compact per-city copies for the home-city fast path.
  city_rows_.assign(static_cast<size_t>(config.n_cities), {});
  city_compact_.assign(static_cast<size_t>(config.n_cities), {});
  compact_ok_ = users.n_tags <= 65536 && users.n_categories <= 65536;
  for (size_t p = 0; p < places.size(); ++p) {
    compact_ok_ = compact_ok_ && places.tag_offsets[p + 1] - places.tag_offsets[p] <= kMaxTags &&
                  places.category_offsets[p + 1] - places.category_offsets[p] <= 2;
  }
  for (size_t p = 0; p < places.size(); ++p) {
    const auto city = static_cast<size_t>(places.city_id[p]);
    city_rows_[city].push_back(static_cast<int32_t>(p));
    if (!compact_ok_) continue;
    CompactPlace c{};
    int k = 0;
    for (int64_t i = places.tag_offsets[p]; i < places.tag_offsets[p + 1]; ++i, ++k) {
      c.tags[k] = static_cast<uint16_t>(places.tag_ids[static_cast<size_t>(i)]);
      c.tag_unit[k] = place_tag_unit_[static_cast<size_t>(i)];
    }
    int j = 0;
    for (int64_t i = places.category_offsets[p]; i < places.category_offsets[p + 1]; ++i, ++j) {
      c.categories[j] = static_cast<uint16_t>(places.category_ids[static_cast<size_t>(i)]);
      c.category_mask[j] = 1.0f;
    }
    c.category_count = static_cast<float>(j);
    c.popularity_factor = place_popularity_factor_[p];
    c.neighborhood_local =
        places.neighborhood_id[p] - geography.first_neighborhood(places.city_id[p]);
    city_compact_[city].push_back(c);
  }
}

void PreferenceModel::score_home_city(size_t u, std::vector<float>& scores) const {
  const auto city = static_cast<size_t>(users_.home_city_id[u]);
  const auto& rows = city_rows_[city];
  scores.resize(rows.size());
  std::vector<float> factors;
  home_city_location_factors(u, factors);
  if (!compact_ok_) {
    for (size_t i = 0; i < rows.size(); ++i)
      scores[i] = score_with(u, static_cast<size_t>(rows[i]), factors);
    return;
  }
  for (size_t i = 0; i < rows.size(); ++i)
    scores[i] =
        score_city_place(u, static_cast<int>(city), i,
                         factors[static_cast<size_t>(city_compact_[city][i].neighborhood_local)]);
}

void PreferenceModel::home_city_location_factors(size_t user_row, std::vector<float>& out) const {
  const int per_city = geography_.neighborhoods_per_city;
  const int home = users_.home_neighborhood_id[user_row];
  const int first = geography_.first_neighborhood(users_.home_city_id[user_row]);
  out.resize(static_cast<size_t>(per_city));
  for (int k = 0; k < per_city; ++k) {
    const double d = geography_.neighborhood_distance_km(home, first + k);
    out[static_cast<size_t>(k)] =
        static_cast<float>(0.6 * std::exp(-d / config_.location_decay_km));
  }
  for (int64_t i = users_.frequent_offsets[user_row]; i < users_.frequent_offsets[user_row + 1];
       ++i)
    out[static_cast<size_t>(users_.frequent_neighborhood_ids[static_cast<size_t>(i)] - first)] =
        1.0f;
}

float PreferenceModel::interest(const float* tags, size_t p) const {
  float sum = 0;
  for (int64_t i = places_.tag_offsets[p]; i < places_.tag_offsets[p + 1]; ++i)
    sum += tags[places_.tag_ids[static_cast<size_t>(i)]] * place_tag_unit_[static_cast<size_t>(i)];
  return sum;
}

float PreferenceModel::category(const float* cats, size_t p) const {
  float sum = 0;
  const int64_t c0 = places_.category_offsets[p], c1 = places_.category_offsets[p + 1];
  for (int64_t i = c0; i < c1; ++i) sum += cats[places_.category_ids[static_cast<size_t>(i)]];
  return c1 > c0 ? sum / static_cast<float>(c1 - c0) : 0.0f;
}

PreferenceComponents PreferenceModel::combine(size_t u, size_t p, float location) const {
  PreferenceComponents c;
  c.interest = interest(user_tag_unit_.data() + u * static_cast<size_t>(users_.n_tags), p);
  c.category =
      category(user_category_scaled_.data() + u * static_cast<size_t>(users_.n_categories), p);
  c.location = location;
  c.popularity = place_popularity_factor_[p];
  c.score = weighted(c.interest, c.category, c.location, p);
  return c;
}

void PreferenceModel::score_all_places(size_t u, std::vector<float>& out) const {
  std::vector<float> factors;
  home_city_location_factors(u, factors);
  const float* tags = user_tag_unit_.data() + u * static_cast<size_t>(users_.n_tags);
  const float* cats = user_category_scaled_.data() + u * static_cast<size_t>(users_.n_categories);
  const int32_t home = users_.home_city_id[u];
  const int first = geography_.first_neighborhood(home);
  out.resize(places_.size());
  for (size_t p = 0; p < places_.size(); ++p) {
    const float location = places_.city_id[p] == home
                               ? factors[static_cast<size_t>(places_.neighborhood_id[p] - first)]
                               : 0.0f;
    out[p] = weighted(interest(tags, p), category(cats, p), location, p);
  }
}

float PreferenceModel::score_with(size_t u, size_t p, const std::vector<float>& factors) const {
  float location = 0.0f;
  if (places_.city_id[p] == users_.home_city_id[u])
    location = factors[static_cast<size_t>(places_.neighborhood_id[p] -
                                           geography_.first_neighborhood(places_.city_id[p]))];
  return combine(u, p, location).score;
}

PreferenceComponents PreferenceModel::components(size_t u, size_t p) const {
  float location = 0.0f;
  if (places_.city_id[p] == users_.home_city_id[u]) {
    const int nb = places_.neighborhood_id[p];
    bool frequent = false;
    for (int64_t i = users_.frequent_offsets[u]; i < users_.frequent_offsets[u + 1]; ++i)
      frequent = frequent || users_.frequent_neighborhood_ids[static_cast<size_t>(i)] == nb;
    if (frequent) {
      location = 1.0f;
    } else {
      const double d = geography_.neighborhood_distance_km(users_.home_neighborhood_id[u], nb);
      location = static_cast<float>(0.6 * std::exp(-d / config_.location_decay_km));
    }
  }
  return combine(u, p, location);
}

}  // namespace recsys::synthetic
