#pragma once
// The oracle: scores (graph user, graph place) by the log-probability that the
// generator samples the place for the user, computed from the true preference
// score (PreferenceModel, rebuilt from the synthetic data folder) and the
// generator's home-city / out-of-city sampling — the ceiling for any model on
// that data. Only synthetic data sets have it.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "recsys/eval/block_scorer.h"

namespace recsys::model {

class OracleScorer : public eval::BlockScorer {
 public:
  // data_dir: the folder written by `recsys generate`; user_ids / place_ids: the raw id of each
  // graph node (graph arrays user.ids / place.ids). Throws FormatError naming the missing file
  // (ground_truth/oracle_top_places.parquet, users.parquet, places.parquet) on data without
  // ground truth, and InvalidArgument for a graph id the data set does not have.
  OracleScorer(const std::filesystem::path& data_dir, std::span<const int32_t> user_ids,
               std::span<const int32_t> place_ids);
  ~OracleScorer() override;
  int64_t n_items() const override { return static_cast<int64_t>(place_row_.size()); }
  void score(const int32_t* users, int64_t n, float* out) const override;

  // Throws FormatError naming the file when data_dir has no ground truth.
  static void require_ground_truth(const std::filesystem::path& data_dir);

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::vector<int32_t> user_row_;   // graph user -> users table row
  std::vector<int32_t> place_row_;  // graph place -> places table row
};

}  // namespace recsys::model
