#include "recsys/synthetic/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/random_stream.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/table_files.h"
#include "recsys/synthetic/attendance_index.h"
#include "recsys/synthetic/dataset_reader.h"
#include "recsys/synthetic/generator.h"
#include "recsys/synthetic/geography.h"
#include "recsys/synthetic/preference_model.h"
#include "recsys/synthetic/social_edges.h"

namespace recsys::synthetic {

namespace fs = std::filesystem;

bool ValidationReport::all_passed() const {
  return failures() == 0;
}
int ValidationReport::failures() const {
  return static_cast<int>(
      std::count_if(checks.begin(), checks.end(), [](const auto& c) { return !c.passed; }));
}

namespace {

constexpr int kRandomPairs = 20000;
constexpr size_t kMaxCorrelationRows = 400000;

struct Moments {
  double mean = 0, sd = 0, skewness = 0, excess_kurtosis = 0;
};

Moments moments(const std::vector<double>& x) {
  Moments m;
  if (x.size() < 2) return m;
  const double n = static_cast<double>(x.size());
  m.mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : x) {
    const double d = v - m.mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  m.sd = std::sqrt(m2);
  if (m2 > 0) {
    m.skewness = m3 / std::pow(m2, 1.5);
    m.excess_kurtosis = m4 / (m2 * m2) - 3.0;
  }
  return m;
}

// Kolmogorov-Smirnov distance between the sample and a normal with its own mean and sd.
double ks_normal(std::vector<double> x) {
  const Moments m = moments(x);
  if (m.sd <= 0) return 1.0;
  std::sort(x.begin(), x.end());
  double d = 0;
  const double n = static_cast<double>(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double cdf = 0.5 * std::erfc(-(x[i] - m.mean) / (m.sd * std::sqrt(2.0)));
    d = std::max({d, std::abs(cdf - i / n), std::abs((i + 1) / n - cdf)});
  }
  return d;
}

// Average ranks (ties share their mean rank).
std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k <= j; ++k) r[order[k]] = mean_rank;
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const Moments mx = moments(x), my = moments(y);
  if (mx.sd <= 0 || my.sd <= 0) return 0.0;
  double s = 0;
  for (size_t i = 0; i < x.size(); ++i) s += (x[i] - mx.mean) * (y[i] - my.mean);
  return s / (static_cast<double>(x.size()) * mx.sd * my.sd);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson(ranks(x), ranks(y));
}

void add(ValidationReport& r, std::string name, std::string measured, std::string expected,
         bool passed) {
  r.checks.push_back({std::move(name), std::move(measured), std::move(expected), passed});
}

fs::path require(const fs::path& dir, const std::string& file) {
  const fs::path p = dir / file;
  if (!fs::exists(p))
    throw IoError(p.string() + ": missing (is " + dir.string() + " a generated data set?)");
  return p;
}

// For a table written as part files by `generate --shard i/n`: every part names
// its shard, and the parts are exactly shards 0..n-1 of one n. Empty when the
// table is a single file; otherwise a description of what is wrong, or "".
std::string missing_shards(const parquet::TableReader& table, std::string& summary) {
  if (!table.is_partitioned()) return "";
  std::vector<int> seen;
  int count = -1;
  for (const auto& part : table.parts()) {
    const auto spec = part.metadata(kMetaShard);
    if (!spec) return part.path().string() + " has no '" + std::string(kMetaShard) + "' metadata";
    ShardSpec s;
    try {
      s = parse_shard_spec(*spec, part.path().string() + " metadata " + kMetaShard);
    } catch (const ConfigError& e) {
      return e.what();
    }
    if (count >= 0 && s.count != count)
      return part.path().string() + " is shard " + *spec + ", another part is of " +
             std::to_string(count) + " shards";
    count = s.count;
    seen.push_back(s.index);
  }
  std::sort(seen.begin(), seen.end());
  summary += fmt::format("{}{}: {} of {} parts", summary.empty() ? "" : "; ", table.display_name(),
                         seen.size(), count);
  for (int i = 0; i < count; ++i)
    if (!std::binary_search(seen.begin(), seen.end(), i))
      return fmt::format("{}: shard {} of {} is missing", table.display_name(), i, count);
  if (std::adjacent_find(seen.begin(), seen.end()) != seen.end())
    return table.display_name() + ": a shard appears twice";
  return "";
}

}  // namespace

ValidationReport validate_dataset(const fs::path& data_dir) {
  if (!fs::is_directory(data_dir)) throw IoError(data_dir.string() + ": not a folder");
  ValidationReport report;
  report.data_dir = data_dir;
  const SyntheticConfig config = read_generation_config(require(data_dir, "users.parquet"));
  const Geography geography = generate_geography(config);
  ProgressTask progress("validate", 5, "steps");

  // --- Part files (a sharded data set): all n shards present.
  {
    std::string problem, summary;
    bool partitioned = false;
    for (const char* t :
         {"interactions", "user_user_edges", "friend_labels", "ground_truth/oracle_top_places"}) {
      const auto table = parquet::TableReader::open(data_dir, t);
      if (!table || !table->is_partitioned()) continue;
      partitioned = true;
      if (problem.empty()) problem = missing_shards(*table, summary);
    }
    if (partitioned)
      add(report, "sharded tables hold every shard", problem.empty() ? summary : problem,
          "parts of shards 0..n-1, each once", problem.empty());
  }

  // --- Probability vectors and tag/category consistency.
  const UserTable users = read_users(require(data_dir, "users.parquet"), config);
  const PlaceTable places = read_places(require(data_dir, "places.parquet"), config);
  double worst_sum = 0;
  for (size_t u = 0; u < users.size(); ++u) {
    double c = 0, t = 0;
    for (int k = 0; k < users.n_categories; ++k) c += users.category_row(u)[k];
    for (int k = 0; k < users.n_tags; ++k) t += users.tag_row(u)[k];
    worst_sum = std::max({worst_sum, std::abs(c - 1), std::abs(t - 1)});
  }
  {
    const parquet::Reader reader(require(data_dir, "places.parquet"));
    const auto b = reader.read_all({"tag_vector"});
    const auto& col = b.column("tag_vector");
    for (size_t p = 0; p + 1 < col.offsets.size(); ++p) {
      double s = 0;
      for (int64_t i = col.offsets[p]; i < col.offsets[p + 1]; ++i)
        s += col.f32[static_cast<size_t>(i)];
      worst_sum = std::max(worst_sum, std::abs(s - 1));
    }
  }
  add(report, "probability vectors sum to 1",
      fmt::format("max |sum - 1| = {:.2e} (users' category_pref, tag_pref; places' tag_vector)",
                  worst_sum),
      "<= 1e-4", worst_sum <= 1e-4);

  std::vector<int32_t> tag_category;
  {
    const parquet::Reader reader(require(data_dir, "tags.parquet"));
    const auto b = reader.read_all();
    tag_category = b.column("category_id").i32;
  }
  int64_t bad_tags = 0, n_tags_total = 0;
  for (size_t p = 0; p < places.size(); ++p) {
    const auto c0 = places.category_ids.begin() + places.category_offsets[p];
    const auto c1 = places.category_ids.begin() + places.category_offsets[p + 1];
    for (int64_t i = places.tag_offsets[p]; i < places.tag_offsets[p + 1]; ++i) {
      const int32_t tag = places.tag_ids[static_cast<size_t>(i)];
      ++n_tags_total;
      if (tag < 0 || static_cast<size_t>(tag) >= tag_category.size() ||
          std::find(c0, c1, tag_category[static_cast<size_t>(tag)]) == c1)
        ++bad_tags;
    }
  }
  add(report, "fine tags belong to the place's categories",
      fmt::format("{} of {} tags outside their place's categories", bad_tags, n_tags_total), "0",
      bad_tags == 0);

  // --- City sizes.
  std::vector<int64_t> city_users(static_cast<size_t>(config.n_cities));
  for (auto c : users.home_city_id) ++city_users[static_cast<size_t>(c)];
  {
    std::vector<int64_t> sorted = city_users;
    std::sort(sorted.begin(), sorted.end());
    const double largest = static_cast<double>(sorted.back());
    const double median = static_cast<double>(sorted[sorted.size() / 2]);
    const bool applicable = config.n_cities >= 3 && config.city_weight_exponent > 0;
    const double ratio = median > 0 ? largest / median : largest;
    add(report, "city sizes are skewed",
        fmt::format("largest city {} users, median city {} (ratio {:.2f})", sorted.back(),
                    sorted[sorted.size() / 2], ratio),
        applicable ? "largest / median >= 2" : "n/a (fewer than 3 cities or equal weights)",
        !applicable || ratio >= 2.0);
  }

  // --- Popularity.
  {
    std::vector<double> logs;
    for (float p : places.popularity) logs.push_back(std::log(static_cast<double>(p)));
    const Moments m = moments(logs);
    const double d = ks_normal(logs);
    const double limit = std::max(0.02, 1.5 / std::sqrt(static_cast<double>(logs.size())));
    add(report, "popularity is log-normal",
        fmt::format(
            "log popularity: mean {:.3f}, sd {:.3f}, skewness {:.3f}, excess kurtosis {:.3f}, "
            "KS distance to the fitted normal {:.4f}",
            m.mean, m.sd, m.skewness, m.excess_kurtosis, d),
        fmt::format("KS <= {:.4f}, |skewness| <= 0.3", limit),
        d <= limit && std::abs(m.skewness) <= 0.3);
  }
  progress.advance(1);

  // --- Interactions, streamed by row group.
  const PreferenceModel model(config, geography, users, places);
  AttendanceIndex attendance(users.size());
  std::vector<int64_t> views_per_user(users.size()), attends_per_user(users.size());
  int64_t rows = 0, in_home = 0, in_frequent = 0, bad_rows = 0;
  int64_t hour_rows[4] = {0, 0, 0, 0};
  int64_t weekday_rows = 0, weekend_rows = 0;
  std::vector<double> sample_score, sample_rating;
  std::vector<double> score_attend_low_high(4,
                                            0.0);  // attended / rows in bottom & top score halves
  RandomStream sampler(static_cast<uint64_t>(config.seed), StreamKind::Validation, 0);
  {
    const auto reader = parquet::TableReader::open_required(data_dir, "interactions");
    const double keep = std::min(
        1.0, static_cast<double>(kMaxCorrelationRows) / std::max<int64_t>(1, reader.num_rows()));
    for (int g = 0; g < reader.num_row_groups(); ++g) {
      const auto b = reader.read_row_group(
          g, {"user_id", "place_id", "attended", "implicit_rating", "time_bucket", "is_weekend"});
      const auto& user = b.column("user_id").i32;
      const auto& place = b.column("place_id").i32;
      const auto& attended = b.column("attended").b8;
      const auto& rating = b.column("implicit_rating").f32;
      const auto& bucket = b.column("time_bucket").i32;
      const auto& weekend = b.column("is_weekend").b8;
      InteractionRows attended_rows;
      for (size_t i = 0; i < b.num_rows(); ++i) {
        ++rows;
        const int32_t u = user[i], p = place[i];
        if (u < 0 || static_cast<size_t>(u) >= users.size() || p < 0 ||
            static_cast<size_t>(p) >= places.size() || !(rating[i] >= 1.0f && rating[i] <= 5.0f) ||
            bucket[i] < 0 || bucket[i] > 3) {
          ++bad_rows;
          continue;
        }
        const auto su = static_cast<size_t>(u), sp = static_cast<size_t>(p);
        ++views_per_user[su];
        ++hour_rows[bucket[i]];
        (weekend[i] ? weekend_rows : weekday_rows) += 1;
        if (places.city_id[sp] == users.home_city_id[su]) {
          ++in_home;
          for (int64_t k = users.frequent_offsets[su]; k < users.frequent_offsets[su + 1]; ++k)
            in_frequent += users.frequent_neighborhood_ids[static_cast<size_t>(k)] ==
                           places.neighborhood_id[sp];
        }
        if (attended[i]) {
          ++attends_per_user[su];
          attended_rows.user_id.push_back(u);
          attended_rows.place_id.push_back(p);
          attended_rows.attended.push_back(1);
        }
        if (sampler.uniform() < keep) {
          sample_score.push_back(model.true_preference_score(su, sp));
          sample_rating.push_back(rating[i]);
        }
      }
      attendance.add(attended_rows);
    }
  }
  attendance.finalize();
  progress.advance(1);
  add(report, "interaction rows are well formed",
      fmt::format("{} rows, {} with ids, rating or time bucket out of range", rows, bad_rows),
      "0 bad rows, > 0 rows", bad_rows == 0 && rows > 0);

  {
    const double rho = spearman(sample_score, sample_rating);
    // Attendance rate in the top vs bottom fifth of the true score.
    std::vector<size_t> order(sample_score.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return sample_score[a] < sample_score[b]; });
    const size_t fifth = order.size() / 5;
    double low = 0, high = 0;
    for (size_t i = 0; i < fifth; ++i) {
      low += sample_rating[order[i]];
      high += sample_rating[order[order.size() - 1 - i]];
    }
    low /= std::max<size_t>(1, fifth);
    high /= std::max<size_t>(1, fifth);
    add(report, "engagement rises with the preference score",
        fmt::format("Spearman(true score, implicit_rating) = {:.3f} over {} rows; mean rating "
                    "{:.2f} in the "
                    "top fifth of scores vs {:.2f} in the bottom fifth",
                    rho, sample_score.size(), high, low),
        "rho >= 0.1 and top > bottom", rho >= 0.1 && high > low);
  }

  {
    const double home_share =
        rows > 0 ? static_cast<double>(in_home) / static_cast<double>(rows) : 0;
    const double frequent_share =
        rows > 0 ? static_cast<double>(in_frequent) / static_cast<double>(rows) : 0;
    // What uniform choice among the home city's places would give.
    std::vector<std::vector<int64_t>> places_in_nb(static_cast<size_t>(config.n_cities));
    std::vector<int64_t> nb_places(static_cast<size_t>(config.n_neighborhoods()));
    std::vector<int64_t> city_places(static_cast<size_t>(config.n_cities));
    for (size_t p = 0; p < places.size(); ++p) {
      ++nb_places[static_cast<size_t>(places.neighborhood_id[p])];
      ++city_places[static_cast<size_t>(places.city_id[p])];
    }
    double base = 0;
    for (size_t u = 0; u < users.size(); ++u) {
      const auto cp = city_places[static_cast<size_t>(users.home_city_id[u])];
      if (cp == 0) continue;
      int64_t in = 0;
      for (int64_t k = users.frequent_offsets[u]; k < users.frequent_offsets[u + 1]; ++k)
        in +=
            nb_places[static_cast<size_t>(users.frequent_neighborhood_ids[static_cast<size_t>(k)])];
      base += static_cast<double>(in) / static_cast<double>(cp);
    }
    base /= std::max<size_t>(1, users.size());
    add(report, "most interactions are in the home city",
        fmt::format("{:.1f}% of interactions in the user's home city", 100 * home_share), ">= 80%",
        home_share >= 0.8);
    add(report, "interactions concentrate in frequent neighborhoods",
        fmt::format("{:.1f}% in the user's frequent neighborhoods (uniform choice in the home "
                    "city: {:.1f}%)",
                    100 * frequent_share, 100 * base),
        ">= 1.5 x uniform", frequent_share >= 1.5 * base);
  }

  {
    const double total = static_cast<double>(std::max<int64_t>(1, rows));
    const double evening = static_cast<double>(hour_rows[3]) / total,
                 night = static_cast<double>(hour_rows[0]) / total;
    // Per day: 2 weekend days vs 5 weekdays.
    const double weekend_per_day = static_cast<double>(weekend_rows) / 2.0;
    const double weekday_per_day = static_cast<double>(weekday_rows) / 5.0;
    add(report, "time-of-day and weekday patterns",
        fmt::format("night {:.1f}%, morning {:.1f}%, afternoon {:.1f}%, evening {:.1f}%; weekend "
                    "day / weekday "
                    "volume {:.2f}",
                    100 * night, 100 * hour_rows[1] / total, 100 * hour_rows[2] / total,
                    100 * evening, weekday_per_day > 0 ? weekend_per_day / weekday_per_day : 0.0),
        "evening > night and weekend days busier than weekdays",
        evening > night && weekend_per_day > weekday_per_day);
  }

  {
    std::vector<double> log_attends;
    double total_attends = 0;
    int64_t active = 0;
    for (auto a : attends_per_user) {
      total_attends += static_cast<double>(a);
      if (a > 0) {
        ++active;
        log_attends.push_back(std::log(static_cast<double>(a)));
      }
    }
    std::vector<int64_t> sorted = attends_per_user;
    std::sort(sorted.begin(), sorted.end());
    const double mean = total_attends / static_cast<double>(std::max<size_t>(1, users.size()));
    const double median = static_cast<double>(sorted[sorted.size() / 2]);
    const double p99 =
        static_cast<double>(sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)]);
    const Moments lm = moments(log_attends);
    const Moments views =
        moments(std::vector<double>(views_per_user.begin(), views_per_user.end()));
    add(report, "per-user activity is heavy-tailed (Gowalla-like)",
        fmt::format(
            "attends per user: mean {:.1f} (Gowalla ~33), median {:.0f}, p99 {:.0f}, max {}; "
            "log-count skewness {:.2f}; views per user: mean {:.0f}, skewness {:.2f}; {} of {} "
            "users active",
            mean, median, p99, sorted.back(), lm.skewness, views.mean, views.skewness, active,
            users.size()),
        "mean > median, p99 >= 4 x median, |log-count skewness| <= 1 (log-normal-like)",
        mean > median && p99 >= 4 * std::max(1.0, median) && std::abs(lm.skewness) <= 1.0);
  }
  progress.advance(1);

  // --- Social edges: homophily and co-attendance vs random pairs.
  {
    const auto reader = parquet::TableReader::open_required(data_dir, "user_user_edges");
    const auto b = reader.read_all({"user_a", "user_b", "similarity", "co_attendance"});
    const auto& a = b.column("user_a").i32;
    const auto& bb = b.column("user_b").i32;
    const auto& sim = b.column("similarity").f32;
    const auto& co = b.column("co_attendance").i32;
    double edge_sim = 0, edge_co = 0;
    int64_t bad = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] < 0 || bb[i] <= a[i] || static_cast<size_t>(bb[i]) >= users.size()) {
        ++bad;
        continue;
      }
      edge_sim += sim[i];
      edge_co += co[i];
      if (co[i] != attendance.co_attendance(a[i], bb[i])) ++bad;
    }
    const double n_edges = static_cast<double>(std::max<size_t>(1, a.size()));
    edge_sim /= n_edges;
    edge_co /= n_edges;
    double random_sim = 0, random_co = 0;
    int pairs = 0;
    RandomStream rng(static_cast<uint64_t>(config.seed), StreamKind::Validation, 1);
    const auto n = static_cast<int64_t>(users.size());
    for (int i = 0; i < kRandomPairs && n > 1; ++i) {
      const auto x = rng.uniform_int(0, n - 1), y = rng.uniform_int(0, n - 1);
      if (x == y) continue;
      random_sim += interest_similarity(users, static_cast<size_t>(x), static_cast<size_t>(y));
      random_co += attendance.co_attendance(static_cast<int32_t>(x), static_cast<int32_t>(y));
      ++pairs;
    }
    random_sim /= std::max(1, pairs);
    random_co /= std::max(1, pairs);
    add(report, "social edges are well formed",
        fmt::format(
            "{} edges, {} malformed or with a co_attendance that the interactions contradict",
            a.size(), bad),
        "0", bad == 0);
    add(report, "social edges connect similar users (homophily)",
        fmt::format("mean interest similarity {:.3f} on edges vs {:.3f} for random pairs (x{:.1f})",
                    edge_sim, random_sim, random_sim > 0 ? edge_sim / random_sim : 0.0),
        ">= 1.5 x random", edge_sim >= 1.5 * random_sim);
    add(report, "friends co-attend far more than random pairs",
        fmt::format("mean co-attended places {:.3f} on edges vs {:.4f} for random pairs (x{:.0f})",
                    edge_co, random_co, random_co > 0 ? edge_co / random_co : 0.0),
        ">= 5 x random and > 0", edge_co > 0 && edge_co >= 5 * random_co);
  }
  progress.advance(1);

  // --- Friend labels.
  {
    const auto reader = parquet::TableReader::open_required(data_dir, "friend_labels");
    const auto b = reader.read_all({"label", "attend_probability"});
    const auto& label = b.column("label").i32;
    const auto& prob = b.column("attend_probability").f32;
    int64_t pos = 0, neg = 0, bad = 0;
    double pos_p = 0, neg_p = 0;
    for (size_t i = 0; i < label.size(); ++i) {
      if (!(prob[i] > 0.0f && prob[i] < 1.0f) || (label[i] != 0 && label[i] != 1)) ++bad;
      if (label[i] == 1) {
        ++pos;
        pos_p += prob[i];
      } else {
        ++neg;
        neg_p += prob[i];
      }
    }
    pos_p /= std::max<int64_t>(1, pos);
    neg_p /= std::max<int64_t>(1, neg);
    add(report, "friend labels: positives, negatives, attendance probability",
        fmt::format(
            "{} positives, {} negatives; mean attend_probability {:.3f} (positives) vs {:.3f} "
            "(negatives); {} malformed",
            pos, neg, pos_p, neg_p, bad),
        "both classes present, positives' probability higher, 0 malformed",
        pos > 0 && neg > 0 && pos_p > neg_p && bad == 0);
  }
  progress.advance(1);
  progress.finish();
  return report;
}

}  // namespace recsys::synthetic
