#pragma once
// The true preference of a user for a place: the latent model the interactions
// are sampled from, and the oracle a later evaluation stage ranks places with.
//
//   score = w_interest   * cosine(user fine-tag interests, place tag vector)
//         + w_category   * sum over the place's categories of category_pref / (count * max
//         category_pref)
//         + w_location   * (1 in a frequent neighborhood; 0.6 exp(-km between home and
//                           place neighborhood centres / decay) elsewhere in the home city; 0
//                           elsewhere)
//         + w_popularity * sigmoid((log popularity - popularity_log_mean) / popularity_log_sd)
//
// Each factor lies in [0, 1]. A place is chosen with probability ∝ exp(score / temperature).
#include <cstdint>
#include <vector>

#include "recsys/synthetic/config.h"
#include "recsys/synthetic/geography.h"
#include "recsys/synthetic/places.h"
#include "recsys/synthetic/users.h"

namespace recsys::synthetic {

struct PreferenceComponents {
  float interest = 0, category = 0, location = 0, popularity = 0, score = 0;
};

class PreferenceModel {
 public:
  // Keeps references to the tables; they must outlive the model.
  PreferenceModel(const SyntheticConfig& config, const Geography& geography, const UserTable& users,
                  const PlaceTable& places);

  PreferenceComponents components(size_t user_row, size_t place_row) const;
  float true_preference_score(size_t user_row, size_t place_row) const {
    return components(user_row, place_row).score;
  }
  // Fast path for scoring many places of one user: the location factor of each
  // neighborhood of the user's home city (neighborhoods_per_city values) ...
  void home_city_location_factors(size_t user_row, std::vector<float>& out) const;
  // ... then the score of a place given them (identical to true_preference_score).
  float score_with(size_t user_row, size_t place_row,
                   const std::vector<float>& location_factors) const;

  // Fast path for one user's home city: the rows of the city's places (ascending)
  // and their scores, bit-identical to true_preference_score (same operations in
  // the same order, on a compact per-city copy of the places).
  const std::vector<int32_t>& city_place_rows(int city) const {
    return city_rows_[static_cast<size_t>(city)];
  }
  void score_home_city(size_t user_row, std::vector<float>& scores) const;
  // The score of the index-th place of `city` (city_place_rows order) for a user
  // at the given location factor (0 outside the home city); identical to
  // true_preference_score. Requires has_compact_places().
  bool has_compact_places() const { return compact_ok_; }
  float score_city_place(size_t user_row, int city, size_t index, float location) const;
  const float* user_tag_unit(size_t user_row) const {
    return user_tag_unit_.data() + user_row * static_cast<size_t>(users_.n_tags);
  }
  const float* user_category_scaled(size_t user_row) const {
    return user_category_scaled_.data() + user_row * static_cast<size_t>(users_.n_categories);
  }
  float popularity_factor(size_t place_row) const { return place_popularity_factor_[place_row]; }
  float weight_interest() const { return w_interest_; }
  float weight_category() const { return w_category_; }
  float weight_popularity() const { return w_popularity_; }

  // Scores of all places (in table order) for one user, into `out`.
  void score_all_places(size_t user_row, std::vector<float>& out) const;

  const UserTable& users() const { return users_; }
  const Geography& geography() const { return geography_; }
  const PlaceTable& places() const { return places_; }

 private:
  PreferenceComponents combine(size_t user_row, size_t place_row, float location) const;
  float interest(const float* user_tags, size_t place_row) const;
  float category(const float* user_categories, size_t place_row) const;
  float weighted(float interest, float category, float location, size_t place_row) const {
    return w_interest_ * interest + w_category_ * category + w_location_ * location +
           w_popularity_ * place_popularity_factor_[place_row];
  }

  const SyntheticConfig& config_;
  const Geography& geography_;
  const UserTable& users_;
  const PlaceTable& places_;
  std::vector<float> user_tag_unit_;         // users x n_tags, L2-normalised interests
  std::vector<float> user_category_scaled_;  // users x n_categories, divided by the row max
  std::vector<float> place_tag_unit_;  // parallel to places.tag_weights, L2-normalised per place
  std::vector<float> place_popularity_factor_;
  float w_interest_, w_category_, w_location_, w_popularity_;

  static constexpr int kMaxTags = 8;
  struct CompactPlace {  // tags padded with weight 0 (adding +0 changes no sum)
    uint16_t tags[kMaxTags];
    float tag_unit[kMaxTags];
    uint16_t categories[2];
    float category_mask[2];  // 1 for a real category, 0 for padding
    float category_count;
    float popularity_factor;
    int32_t neighborhood_local;
  };
  bool compact_ok_ = false;  // false when a place has more tags / categories than fit
  std::vector<std::vector<int32_t>> city_rows_;
  std::vector<std::vector<CompactPlace>> city_compact_;
};

inline float PreferenceModel::score_city_place(size_t u, int city, size_t index,
                                               float location) const {
  const float* tags = user_tag_unit_.data() + u * static_cast<size_t>(users_.n_tags);
  const float* cats = user_category_scaled_.data() + u * static_cast<size_t>(users_.n_categories);
  const CompactPlace& c = city_compact_[static_cast<size_t>(city)][index];
  float interest = 0;
  for (int k = 0; k < kMaxTags; ++k) interest += tags[c.tags[k]] * c.tag_unit[k];
  float category = 0;
  category += cats[c.categories[0]] * c.category_mask[0];
  category += cats[c.categories[1]] * c.category_mask[1];
  category = c.category_count > 0 ? category / c.category_count : 0.0f;
  return w_interest_ * interest + w_category_ * category + w_location_ * location +
         w_popularity_ * c.popularity_factor;
}

}  // namespace recsys::synthetic
