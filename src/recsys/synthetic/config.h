#pragma once
// SyntheticConfig: every parameter of the synthetic data generator, with its
// default, in one place. The parameter table in config.cpp (parameter_specs())
// gives each one its TOML key, allowed range and documentation;
// configs/synthetic.toml is that table written out (SyntheticConfig::to_toml()).
#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace recsys::synthetic {

struct SyntheticConfig {
  // Bumped whenever a file's columns or their meaning change.
  static constexpr int kSchemaVersion = 1;

  int64_t seed = 42;  // the one seed; every entity's stream is derived from (seed, kind, id)

  // [scale]
  int n_users = 10000;   // N_USERS
  int n_places = 10000;  // N_PLACES
  int n_cities = 10;     // N_CITIES
  int neighborhoods_per_city = 20;

  // [taxonomy]: C_FINE = n_categories * tags_per_category; tag t belongs to category t /
  // tags_per_category
  int n_categories = 12;  // C_COARSE
  int tags_per_category = 8;
  int n_vibes = 24;  // vocabulary of user vibe traits

  // [geography]
  double city_weight_exponent = 1.0;          // city weight ∝ 1 / (rank + 1)^exponent (Zipf)
  double neighborhood_weight_exponent = 0.6;  // neighborhood weight within a city, Zipf too
  double city_radius_km = 8.0;          // neighborhood centres lie within this of the city centre
  double neighborhood_radius_km = 0.7;  // places lie around their neighborhood centre (sd)

  // [places]
  int place_categories_min = 1;
  int place_categories_max = 2;
  int place_tags_min = 3;
  int place_tags_max = 7;
  double place_tag_alpha = 1.0;  // Dirichlet alpha for the weights of a place's tags
  double popularity_log_mean = 0.0;
  double popularity_log_sd = 1.0;
  std::vector<double> price_band_weights = {0.30, 0.40, 0.20, 0.10};  // bands 1..4
  std::vector<double> time_slot_weights = {0.15, 0.25, 0.40, 0.20};   // morning..night

  // [users]
  double user_category_alpha = 0.3;    // Dirichlet alpha of category preferences
  double user_tag_alpha_floor = 0.05;  // fine alpha_t = floor + scale * category_pref[category(t)]
  double user_tag_alpha_scale = 8.0;
  int vibes_min = 3;
  int vibes_max = 10;
  int frequent_neighborhoods_min = 1;
  int frequent_neighborhoods_max = 3;
  double sessions_log_mean = 2.93;  // sessions per user ~ LogNormal(mean, sd), clamped
  double sessions_log_sd = 0.9;
  int sessions_min = 1;
  int sessions_max = 2000;
  double views_per_session_min = 4.0;
  double views_per_session_max = 16.0;
  double like_rate_min = 0.05;
  double like_rate_max = 0.30;
  double save_rate_min = 0.02;
  double save_rate_max = 0.12;
  double share_rate_min = 0.005;
  double share_rate_max = 0.05;
  double attend_rate_min = 0.04;
  double attend_rate_max = 0.13;

  // [interactions]
  double temperature = 0.08;  // softmax temperature over preference scores
  double weight_interest = 0.45;
  double weight_category = 0.20;
  double weight_location = 0.25;
  double weight_popularity = 0.10;
  double location_decay_km = 3.0;  // in-city, outside frequent neighborhoods: 0.6 * exp(-d / decay)
  double out_of_city_share = 0.05;   // share of views drawn from places outside the home city
  int out_of_city_candidates = 200;  // out-of-city places sampled per user as candidates
  double engagement_slope = 8.0;     // logit slope of like/save/share/attend in the score
  double dwell_log_mean = 3.4;       // dwell seconds ~ LogNormal(mean + slope * score, sd)
  double dwell_score_slope = 2.0;
  double dwell_log_sd = 0.7;
  std::string start_date = "2025-01-01";  // first day of the period (UTC)
  int days = 180;
  std::vector<double> hour_weights = {0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 1.6, 1.6, 2.2,
                                      3.0, 2.6, 1.8, 1.6, 1.8, 2.4, 3.2, 3.6, 3.4, 2.8, 1.8, 0.8};
  std::vector<double> weekday_weights = {0.85, 0.85, 0.9, 1.0, 1.3, 1.45, 1.1};  // Mon..Sun

  // [social]
  int top_k = 21;
  double similarity_threshold = 0.32;  // cosine of fine-tag interests
  int candidate_pool = 48;             // BLAS candidates per user, rescored exactly
  double co_attendance_weight = 0.03;  // ranking bonus per co-attended place (capped at 5)
  double overlap_weight = 0.05;        // ranking bonus times neighborhood Jaccard overlap

  // [labels]
  double positive_similarity = 0.66;
  int positive_co_attendance = 3;
  double negative_ratio = 1.0;
  double negative_same_city_share = 0.5;
  double attend_bias = -2.5;
  double attend_similarity_weight = 2.5;
  double attend_co_attendance_weight = 0.8;  // times log1p(co_attendance)
  double attend_overlap_weight = 1.0;

  // [output]
  std::string codec = "snappy";

  // Derived.
  int n_tags() const { return n_categories * tags_per_category; }  // C_FINE
  int n_neighborhoods() const { return n_cities * neighborhoods_per_city; }
  int category_of_tag(int tag) const { return tag / tags_per_category; }
  int64_t start_micros() const;  // start_date at 00:00 UTC

  // Throws ConfigError naming the key and the allowed range for any value out
  // of range or inconsistent with another.
  void validate() const;
  // TOML holding every parameter (with documentation comments when `comments`).
  std::string to_toml(bool comments = false) const;
  // Applies the keys of a TOML file over the current values; unknown keys and
  // wrong types throw ConfigError naming file:line and key. Does not validate().
  void apply_toml_file(const std::filesystem::path& path);
  void apply_toml_string(const std::string& text, const std::string& source_name);
};

// One documented parameter.
struct ParameterSpec {
  using Member =
      std::variant<int SyntheticConfig::*, int64_t SyntheticConfig::*, double SyntheticConfig::*,
                   std::string SyntheticConfig::*, std::vector<double> SyntheticConfig::*>;
  const char* key;  // TOML key, "section.name"
  Member member;
  double min;
  double max;
  const char* doc;
};

const std::vector<ParameterSpec>& parameter_specs();

// Defaults, then the file (if any); validate() is the caller's job after overrides.
SyntheticConfig load_synthetic_config(const std::filesystem::path& path);

}  // namespace recsys::synthetic
