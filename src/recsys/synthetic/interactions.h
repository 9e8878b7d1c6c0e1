#pragma once
// Interactions: for each user, sessions spread over the period (weekday and
// hour-of-day weights), each a handful of place views. A view's place is drawn
// by softmax(score / temperature) over the home city's places (or, with
// probability out_of_city_share, over a per-user sample of other cities'
// places); dwell time, like, save, share and attended are driven by the score.
// User u's rows come from its own stream (seed, Interaction, u) and the places
// table alone, so they do not depend on the other users or on threads.
#include <cstdint>
#include <span>
#include <vector>

#include "recsys/synthetic/config.h"
#include "recsys/synthetic/preference_model.h"

namespace recsys::synthetic {

struct InteractionRows {
  std::vector<int32_t> user_id, place_id, session_id;
  std::vector<int64_t> timestamp_us;  // microseconds since the epoch, UTC
  std::vector<float> dwell_seconds;
  std::vector<uint8_t> liked, saved, shared, attended;
  std::vector<int32_t>
      time_bucket;  // 0 night 0-5h, 1 morning 6-11h, 2 afternoon 12-17h, 3 evening 18-23h
  std::vector<int32_t> day_of_week;  // 0 Monday .. 6 Sunday
  std::vector<uint8_t> is_weekend;
  std::vector<float> implicit_rating;  // [1, 5]

  size_t size() const { return user_id.size(); }
  void clear();
  void append(const InteractionRows& other);
};

class InteractionSampler {
 public:
  // `model` covers the users and all places; the references must outlive the sampler.
  InteractionSampler(const SyntheticConfig& config, const PreferenceModel& model);

  // Appends the rows of user `user_row` (ordered by timestamp).
  void sample_user(size_t user_row, InteractionRows& out) const;
  // Users [row_begin, row_end) in parallel (OpenMP), rows in user order.
  InteractionRows sample_users(size_t row_begin, size_t row_end) const;
  // The users at `rows` in parallel (OpenMP), rows in the order given.
  InteractionRows sample_rows(std::span<const size_t> rows) const;

 private:
  const SyntheticConfig& config_;
  const PreferenceModel& model_;
  std::vector<double> day_cumulative_;  // weight of each day of the period
  std::vector<double> hour_cumulative_;
  int64_t start_us_;
};

// Implicit rating in [1, 5] from the engagement signals of one view.
float implicit_rating(float dwell_seconds, bool liked, bool saved, bool shared, bool attended);

}  // namespace recsys::synthetic
