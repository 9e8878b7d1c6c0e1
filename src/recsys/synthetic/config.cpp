#include "recsys/synthetic/config.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "recsys/core/error.h"
#include "recsys/core/toml_table.h"

namespace recsys::synthetic {

namespace {
using C = SyntheticConfig;
constexpr double kBig = 1e9;
}  // namespace

const std::vector<ParameterSpec>& parameter_specs() {
  static const std::vector<ParameterSpec> specs = {
      {"seed", &C::seed, 0, 9.2e18, "random seed; same seed and config give byte-identical files"},
      {"scale.n_users", &C::n_users, 1, 100'000'000, "number of users (N_USERS)"},
      {"scale.n_places", &C::n_places, 1, 100'000'000, "number of places (N_PLACES)"},
      {"scale.n_cities", &C::n_cities, 1, 100'000, "number of cities (N_CITIES)"},
      {"scale.neighborhoods_per_city", &C::neighborhoods_per_city, 1, 10'000,
       "neighborhoods in every city"},
      {"taxonomy.n_categories", &C::n_categories, 1, 1000, "coarse categories (C_COARSE)"},
      {"taxonomy.tags_per_category", &C::tags_per_category, 1, 1000,
       "fine tags per category; C_FINE = n_categories * tags_per_category, tag t belongs to "
       "category t / tags_per_category"},
      {"taxonomy.n_vibes", &C::n_vibes, 1, 10'000, "vocabulary of user vibe traits"},
      {"geography.city_weight_exponent", &C::city_weight_exponent, 0, 5,
       "city weights are Zipf: weight(c) = 1 / (c + 1)^exponent (0 = equal cities)"},
      {"geography.neighborhood_weight_exponent", &C::neighborhood_weight_exponent, 0, 5,
       "neighborhood weights within a city, Zipf as well"},
      {"geography.city_radius_km", &C::city_radius_km, 0.01, 1000,
       "neighborhood centres lie within this distance of the city centre"},
      {"geography.neighborhood_radius_km", &C::neighborhood_radius_km, 0.001, 100,
       "standard deviation of a place's offset from its neighborhood centre"},
      {"places.categories_min", &C::place_categories_min, 1, 1000,
       "fewest coarse categories per place"},
      {"places.categories_max", &C::place_categories_max, 1, 1000,
       "most coarse categories per place"},
      {"places.tags_min", &C::place_tags_min, 1, 1000,
       "fewest fine tags per place (drawn from the place's categories)"},
      {"places.tags_max", &C::place_tags_max, 1, 1000, "most fine tags per place"},
      {"places.tag_alpha", &C::place_tag_alpha, 1e-3, 1000,
       "Dirichlet alpha of the weights over a place's tags (its tag vector sums to 1)"},
      {"places.popularity_log_mean", &C::popularity_log_mean, -20, 20,
       "popularity ~ LogNormal(log_mean, log_sd)"},
      {"places.popularity_log_sd", &C::popularity_log_sd, 1e-3, 5, "see popularity_log_mean"},
      {"places.price_band_weights", &C::price_band_weights, 0, kBig,
       "relative frequency of price bands 1..4 (4 non-negative numbers)"},
      {"places.time_slot_weights", &C::time_slot_weights, 0, kBig,
       "relative frequency of typical time slots morning, afternoon, evening, night (4 numbers)"},
      {"users.category_alpha", &C::user_category_alpha, 1e-3, 1000,
       "Dirichlet alpha of category preferences (small = focused users)"},
      {"users.tag_alpha_floor", &C::user_tag_alpha_floor, 1e-3, 1000,
       "fine-tag interests ~ Dirichlet(floor + scale * category_pref[category(tag)])"},
      {"users.tag_alpha_scale", &C::user_tag_alpha_scale, 0, 1000, "see tag_alpha_floor"},
      {"users.vibes_min", &C::vibes_min, 1, 10'000, "fewest vibe traits per user"},
      {"users.vibes_max", &C::vibes_max, 1, 10'000, "most vibe traits per user"},
      {"users.frequent_neighborhoods_min", &C::frequent_neighborhoods_min, 1, 10'000,
       "fewest frequent neighborhoods per user (in the home city)"},
      {"users.frequent_neighborhoods_max", &C::frequent_neighborhoods_max, 1, 10'000,
       "most frequent neighborhoods per user"},
      {"users.sessions_log_mean", &C::sessions_log_mean, -10, 20,
       "sessions per user over the period ~ LogNormal(log_mean, log_sd), clamped to "
       "[sessions_min, sessions_max]: heavy-tailed activity"},
      {"users.sessions_log_sd", &C::sessions_log_sd, 0, 5, "see sessions_log_mean"},
      {"users.sessions_min", &C::sessions_min, 1, 1e6, "fewest sessions per user"},
      {"users.sessions_max", &C::sessions_max, 1, 1e6, "most sessions per user"},
      {"users.views_per_session_min", &C::views_per_session_min, 1, 1000,
       "a user's mean views per session is uniform in [min, max]"},
      {"users.views_per_session_max", &C::views_per_session_max, 1, 1000,
       "see views_per_session_min"},
      {"users.like_rate_min", &C::like_rate_min, 0, 1,
       "a user's like rate is uniform in [min, max]"},
      {"users.like_rate_max", &C::like_rate_max, 0, 1, "see like_rate_min"},
      {"users.save_rate_min", &C::save_rate_min, 0, 1, "save rate range, like like_rate"},
      {"users.save_rate_max", &C::save_rate_max, 0, 1, "see save_rate_min"},
      {"users.share_rate_min", &C::share_rate_min, 0, 1, "share rate range"},
      {"users.share_rate_max", &C::share_rate_max, 0, 1, "see share_rate_min"},
      {"users.attend_rate_min", &C::attend_rate_min, 0, 1,
       "attend rate range (share of viewed places the user goes to)"},
      {"users.attend_rate_max", &C::attend_rate_max, 0, 1, "see attend_rate_min"},
      {"interactions.temperature", &C::temperature, 1e-4, 100,
       "softmax temperature of place choice over preference scores (lower = more focused)"},
      {"interactions.weight_interest", &C::weight_interest, 0, 100,
       "score weight of the cosine between user fine-tag interests and place tag vector"},
      {"interactions.weight_category", &C::weight_category, 0, 100,
       "score weight of category alignment (user preference of the place's categories / the "
       "user's top preference)"},
      {"interactions.weight_location", &C::weight_location, 0, 100,
       "score weight of the location factor (1 in a frequent neighborhood, 0.6 exp(-km / "
       "decay) elsewhere in the home city, 0 in another city)"},
      {"interactions.weight_popularity", &C::weight_popularity, 0, 100,
       "score weight of the popularity factor (sigmoid of standardised log popularity)"},
      {"interactions.location_decay_km", &C::location_decay_km, 1e-3, 1000,
       "distance decay of the in-city location factor"},
      {"interactions.out_of_city_share", &C::out_of_city_share, 0, 1,
       "probability that a view is of a place outside the home city"},
      {"interactions.out_of_city_candidates", &C::out_of_city_candidates, 0, 1e7,
       "out-of-city places sampled per user as candidates for those views"},
      {"interactions.engagement_slope", &C::engagement_slope, 0, 1000,
       "like/save/share/attend probability = sigmoid(logit(user rate) + slope * (score - user's "
       "mean viewed score))"},
      {"interactions.dwell_log_mean", &C::dwell_log_mean, -10, 20,
       "dwell seconds ~ LogNormal(log_mean + score_slope * score, log_sd)"},
      {"interactions.dwell_score_slope", &C::dwell_score_slope, -100, 100, "see dwell_log_mean"},
      {"interactions.dwell_log_sd", &C::dwell_log_sd, 0, 5, "see dwell_log_mean"},
      {"interactions.start_date", &C::start_date, 0, 0,
       "first day of the period, YYYY-MM-DD (UTC)"},
      {"interactions.days", &C::days, 1, 36'500, "length of the period in days"},
      {"interactions.hour_weights", &C::hour_weights, 0, kBig,
       "relative frequency of session start hours 0..23 (24 numbers)"},
      {"interactions.weekday_weights", &C::weekday_weights, 0, kBig,
       "relative frequency of session days Monday..Sunday (7 numbers)"},
      {"social.top_k", &C::top_k, 1, 100'000'000,
       "most similar users kept per user (must be < n_users)"},
      {"social.similarity_threshold", &C::similarity_threshold, -1, 1,
       "an edge needs at least this cosine similarity of fine-tag interests"},
      {"social.candidate_pool", &C::candidate_pool, 1, 100'000,
       "candidates per user from the BLAS similarity search, rescored exactly (>= top_k)"},
      {"social.co_attendance_weight", &C::co_attendance_weight, 0, 10,
       "ranking bonus per co-attended place (at most 5 counted)"},
      {"social.overlap_weight", &C::overlap_weight, 0, 10,
       "ranking bonus times the Jaccard overlap of frequent neighborhoods"},
      {"labels.positive_similarity", &C::positive_similarity, -1, 1,
       "a social edge is a positive label when its similarity is at least this ..."},
      {"labels.positive_co_attendance", &C::positive_co_attendance, 1, 1e6,
       "... or its co-attendance count is at least this"},
      {"labels.negative_ratio", &C::negative_ratio, 0, 100, "negatives per positive"},
      {"labels.negative_same_city_share", &C::negative_same_city_share, 0, 1,
       "share of negatives drawn from the user's home city (harder negatives)"},
      {"labels.attend_bias", &C::attend_bias, -100, 100,
       "attend_probability = sigmoid(bias + w_sim * similarity + w_co * log1p(co_attendance) + "
       "w_overlap * overlap)"},
      {"labels.attend_similarity_weight", &C::attend_similarity_weight, -100, 100, "w_sim"},
      {"labels.attend_co_attendance_weight", &C::attend_co_attendance_weight, -100, 100, "w_co"},
      {"labels.attend_overlap_weight", &C::attend_overlap_weight, -100, 100, "w_overlap"},
      {"output.codec", &C::codec, 0, 0, "Parquet compression: snappy, zstd, gzip or uncompressed"},
  };
  return specs;
}

namespace {

std::string range_text(const ParameterSpec& s) {
  return fmt::format("[{}, {}]", s.min, s.max);
}

[[noreturn]] void out_of_range(const std::string& key, const std::string& value,
                               const std::string& allowed) {
  throw ConfigError(
      fmt::format("config key '{}' = {}: out of range, allowed {}", key, value, allowed));
}

std::string format_number(double v) {
  return fmt::format("{}", v);
}

std::string format_vector(const std::vector<double>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += format_number(v[i]);
  }
  return s + "]";
}

// Days since 1970-01-01 of a YYYY-MM-DD date; throws ConfigError naming the key.
int64_t parse_date(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char extra = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
    throw ConfigError("config key 'interactions.start_date' = \"" + text +
                      "\": expected a date YYYY-MM-DD");
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1970 || y > 2200)
    throw ConfigError("config key 'interactions.start_date' = \"" + text +
                      "\": not a valid date between 1970 and 2200");
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

}  // namespace

int64_t SyntheticConfig::start_micros() const {
  return parse_date(start_date) * 86'400LL * 1'000'000LL;
}

void SyntheticConfig::validate() const {
  for (const auto& spec : parameter_specs()) {
    std::visit(
        [&](auto member) {
          const auto& value = this->*member;
          using V = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<V, std::string>) {
            // checked below
          } else if constexpr (std::is_same_v<V, std::vector<double>>) {
            for (double x : value) {
              if (!std::isfinite(x) || x < spec.min || x > spec.max)
                out_of_range(spec.key, format_vector(value), "elements in " + range_text(spec));
            }
          } else {
            const double x = static_cast<double>(value);
            if (!std::isfinite(x) || x < spec.min || x > spec.max)
              out_of_range(spec.key, format_number(x), range_text(spec));
          }
        },
        spec.member);
  }
  auto require = [](bool ok, const std::string& key, const std::string& value,
                    const std::string& allowed) {
    if (!ok) out_of_range(key, value, allowed);
  };
  auto check_pair = [&](const char* min_key, double lo, const char* max_key, double hi) {
    require(lo <= hi, max_key, format_number(hi), fmt::format("at least {} = {}", min_key, lo));
  };
  auto check_weights = [&](const char* key, const std::vector<double>& w, size_t n) {
    require(w.size() == n, key, format_vector(w), fmt::format("exactly {} numbers", n));
    double total = 0;
    for (double x : w) total += x;
    require(total > 0, key, format_vector(w), "non-negative numbers with a positive sum");
  };
  check_pair("places.categories_min", place_categories_min, "places.categories_max",
             place_categories_max);
  require(place_categories_max <= n_categories, "places.categories_max",
          std::to_string(place_categories_max),
          fmt::format("[1, taxonomy.n_categories = {}]", n_categories));
  check_pair("places.tags_min", place_tags_min, "places.tags_max", place_tags_max);
  require(place_tags_max <= place_categories_min * tags_per_category, "places.tags_max",
          std::to_string(place_tags_max),
          fmt::format("[places.tags_min, places.categories_min * taxonomy.tags_per_category = {}] "
                      "(tags are drawn from the place's own categories)",
                      place_categories_min * tags_per_category));
  check_pair("users.vibes_min", vibes_min, "users.vibes_max", vibes_max);
  require(vibes_max <= n_vibes, "users.vibes_max", std::to_string(vibes_max),
          fmt::format("[users.vibes_min, taxonomy.n_vibes = {}]", n_vibes));
  check_pair("users.frequent_neighborhoods_min", frequent_neighborhoods_min,
             "users.frequent_neighborhoods_max", frequent_neighborhoods_max);
  require(frequent_neighborhoods_max <= neighborhoods_per_city, "users.frequent_neighborhoods_max",
          std::to_string(frequent_neighborhoods_max),
          fmt::format("[users.frequent_neighborhoods_min, scale.neighborhoods_per_city = {}]",
                      neighborhoods_per_city));
  check_pair("users.sessions_min", sessions_min, "users.sessions_max", sessions_max);
  check_pair("users.views_per_session_min", views_per_session_min, "users.views_per_session_max",
             views_per_session_max);
  check_pair("users.like_rate_min", like_rate_min, "users.like_rate_max", like_rate_max);
  check_pair("users.save_rate_min", save_rate_min, "users.save_rate_max", save_rate_max);
  check_pair("users.share_rate_min", share_rate_min, "users.share_rate_max", share_rate_max);
  check_pair("users.attend_rate_min", attend_rate_min, "users.attend_rate_max", attend_rate_max);
  require(weight_interest + weight_category + weight_location + weight_popularity > 0,
          "interactions.weight_interest", format_number(weight_interest),
          "weights with a positive sum");
  require(static_cast<int64_t>(n_categories) * tags_per_category <= 100'000,
          "taxonomy.tags_per_category", std::to_string(tags_per_category),
          "at most 100000 tags in all (n_categories * tags_per_category)");
  require(static_cast<int64_t>(n_cities) * neighborhoods_per_city <= 10'000'000,
          "scale.neighborhoods_per_city", std::to_string(neighborhoods_per_city),
          "at most 10000000 neighborhoods in all");
  check_weights("places.price_band_weights", price_band_weights, 4);
  check_weights("places.time_slot_weights", time_slot_weights, 4);
  check_weights("interactions.hour_weights", hour_weights, 24);
  check_weights("interactions.weekday_weights", weekday_weights, 7);
  require(n_users >= 2, "scale.n_users", std::to_string(n_users),
          "[2, 100000000] (social edges need two users)");
  require(top_k < n_users, "social.top_k", std::to_string(top_k),
          fmt::format("[1, scale.n_users - 1 = {}]", n_users - 1));
  require(candidate_pool >= top_k, "social.candidate_pool", std::to_string(candidate_pool),
          fmt::format("[social.top_k = {}, 100000]", top_k));
  (void)start_micros();  // throws on a bad date
  require(codec == "snappy" || codec == "zstd" || codec == "gzip" || codec == "uncompressed",
          "output.codec", "\"" + codec + "\"", "one of snappy, zstd, gzip, uncompressed");
}

std::string SyntheticConfig::to_toml(bool comments) const {
  std::ostringstream out;
  std::string section;
  for (const auto& spec : parameter_specs()) {
    std::string key = spec.key;
    std::string name = key;
    const auto dot = key.find('.');
    std::string sec = dot == std::string::npos ? "" : key.substr(0, dot);
    if (dot != std::string::npos) name = key.substr(dot + 1);
    if (sec != section) {
      out << "\n[" << sec << "]\n";
      section = sec;
    }
    if (comments) out << "# " << spec.doc << "\n";
    out << name << " = ";
    std::visit(
        [&](auto member) {
          const auto& value = this->*member;
          using V = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<V, std::string>) {
            out << '"' << value << '"';
          } else if constexpr (std::is_same_v<V, std::vector<double>>) {
            out << format_vector(value);
          } else if constexpr (std::is_same_v<V, double>) {
            std::string s = format_number(value);
            if (s.find_first_of(".eE") == std::string::npos && std::isfinite(value)) s += ".0";
            out << s;
          } else {
            out << value;
          }
        },
        spec.member);
    out << "\n";
  }
  return out.str();
}

namespace {

void apply_table(SyntheticConfig& config, TomlTable& t) {
  for (const auto& spec : parameter_specs()) {
    std::visit(
        [&](auto member) {
          auto& value = config.*member;
          using V = std::decay_t<decltype(value)>;
          const std::string key = spec.key;
          if constexpr (std::is_same_v<V, std::string>) {
            if (auto v = t.get_string(key)) value = *v;
          } else if constexpr (std::is_same_v<V, std::vector<double>>) {
            if (auto v = t.get_number_array(key)) value = *v;
          } else if constexpr (std::is_same_v<V, double>) {
            if (auto v = t.get_number(key)) value = *v;
          } else {
            if (auto v = t.get_integer(key)) {
              if (static_cast<double>(*v) < spec.min || static_cast<double>(*v) > spec.max)
                out_of_range(key, std::to_string(*v),
                             range_text(spec) + " (in " + t.source() + ")");
              value = static_cast<V>(*v);
            }
          }
        },
        spec.member);
  }
  t.reject_unknown_keys();
}

}  // namespace

void SyntheticConfig::apply_toml_file(const std::filesystem::path& path) {
  TomlTable table = TomlTable::parse_file(path);
  apply_table(*this, table);
}

void SyntheticConfig::apply_toml_string(const std::string& text, const std::string& source_name) {
  TomlTable table = TomlTable::parse_string(text, source_name);
  apply_table(*this, table);
}

SyntheticConfig load_synthetic_config(const std::filesystem::path& path) {
  SyntheticConfig config;
  config.apply_toml_file(path);
  return config;
}

}  // namespace recsys::synthetic
