#pragma once
// Users: home city (city-weighted) and 1-3 frequent neighborhoods there,
// category preferences ~ Dirichlet, fine-tag interests ~ Dirichlet biased by the
// category preferences (both sum to 1), 3-10 vibe traits and behavioural
// statistics (sessions over the period, views per session, like/save/share/
// attend rates). User u is generated from its own stream (seed, User, u) alone.
#include <cstdint>
#include <vector>

#include "recsys/synthetic/config.h"
#include "recsys/synthetic/geography.h"

namespace recsys::synthetic {

struct UserTable {
  int n_categories = 0;
  int n_tags = 0;
  std::vector<int32_t> user_id, home_city_id, home_neighborhood_id;
  std::vector<double> home_lat, home_lon;
  std::vector<float> category_pref;  // rows x n_categories, each row sums to 1
  std::vector<float> tag_pref;       // rows x n_tags, each row sums to 1
  std::vector<int64_t> vibe_offsets{0};
  std::vector<int32_t> vibe_ids;  // ascending per user
  std::vector<int64_t> frequent_offsets{0};
  std::vector<int32_t> frequent_neighborhood_ids;  // first = home neighborhood
  std::vector<int32_t> sessions;
  std::vector<float> views_per_session, like_rate, save_rate, share_rate, attend_rate;

  size_t size() const { return user_id.size(); }
  const float* category_row(size_t row) const {
    return category_pref.data() + row * static_cast<size_t>(n_categories);
  }
  const float* tag_row(size_t row) const {
    return tag_pref.data() + row * static_cast<size_t>(n_tags);
  }
};

// Users [begin, end) (ids); any range gives the same rows for the same ids.
UserTable generate_users(const SyntheticConfig& config, const Geography& geography, int begin,
                         int end);
UserTable generate_users(const SyntheticConfig& config, const Geography& geography);

}  // namespace recsys::synthetic
