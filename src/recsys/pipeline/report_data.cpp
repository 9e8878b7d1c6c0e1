#include "recsys/pipeline/report_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <map>

#include "recsys/core/error.h"
#include "recsys/eval/metric_map.h"
#include "recsys/io/parquet/reader.h"

namespace recsys::pipeline {
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMicrosPerHour = 3600LL * 1000000;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

nlohmann::json read_json_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw IoError(fmt::format("{}: cannot read", path.string()));
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: malformed JSON ({})", path.string(), e.what()));
  }
}

bool has_column(const parquet::Reader& reader, const std::string& name) {
  return reader.schema().index_of(name) >= 0;
}

int64_t value_at(const parquet::Column& c, size_t row) {
  return c.i32.empty() ? c.i64[row] : c.i32[row];
}

// Ids as int64 (INT32 or INT64 columns); null rows become -1.
std::vector<int64_t> id_column(const parquet::RecordBatch& batch, const std::string& name) {
  const auto& c = batch.column(name);
  std::vector<int64_t> out(c.num_rows());
  for (size_t i = 0; i < out.size(); ++i) out[i] = c.is_null(i) ? -1 : value_at(c, i);
  return out;
}

void add_data_part(const fs::path& tables, nlohmann::json& data) {
  const parquet::Reader interactions(tables / "interactions.parquet");
  std::vector<std::string> columns{"user_id", "place_id"};
  const bool timed = has_column(interactions, "timestamp");
  if (timed) columns.push_back("timestamp");
  const auto batch = interactions.read_all(columns);
  const auto users = id_column(batch, "user_id");
  const auto places = id_column(batch, "place_id");

  const parquet::Reader user_table(tables / "users.parquet");
  const parquet::Reader place_table(tables / "places.parquet");
  const int64_t n_users = user_table.num_rows();
  const int64_t n_places = place_table.num_rows();
  std::vector<int64_t> user_degree(n_users, 0), place_degree(n_places, 0);
  for (size_t i = 0; i < users.size(); ++i) {
    if (users[i] >= 0 && users[i] < n_users) ++user_degree[users[i]];
    if (places[i] >= 0 && places[i] < n_places) ++place_degree[places[i]];
  }
  data["counts"] = {{"users", n_users},
                    {"places", n_places},
                    {"interactions", static_cast<int64_t>(users.size())}};
  data["user_activity"] = log2_histogram(user_degree);
  data["place_popularity"] = log2_histogram(place_degree);

  // Interactions by hour of day and by weekday (UTC), when the data has times.
  data["by_hour"] = nlohmann::json::array();
  data["by_weekday"] = nlohmann::json::array();
  if (timed) {
    const auto& ts = batch.column("timestamp");
    std::vector<int64_t> hours(24, 0), weekdays(7, 0);
    int64_t timed_rows = 0;
    for (size_t i = 0; i < ts.num_rows(); ++i) {
      if (ts.is_null(i)) continue;
      const int64_t us = ts.i64[i];
      const int64_t day = us >= 0 ? us / kMicrosPerDay : -((-us - 1) / kMicrosPerDay) - 1;
      const int64_t in_day = us - day * kMicrosPerDay;
      ++hours[in_day / kMicrosPerHour];
      ++weekdays[((day % 7) + 7 + 3) % 7];  // 1970-01-01 was a Thursday (Monday = 0)
      ++timed_rows;
    }
    if (timed_rows > 0) {
      static const char* names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
      for (int h = 0; h < 24; ++h)
        data["by_hour"].push_back({{"hour", h}, {"interactions", hours[h]}});
      for (int d = 0; d < 7; ++d)
        data["by_weekday"].push_back(
            {{"weekday", names[d]}, {"order", d}, {"interactions", weekdays[d]}});
    }
  }

  // City sizes: places per city, users per home city.
  std::map<int64_t, std::pair<int64_t, int64_t>> cities;  // city -> (places, users)
  if (has_column(place_table, "city_id"))
    for (int64_t c : id_column(place_table.read_all({"city_id"}), "city_id"))
      if (c >= 0) ++cities[c].first;
  if (has_column(user_table, "home_city_id"))
    for (int64_t c : id_column(user_table.read_all({"home_city_id"}), "home_city_id"))
      if (c >= 0) ++cities[c].second;
  data["cities"] = nlohmann::json::array();
  for (const auto& [city, counts] : cities) {
    data["cities"].push_back(
        {{"city", fmt::format("city {}", city)}, {"kind", "places"}, {"count", counts.first}});
    data["cities"].push_back(
        {{"city", fmt::format("city {}", city)}, {"kind", "users"}, {"count", counts.second}});
  }

  // Social graph degrees.
  data["social_degree"] = nlohmann::json::array();
  const fs::path edges_file = tables / "user_user_edges.parquet";
  if (fs::exists(edges_file)) {
    const auto edges = parquet::Reader(edges_file).read_all({"user_a", "user_b"});
    std::vector<int64_t> degree(n_users, 0);
    int64_t pairs = 0;
    for (const char* side : {"user_a", "user_b"})
      for (int64_t u : id_column(edges, side))
        if (u >= 0 && u < n_users) ++degree[u];
    pairs = static_cast<int64_t>(edges.num_rows());
    data["counts"]["friendships"] = pairs;
    data["social_degree"] = log2_histogram(degree);
  }
}

// Long format: [{epoch, series, value}] for every loss column, and validation Recall@20.
void add_curve_part(const fs::path& curve_file, nlohmann::json& out) {
  out["curve_loss"] = nlohmann::json::array();
  out["curve_recall"] = nlohmann::json::array();
  if (!fs::exists(curve_file)) return;
  const auto curve = read_json_file(curve_file);
  if (!curve.is_array()) throw FormatError(curve_file.string() + ": expected a JSON array");
  for (const auto& row : curve) {
    if (!row.is_object() || !row.contains("epoch")) continue;
    const auto epoch = row["epoch"];
    for (const auto& [key, value] : row.items()) {
      if (!value.is_number()) continue;
      if (key.rfind("loss", 0) == 0)
        out["curve_loss"].push_back({{"epoch", epoch}, {"series", key}, {"value", value}});
      else if (key.rfind("valid_", 0) == 0 && key.find("recall@") != std::string::npos)
        out["curve_recall"].push_back({{"epoch", epoch}, {"series", key}, {"value", value}});
    }
  }
}

}  // namespace

nlohmann::json log2_histogram(const std::vector<int64_t>& degrees) {
  std::map<int, int64_t> bins;
  for (int64_t d : degrees)
    if (d >= 1) ++bins[std::bit_width(static_cast<uint64_t>(d)) - 1];
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [b, n] : bins) out.push_back({{"degree", int64_t{1} << b}, {"count", n}});
  return out;
}

nlohmann::json compute_report_data(const ReportInputs& in) {
  nlohmann::json out;
  out["title"] = in.title;
  out["model"] = in.model;
  out["k"] = in.k;
  nlohmann::json data;
  add_data_part(in.workdir / "tables", data);
  out["data"] = data;
  add_curve_part(in.workdir / "model" / "training_curve.json", out);

  // Metrics of the model and each baseline: the main table and the group breakdown.
  std::vector<std::pair<std::string, fs::path>> models{{in.model, in.workdir / "metrics.json"}};
  for (const auto& b : in.baselines)
    models.emplace_back(b, in.workdir / "baselines" / fmt::format("metrics-{}.json", b));
  const std::string k = std::to_string(in.k);
  const std::vector<std::string> table_keys{"recall@" + k, "ndcg@" + k,     "hit@" + k,
                                            "mrr",         "coverage@" + k, "friends.recall@" + k};
  out["metrics_keys"] = table_keys;
  out["metrics"] = nlohmann::json::array();
  out["groups"] = nlohmann::json::array();
  const std::string suffix = ".recall@" + k;
  for (const auto& [name, file] : models) {
    if (!fs::exists(file)) continue;
    const auto metrics = eval::metrics_from_json(read_json_file(file));
    nlohmann::json row = {{"model", name}};
    for (const auto& key : table_keys) {
      const auto it = metrics.find(key);
      if (it != metrics.end()) row[key] = it->second;
    }
    out["metrics"].push_back(row);
    for (const auto& [key, value] : metrics) {
      if (key.rfind("group.", 0) != 0 || key.size() <= 6 + suffix.size() ||
          key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
        continue;
      const std::string group = key.substr(6, key.size() - 6 - suffix.size());
      const auto users = metrics.find("group." + group + ".users");
      out["groups"].push_back({{"model", name},
                               {"group", group},
                               {"value", value},
                               {"users", users == metrics.end() ? 0.0 : users->second}});
    }
  }
  return out;
}

}  // namespace recsys::pipeline
