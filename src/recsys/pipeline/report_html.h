#pragma once
// report.html: one self-contained page (no network at view time) with Vega-Lite charts of the
// report data (report_data.h). vega, vega-lite and vega-embed are inlined from their npm
// packages' UMD builds (js_dir = tools/node_modules, installed by scripts/setup) when the page
// is written; every chart's data is inline too.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace recsys::pipeline {

// The files inlined, relative to js_dir, in load order.
const std::vector<std::string>& report_script_files();

// The Vega-Lite specs, by chart id ("cities", "place_popularity", ...), with inline data.
nlohmann::json report_chart_specs(const nlohmann::json& report_data);

// The whole page. Throws IoError naming a script file that cannot be read.
std::string render_report_html(const nlohmann::json& report_data,
                               const std::filesystem::path& js_dir);

}  // namespace recsys::pipeline
