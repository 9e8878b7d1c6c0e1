// SyntheticConfig: defaults, the checked-in configs/synthetic.toml, and the
// rejection of bad input with a message naming the key and the allowed range.
#include "recsys/synthetic/config.h"

#include <gtest/gtest.h>

#include <functional>

#include "recsys/core/error.h"

using recsys::ConfigError;
using recsys::synthetic::SyntheticConfig;

namespace {

// Applies `toml` over the defaults and validates; returns the error message ("" if accepted).
std::string rejection(const std::string& toml) {
  try {
    SyntheticConfig c;
    c.apply_toml_string(toml, "test.toml");
    c.validate();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

void expect_rejected(const std::string& toml, const std::vector<std::string>& fragments) {
  const std::string msg = rejection(toml);
  ASSERT_FALSE(msg.empty()) << "accepted: " << toml;
  for (const auto& f : fragments)
    EXPECT_NE(msg.find(f), std::string::npos) << "'" << f << "' not in: " << msg;
}

}  // namespace

TEST(SyntheticConfig, DefaultsAreValidAndMatchTheCheckedInFile) {
  SyntheticConfig defaults;
  EXPECT_NO_THROW(defaults.validate());
  EXPECT_EQ(defaults.n_tags(), defaults.n_categories * defaults.tags_per_category);
  SyntheticConfig from_file;
  from_file.apply_toml_file(std::string(RECSYS_SOURCE_DIR) + "/configs/synthetic.toml");
  EXPECT_EQ(from_file.to_toml(), defaults.to_toml());
}

TEST(SyntheticConfig, TomlRoundTripsEveryParameter) {
  SyntheticConfig c;
  c.n_users = 1234;
  c.temperature = 0.25;
  c.hour_weights[3] = 7.5;
  c.start_date = "2024-02-29";
  SyntheticConfig d;
  d.apply_toml_string(c.to_toml(true), "round-trip");
  EXPECT_EQ(d.to_toml(), c.to_toml());
  EXPECT_EQ(d.n_users, 1234);
}

TEST(SyntheticConfig, RejectsUnknownKeysAndWrongTypes) {
  expect_rejected("[scale]\nn_user = 5\n", {"unknown key", "scale.n_user", "test.toml:2"});
  expect_rejected("[interactions]\ntemprature = 0.1\n", {"interactions.temprature"});
  expect_rejected("[scale]\nn_users = \"many\"\n", {"scale.n_users", "integer"});
  expect_rejected("[scale]\nn_users = 10.5\n", {"scale.n_users", "integer"});
  expect_rejected("[interactions]\nhour_weights = [1, \"x\"]\n", {"interactions.hour_weights"});
  expect_rejected("seed = = 3\n", {"test.toml:1", "syntax"});
}

TEST(SyntheticConfig, RejectsOutOfRangeValuesNamingTheRange) {
  expect_rejected("[scale]\nn_users = 0\n", {"scale.n_users", "allowed"});
  expect_rejected("[scale]\nn_places = -3\n", {"scale.n_places", "allowed"});
  expect_rejected("[users]\nlike_rate_max = 1.5\n", {"users.like_rate_max", "[0, 1]"});
  expect_rejected("[interactions]\nout_of_city_share = -0.1\n",
                  {"interactions.out_of_city_share", "[0, 1]"});
  expect_rejected("[labels]\nnegative_same_city_share = 2\n", {"labels.negative_same_city_share"});
  expect_rejected("[scale]\nn_users = 100\n[social]\ntop_k = 100\n", {"social.top_k", "99"});
  expect_rejected("[users]\nvibes_min = 8\nvibes_max = 4\n",
                  {"users.vibes_max", "users.vibes_min"});
  expect_rejected("[places]\ntags_max = 40\n", {"places.tags_max"});
  expect_rejected("[interactions]\nhour_weights = [1, 2, 3]\n",
                  {"interactions.hour_weights", "24"});
  expect_rejected("[interactions]\nstart_date = \"2025-02-30\"\n", {"interactions.start_date"});
  expect_rejected("[interactions]\ntemperature = 0\n", {"interactions.temperature"});
  expect_rejected("[output]\ncodec = \"lz4\"\n", {"output.codec"});
  expect_rejected("[users]\nfrequent_neighborhoods_max = 50\n",
                  {"users.frequent_neighborhoods_max"});
}

TEST(SyntheticConfig, MissingFileIsAnIoError) {
  SyntheticConfig c;
  EXPECT_THROW(c.apply_toml_file("/nonexistent/synthetic.toml"), recsys::IoError);
}
