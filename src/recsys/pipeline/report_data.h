#pragma once
// The numbers report.html plots, computed from a pipeline workdir: aggregates only (counts per
// city, log-binned degree histograms, counts per hour and weekday), so the page stays small
// whatever the data's size.
//   tables/    interactions (user_id, place_id, timestamp), places (city_id), users
//              (home_city_id), user_user_edges (user_a, user_b) when present
//   model/training_curve.json (when the model writes one)
//   metrics.json and baselines/metrics-<name>.json
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace recsys::pipeline {

struct ReportInputs {
  std::filesystem::path workdir;
  std::string title;                   // e.g. the data source
  std::string model;                   // the main model's name
  std::vector<std::string> baselines;  // with metrics files in baselines/
  int k = 20;                          // the cut-off of the table and the group breakdown
};

// {"data": {...}, "curve": [...], "metrics": [...], "groups": [...]} (report_html.h reads it).
// Throws the Parquet reader's errors naming a table; missing optional inputs give empty parts.
nlohmann::json compute_report_data(const ReportInputs& inputs);

// Counts per log2 bin of a degree list: [{"degree": 2^b, "count": n}] over degrees >= 1, plus
// {"degree": 0, ...} is left out (log scales); returned in increasing degree.
nlohmann::json log2_histogram(const std::vector<int64_t>& degrees);

}  // namespace recsys::pipeline
