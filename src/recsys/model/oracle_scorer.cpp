#include "recsys/model/oracle_scorer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "recsys/core/error.h"
#include "recsys/io/parquet/table_files.h"
#include "recsys/synthetic/dataset_reader.h"
#include "recsys/synthetic/geography.h"
#include "recsys/synthetic/preference_model.h"

namespace recsys::model {

struct OracleScorer::State {
  synthetic::SyntheticConfig config;
  synthetic::Geography geography;
  synthetic::UserTable users;
  synthetic::PlaceTable places;
  std::unique_ptr<synthetic::PreferenceModel> model;
};

void OracleScorer::require_ground_truth(const std::filesystem::path& data_dir) {
  for (const char* name :
       {"ground_truth/oracle_top_places.parquet", "users.parquet", "places.parquet"}) {
    const auto path = data_dir / name;
    // A table may also be a folder of part files (sharded generation).
    if (parquet::table_files(data_dir, std::filesystem::path(name).replace_extension().string())
            .empty())
      throw FormatError(fmt::format(
          "the oracle needs the generator's ground truth, but {} does not exist (only data "
          "written by `recsys generate` has it)",
          path.string()));
  }
}

OracleScorer::OracleScorer(const std::filesystem::path& data_dir, std::span<const int32_t> user_ids,
                           std::span<const int32_t> place_ids)
    : state_(std::make_unique<State>()) {
  require_ground_truth(data_dir);
  auto& s = *state_;
  s.config = synthetic::read_generation_config(data_dir / "users.parquet");
  s.geography = synthetic::generate_geography(s.config);
  s.users = synthetic::read_users(data_dir / "users.parquet", s.config);
  s.places = synthetic::read_places(data_dir / "places.parquet", s.config);
  s.model = std::make_unique<synthetic::PreferenceModel>(s.config, s.geography, s.users, s.places);
  std::unordered_map<int32_t, int32_t> user_index, place_index;
  for (size_t r = 0; r < s.users.size(); ++r)
    user_index.emplace(s.users.user_id[r], static_cast<int32_t>(r));
  for (size_t r = 0; r < s.places.size(); ++r)
    place_index.emplace(s.places.place_id[r], static_cast<int32_t>(r));
  for (int32_t id : user_ids) {
    const auto it = user_index.find(id);
    if (it == user_index.end())
      throw InvalidArgument(fmt::format("oracle: graph user id {} is not in {}", id,
                                        (data_dir / "users.parquet").string()));
    user_row_.push_back(it->second);
  }
  for (int32_t id : place_ids) {
    const auto it = place_index.find(id);
    if (it == place_index.end())
      throw InvalidArgument(fmt::format("oracle: graph place id {} is not in {}", id,
                                        (data_dir / "places.parquet").string()));
    place_row_.push_back(it->second);
  }
}

OracleScorer::~OracleScorer() = default;

// The oracle ranks by the generator's probability of sampling a place for the user,
// not by the raw true score: the generator draws a view from the home city with
// probability 1 - out_of_city_share (softmax of score / temperature over the home
// city's places) and otherwise from a uniform sample of other cities' places (softmax
// over that sample). In log space, for a place p in group g (home or away):
//   key(p) = log share_g + score_p / T - log sum_{q in g} exp(score_q / T),
// the sample's partition function replaced by its expectation over the whole group.
// Within a group this is the true-score order; across groups it weighs the shares.
void OracleScorer::score(const int32_t* users, int64_t n, float* out) const {
  thread_local std::vector<float> table_scores;
  const auto& s = *state_;
  const double inverse_temperature = 1.0 / s.config.temperature;
  const int64_t n_places = n_items();
  for (int64_t r = 0; r < n; ++r) {
    if (users[r] < 0 || static_cast<size_t>(users[r]) >= user_row_.size())
      throw InvalidArgument(fmt::format("oracle: unknown user {}", users[r]));
    const auto user = static_cast<size_t>(user_row_[static_cast<size_t>(users[r])]);
    s.model->score_all_places(user, table_scores);
    const int32_t home_city = s.users.home_city_id[user];
    // Log-sum-exp of score / T per group, over all places of the data set.
    double max_score[2] = {-1e300, -1e300};
    for (size_t p = 0; p < table_scores.size(); ++p) {
      const int g = s.places.city_id[p] == home_city ? 0 : 1;
      max_score[g] = std::max(max_score[g], static_cast<double>(table_scores[p]));
    }
    double sum[2] = {0.0, 0.0};
    for (size_t p = 0; p < table_scores.size(); ++p) {
      const int g = s.places.city_id[p] == home_city ? 0 : 1;
      sum[g] += std::exp((table_scores[p] - max_score[g]) * inverse_temperature);
    }
    const bool has_home = sum[0] > 0, has_away = sum[1] > 0;
    const double share[2] = {has_away ? 1.0 - s.config.out_of_city_share : 1.0,
                             has_home ? s.config.out_of_city_share : 1.0};
    double offset[2];
    for (int g = 0; g < 2; ++g) {
      offset[g] = sum[g] > 0 && share[g] > 0
                      ? std::log(share[g]) - max_score[g] * inverse_temperature - std::log(sum[g])
                      : -std::numeric_limits<double>::infinity();
    }
    float* row = out + r * n_places;
    for (int64_t p = 0; p < n_places; ++p) {
      const auto place = static_cast<size_t>(place_row_[static_cast<size_t>(p)]);
      const int g = s.places.city_id[place] == home_city ? 0 : 1;
      row[p] = static_cast<float>(offset[g] + table_scores[place] * inverse_temperature);
    }
  }
}

}  // namespace recsys::model
