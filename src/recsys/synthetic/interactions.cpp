#include "recsys/synthetic/interactions.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "recsys/core/random_stream.h"

namespace recsys::synthetic {

namespace {
constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

template <class T>
void append_vec(std::vector<T>& a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
}

double logit(double p) {
  p = std::clamp(p, 1e-6, 1.0 - 1e-6);
  return std::log(p / (1.0 - p));
}

int day_of_week_of(int64_t day_since_epoch) {  // 1970-01-01 was a Thursday
  return static_cast<int>(((day_since_epoch + 3) % 7 + 7) % 7);
}

std::vector<double> cumulative(const std::vector<double>& w) {
  std::vector<double> c(w.size());
  double total = 0;
  for (size_t i = 0; i < w.size(); ++i) c[i] = (total += w[i]);
  return c;
}

// e^x for x <= 0 in plain float arithmetic (relative error below 1e-5; x below -87
// gives ~1e-38): 2^t = 2^n * 2^f with n = round(t), |f| <= 1/2 and a degree-6 Taylor
// polynomial. Vectorizable, and the same value on every machine.
inline float exp_nonpositive(float x) {
  x = std::max(x, -87.0f);
  const float t = x * 1.44269504089f;             // log2(e)
  const auto n = static_cast<int32_t>(t - 0.5f);  // t <= 0: truncation rounds to nearest
  const float f = (t - static_cast<float>(n)) * 0.69314718056f;  // ln 2
  const float p =
      1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 +
                                          f * (1.0f / 24 + f * (1.0f / 120 + f * (1.0f / 720))))));
  return p * std::bit_cast<float>(static_cast<uint32_t>(n + 127) << 23);
}

// Softmax weights exp((s - max) / T) as an inclusive prefix sum; returns the
// softmax-weighted mean score.
double softmax_cumulative(const std::vector<float>& scores, double temperature,
                          std::vector<double>& out) {
  out.resize(scores.size());
  if (scores.empty()) return 0.0;
  const float max_score = *std::max_element(scores.begin(), scores.end());
  const float inverse_temperature = static_cast<float>(1.0 / temperature);
  thread_local std::vector<float> weights;
  weights.resize(scores.size());
  for (size_t i = 0; i < scores.size(); ++i)
    weights[i] = exp_nonpositive((scores[i] - max_score) * inverse_temperature);
  double total = 0, weighted = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    total += weights[i];
    weighted += static_cast<double>(weights[i]) * scores[i];
    out[i] = total;
  }
  return weighted / total;
}
}  // namespace

void InteractionRows::clear() {
  *this = InteractionRows{};
}

void InteractionRows::append(const InteractionRows& o) {
  append_vec(user_id, o.user_id);
  append_vec(place_id, o.place_id);
  append_vec(session_id, o.session_id);
  append_vec(timestamp_us, o.timestamp_us);
  append_vec(dwell_seconds, o.dwell_seconds);
  append_vec(liked, o.liked);
  append_vec(saved, o.saved);
  append_vec(shared, o.shared);
  append_vec(attended, o.attended);
  append_vec(time_bucket, o.time_bucket);
  append_vec(day_of_week, o.day_of_week);
  append_vec(is_weekend, o.is_weekend);
  append_vec(implicit_rating, o.implicit_rating);
}

float implicit_rating(float dwell_seconds, bool liked, bool saved, bool shared, bool attended) {
  // Dwell contributes up to 1 (log scale, saturating at 10 minutes).
  const double dwell = std::min(1.0, std::log1p(std::max(0.0f, dwell_seconds)) / std::log1p(600.0));
  const double r = 1.0 + dwell + 1.0 * liked + 0.75 * saved + 0.5 * shared + 1.5 * attended;
  return static_cast<float>(std::clamp(r, 1.0, 5.0));
}

InteractionSampler::InteractionSampler(const SyntheticConfig& config, const PreferenceModel& model)
    : config_(config), model_(model), start_us_(config.start_micros()) {
  const int64_t first_day = start_us_ / kMicrosPerDay;
  std::vector<double> day_weights(static_cast<size_t>(config.days));
  for (int d = 0; d < config.days; ++d)
    day_weights[static_cast<size_t>(d)] =
        config.weekday_weights[static_cast<size_t>(day_of_week_of(first_day + d))];
  day_cumulative_ = cumulative(day_weights);
  hour_cumulative_ = cumulative(config.hour_weights);
}

void InteractionSampler::sample_user(size_t u, InteractionRows& out) const {
  const UserTable& users = model_.users();
  const PlaceTable& places = model_.places();
  const int32_t user_id = users.user_id[u];
  RandomStream rng(static_cast<uint64_t>(config_.seed), StreamKind::Interaction,
                   static_cast<uint64_t>(user_id));

  // Home-city candidates.
  const auto& home = model_.city_place_rows(users.home_city_id[u]);
  std::vector<float> factors;
  model_.home_city_location_factors(u, factors);
  std::vector<float> home_scores;
  model_.score_home_city(u, home_scores);
  std::vector<double> home_cum;
  const double reference = softmax_cumulative(home_scores, config_.temperature, home_cum);

  // Out-of-city candidates: a per-user uniform sample of other cities' places.
  std::vector<int32_t> away;
  const size_t n_away_total = places.size() - home.size();
  if (config_.out_of_city_share > 0 && n_away_total > 0) {
    const size_t want = std::min(static_cast<size_t>(config_.out_of_city_candidates), n_away_total);
    for (size_t k = 0; k < want; ++k) {
      for (int attempt = 0; attempt < 64; ++attempt) {
        const auto p =
            static_cast<int32_t>(rng.uniform_int(0, static_cast<int64_t>(places.size()) - 1));
        if (places.city_id[static_cast<size_t>(p)] != users.home_city_id[u]) {
          away.push_back(p);
          break;
        }
      }
    }
  }
  std::vector<float> away_scores(away.size());
  for (size_t i = 0; i < away.size(); ++i)
    away_scores[i] = model_.score_with(u, static_cast<size_t>(away[i]), factors);
  std::vector<double> away_cum;
  softmax_cumulative(away_scores, config_.temperature, away_cum);
  if (home.empty() && away.empty()) return;
  const double away_share = home.empty() ? 1.0 : (away.empty() ? 0.0 : config_.out_of_city_share);

  // Session start times, in time order.
  const int n_sessions = users.sessions[u];
  std::vector<int64_t> starts(static_cast<size_t>(n_sessions));
  for (auto& s : starts) {
    const int64_t day = static_cast<int64_t>(rng.from_cumulative(day_cumulative_));
    const int64_t hour = static_cast<int64_t>(rng.from_cumulative(hour_cumulative_));
    const int64_t second = rng.uniform_int(0, 3599);
    s = start_us_ + day * kMicrosPerDay + (hour * 3600 + second) * kMicrosPerSecond;
  }
  std::sort(starts.begin(), starts.end());

  // sigmoid(logit(rate) + z) = 1 / (1 + exp(-logit(rate)) * exp(-z)): one exp per view.
  const double like_odds = std::exp(-logit(users.like_rate[u]));
  const double save_odds = std::exp(-logit(users.save_rate[u]));
  const double share_odds = std::exp(-logit(users.share_rate[u]));
  const double attend_odds = std::exp(-logit(users.attend_rate[u]));
  const double vps = users.views_per_session[u];
  int64_t previous_end = std::numeric_limits<int64_t>::min() / 2;
  for (int s = 0; s < n_sessions; ++s) {
    const int n_views = std::max(1, static_cast<int>(std::lround(vps * rng.uniform(0.5, 1.5))));
    // Sessions never overlap: a session drawn inside the previous one starts a minute after it.
    int64_t t = std::max(starts[static_cast<size_t>(s)], previous_end + 60 * kMicrosPerSecond);
    for (int v = 0; v < n_views; ++v) {
      int32_t place;
      float score;
      if (rng.uniform() < away_share) {
        const size_t i = rng.from_cumulative(away_cum);
        place = away[i];
        score = away_scores[i];
      } else {
        const size_t i = rng.from_cumulative(home_cum);
        place = home[i];
        score = home_scores[i];
      }
      const double e = std::exp(-config_.engagement_slope * (score - reference));
      const float dwell = static_cast<float>(
          std::clamp(rng.lognormal(config_.dwell_log_mean + config_.dwell_score_slope * score,
                                   config_.dwell_log_sd),
                     1.0, 3600.0));
      const bool liked = rng.bernoulli(1.0 / (1.0 + like_odds * e));
      const bool saved = rng.bernoulli(1.0 / (1.0 + save_odds * e));
      const bool shared = rng.bernoulli(1.0 / (1.0 + share_odds * e));
      const bool attended = rng.bernoulli(1.0 / (1.0 + attend_odds * e));
      const int64_t day = t / kMicrosPerDay;
      const int hour = static_cast<int>((t % kMicrosPerDay) / (3600 * kMicrosPerSecond));
      const int dow = day_of_week_of(day);
      out.user_id.push_back(user_id);
      out.place_id.push_back(places.place_id[static_cast<size_t>(place)]);
      out.session_id.push_back(s);
      out.timestamp_us.push_back(t);
      out.dwell_seconds.push_back(dwell);
      out.liked.push_back(liked);
      out.saved.push_back(saved);
      out.shared.push_back(shared);
      out.attended.push_back(attended);
      out.time_bucket.push_back(hour / 6);
      out.day_of_week.push_back(dow);
      out.is_weekend.push_back(dow >= 5);
      out.implicit_rating.push_back(implicit_rating(dwell, liked, saved, shared, attended));
      // Next view: after this dwell and a short gap, at whole microseconds.
      t += static_cast<int64_t>(std::llround(dwell * 1e6)) +
           rng.uniform_int(2, 30) * kMicrosPerSecond;
    }
    previous_end = t;
  }
}

InteractionRows InteractionSampler::sample_users(size_t row_begin, size_t row_end) const {
  std::vector<size_t> rows;
  for (size_t r = row_begin; r < row_end; ++r) rows.push_back(r);
  return sample_rows(rows);
}

InteractionRows InteractionSampler::sample_rows(std::span<const size_t> rows) const {
  const size_t n = rows.size();
  std::vector<InteractionRows> per_user(n);
#pragma omp parallel for schedule(dynamic, 8)
  for (size_t i = 0; i < n; ++i) sample_user(rows[i], per_user[i]);
  InteractionRows all;
  size_t total = 0;
  for (const auto& r : per_user) total += r.size();
  all.user_id.reserve(total);
  for (const auto& r : per_user) all.append(r);
  return all;
}

}  // namespace recsys::synthetic
