#include "recsys/data/import_summary.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace recsys::data {

double ImportSummary::density() const {
  if (users <= 0 || items <= 0) return 0.0;
  return static_cast<double>(distinct_pairs) /
         (static_cast<double>(users) * static_cast<double>(items));
}

std::string format_import_summary(const ImportSummary& s) {
  std::string out = fmt::format("\nimported {} data into {} in {:.2f} s\n", s.format,
                                s.output_dir.string(), s.seconds);
  out += fmt::format("  {:<26} {:>12}\n", "users", s.users);
  out += fmt::format("  {:<26} {:>12}\n", "items (places)", s.items);
  for (const auto& [split, n] : s.interactions_by_split)
    out += fmt::format("  {:<26} {:>12}\n", "interactions " + split, n);
  out += fmt::format("  {:<26} {:>12}\n", "interactions total", s.interactions);
  out += fmt::format("  {:<26} {:>12}\n", "distinct user-item pairs", s.distinct_pairs);
  out += fmt::format("  {:<26} {:>12.6f}\n", "density", s.density());
  for (const auto& [name, n] : s.extra) out += fmt::format("  {:<26} {:>12}\n", name, n);
  out += "  files:";
  for (const auto& [file, rows] : s.files) out += fmt::format(" {} ({} rows)", file, rows);
  out += "\n";
  return out;
}

nlohmann::json import_summary_json(const ImportSummary& s) {
  nlohmann::json j;
  j["event"] = "summary";
  j["format"] = s.format;
  j["output_dir"] = s.output_dir.string();
  j["users"] = s.users;
  j["items"] = s.items;
  for (const auto& [split, n] : s.interactions_by_split) j["interactions_by_split"][split] = n;
  j["interactions"] = s.interactions;
  j["distinct_pairs"] = s.distinct_pairs;
  j["density"] = s.density();
  for (const auto& [name, n] : s.extra) j[name] = n;
  for (const auto& [file, rows] : s.files) j["files"][file] = rows;
  j["seconds"] = s.seconds;
  return j;
}

}  // namespace recsys::data
