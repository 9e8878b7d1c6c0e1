#include "recsys/eval/metric_map.h"

#include <fmt/format.h>

#include <algorithm>

#include "recsys/core/error.h"

namespace recsys::eval {

nlohmann::json metrics_to_json(const MetricMap& metrics) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [key, value] : metrics) json[key] = value;
  return json;
}

MetricMap metrics_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw FormatError("metrics JSON: expected an object of numbers");
  MetricMap metrics;
  for (const auto& [key, value] : json.items()) {
    if (!value.is_number()) {
      throw FormatError("metrics JSON: key '" + key + "' is not a number");
    }
    metrics[key] = value.get<double>();
  }
  return metrics;
}

std::string format_metrics_table(const MetricMap& metrics) {
  size_t width = 6;
  for (const auto& [key, value] : metrics) width = std::max(width, key.size());
  std::string table = fmt::format("{:<{}}  {:>10}\n", "metric", width, "value");
  for (const auto& [key, value] : metrics) {
    bool is_count = key.size() >= 5 && key.compare(key.size() - 5, 5, "users") == 0;
    if (is_count) {
      table += fmt::format("{:<{}}  {:>10.0f}\n", key, width, value);
    } else {
      table += fmt::format("{:<{}}  {:>10.4f}\n", key, width, value);
    }
  }
  return table;
}

}  // namespace recsys::eval
