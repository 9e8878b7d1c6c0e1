#include "recsys/synthetic/users.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "recsys/core/random_stream.h"

namespace recsys::synthetic {

UserTable generate_users(const SyntheticConfig& config, const Geography& geo, int begin, int end) {
  UserTable t;
  t.n_categories = config.n_categories;
  t.n_tags = config.n_tags();
  const size_t n = static_cast<size_t>(std::max(0, end - begin));
  t.user_id.reserve(n);
  t.category_pref.reserve(n * static_cast<size_t>(t.n_categories));
  t.tag_pref.reserve(n * static_cast<size_t>(t.n_tags));
  std::vector<double> city_cumulative(geo.city_weight.size());
  double total = 0;
  for (size_t c = 0; c < geo.city_weight.size(); ++c)
    city_cumulative[c] = (total += geo.city_weight[c]);

  const int per_city = config.neighborhoods_per_city;
  std::vector<double> cat_alpha(static_cast<size_t>(t.n_categories), config.user_category_alpha);
  std::vector<double> cat(static_cast<size_t>(t.n_categories));
  std::vector<double> tag_alpha(static_cast<size_t>(t.n_tags));
  std::vector<double> tag(static_cast<size_t>(t.n_tags));
  for (int u = begin; u < end; ++u) {
    RandomStream rng(static_cast<uint64_t>(config.seed), StreamKind::User,
                     static_cast<uint64_t>(u));
    const int city = static_cast<int>(rng.from_cumulative(city_cumulative));
    const int first = geo.first_neighborhood(city);
    std::vector<double> nb_weights(geo.neighborhood_weight.begin() + first,
                                   geo.neighborhood_weight.begin() + first + per_city);
    const int n_freq = static_cast<int>(
        rng.uniform_int(config.frequent_neighborhoods_min, config.frequent_neighborhoods_max));
    std::vector<int32_t> freq;
    for (int k = 0; k < n_freq; ++k) {  // weighted, without replacement
      const size_t pick = rng.categorical(nb_weights);
      nb_weights[pick] = 0.0;
      freq.push_back(first + static_cast<int32_t>(pick));
    }
    const int home = freq.front();
    t.user_id.push_back(u);
    t.home_city_id.push_back(city);
    t.home_neighborhood_id.push_back(home);
    const double lat0 = geo.neighborhood_lat[static_cast<size_t>(home)];
    t.home_lat.push_back(lat0 + rng.normal() * config.neighborhood_radius_km / 111.195);
    t.home_lon.push_back(geo.neighborhood_lon[static_cast<size_t>(home)] +
                         rng.normal() * config.neighborhood_radius_km /
                             (111.195 * std::cos(lat0 * std::numbers::pi / 180.0)));
    t.frequent_neighborhood_ids.insert(t.frequent_neighborhood_ids.end(), freq.begin(), freq.end());
    t.frequent_offsets.push_back(static_cast<int64_t>(t.frequent_neighborhood_ids.size()));

    rng.dirichlet(cat_alpha, cat);
    for (double x : cat) t.category_pref.push_back(static_cast<float>(x));
    for (int k = 0; k < t.n_tags; ++k)
      tag_alpha[static_cast<size_t>(k)] =
          config.user_tag_alpha_floor +
          config.user_tag_alpha_scale * cat[static_cast<size_t>(config.category_of_tag(k))];
    rng.dirichlet(tag_alpha, tag);
    for (double x : tag) t.tag_pref.push_back(static_cast<float>(x));

    const int n_vibes = static_cast<int>(rng.uniform_int(config.vibes_min, config.vibes_max));
    auto vibes = rng.sample_distinct(config.n_vibes, n_vibes);
    std::sort(vibes.begin(), vibes.end());
    t.vibe_ids.insert(t.vibe_ids.end(), vibes.begin(), vibes.end());
    t.vibe_offsets.push_back(static_cast<int64_t>(t.vibe_ids.size()));

    const double s = std::round(rng.lognormal(config.sessions_log_mean, config.sessions_log_sd));
    t.sessions.push_back(static_cast<int32_t>(std::clamp(
        s, static_cast<double>(config.sessions_min), static_cast<double>(config.sessions_max))));
    t.views_per_session.push_back(static_cast<float>(
        rng.uniform(config.views_per_session_min, config.views_per_session_max)));
    t.like_rate.push_back(
        static_cast<float>(rng.uniform(config.like_rate_min, config.like_rate_max)));
    t.save_rate.push_back(
        static_cast<float>(rng.uniform(config.save_rate_min, config.save_rate_max)));
    t.share_rate.push_back(
        static_cast<float>(rng.uniform(config.share_rate_min, config.share_rate_max)));
    t.attend_rate.push_back(
        static_cast<float>(rng.uniform(config.attend_rate_min, config.attend_rate_max)));
  }
  return t;
}

UserTable generate_users(const SyntheticConfig& config, const Geography& geography) {
  return generate_users(config, geography, 0, config.n_users);
}

}  // namespace recsys::synthetic
