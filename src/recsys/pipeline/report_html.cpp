#include "recsys/pipeline/report_html.h"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "recsys/core/error.h"

namespace recsys::pipeline {
namespace {

using json = nlohmann::json;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot read (scripts/setup installs it)", path.string()));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Text placed inside <script>: "</script" (any case) would end the element early; "<\/" is
// the same text in a JavaScript or JSON string. Nothing else is touched, so that scripts
// (whose regular expressions may hold "</") stay byte for byte as shipped.
std::string script_safe(std::string text) {
  static const std::string tag = "</script";
  for (size_t pos = 0; pos + tag.size() <= text.size(); ++pos) {
    bool match = true;
    for (size_t i = 0; i < tag.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(text[pos + i])) == tag[i];
    if (match) text.replace(pos, 2, "<\\/");
  }
  return text;
}

json base(const std::string& title, const json& values) {
  return {{"$schema", "https://vega.github.io/schema/vega-lite/v6.json"},
          {"title", title},
          {"width", 520},
          {"height", 260},
          {"data", {{"values", values}}}};
}

json log_histogram(const std::string& title, const json& values, const std::string& what,
                   const std::string& x_title) {
  json spec = base(title, values);
  spec["mark"] = {{"type", "line"}, {"point", true}};
  spec["encoding"] = {{"x",
                       {{"field", "degree"},
                        {"type", "quantitative"},
                        {"title", x_title},
                        {"scale", {{"type", "log"}, {"base", 2}}}}},
                      {"y",
                       {{"field", "count"},
                        {"type", "quantitative"},
                        {"title", what},
                        {"scale", {{"type", "log"}}}}},
                      {"tooltip", json::array({{{"field", "degree"}}, {{"field", "count"}}})}};
  return spec;
}

}  // namespace

const std::vector<std::string>& report_script_files() {
  static const std::vector<std::string> files{"vega/build/vega.min.js",
                                              "vega-lite/build/vega-lite.min.js",
                                              "vega-embed/build/vega-embed.min.js"};
  return files;
}

json report_chart_specs(const json& r) {
  json specs = json::object();
  const json& d = r.at("data");
  if (!d.at("cities").empty()) {
    json s = base("City sizes: places and users (home city) per city", d["cities"]);
    s["mark"] = "bar";
    s["encoding"] = {
        {"x", {{"field", "city"}, {"type", "nominal"}, {"sort", nullptr}, {"title", "city"}}},
        {"xOffset", {{"field", "kind"}}},
        {"y", {{"field", "count"}, {"type", "quantitative"}, {"title", "count"}}},
        {"color", {{"field", "kind"}, {"type", "nominal"}, {"title", ""}}},
        {"tooltip", json::array({{{"field", "city"}}, {{"field", "kind"}}, {{"field", "count"}}})}};
    specs["cities"] = s;
  }
  specs["place_popularity"] =
      log_histogram("Place popularity (log-log): places per interaction-count bin",
                    d.at("place_popularity"), "places", "interactions per place (log2 bins)");
  specs["user_activity"] =
      log_histogram("User activity (log-log): users per interaction-count bin",
                    d.at("user_activity"), "users", "interactions per user (log2 bins)");
  if (!d.at("by_hour").empty()) {
    json s = base("Interactions by hour of day (UTC)", d["by_hour"]);
    s["mark"] = "bar";
    s["encoding"] = {{"x", {{"field", "hour"}, {"type", "ordinal"}}},
                     {"y", {{"field", "interactions"}, {"type", "quantitative"}}},
                     {"tooltip", json::array({{{"field", "hour"}}, {{"field", "interactions"}}})}};
    specs["by_hour"] = s;
    json w = base("Interactions by weekday (UTC)", d["by_weekday"]);
    w["mark"] = "bar";
    w["encoding"] = {
        {"x", {{"field", "weekday"}, {"type", "ordinal"}, {"sort", {{"field", "order"}}}}},
        {"y", {{"field", "interactions"}, {"type", "quantitative"}}},
        {"tooltip", json::array({{{"field", "weekday"}}, {{"field", "interactions"}}})}};
    specs["by_weekday"] = w;
  }
  if (!d.at("social_degree").empty())
    specs["social_degree"] =
        log_histogram("Social graph: users per friend-count bin (log-log)", d["social_degree"],
                      "users", "friends per user (log2 bins)");
  if (!r.at("curve_loss").empty()) {
    json s = base("Training loss per epoch", r["curve_loss"]);
    s["mark"] = {{"type", "line"}, {"point", true}};
    s["encoding"] = {
        {"x", {{"field", "epoch"}, {"type", "quantitative"}}},
        {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", "loss"}}},
        {"color", {{"field", "series"}, {"type", "nominal"}}},
        {"tooltip",
         json::array({{{"field", "epoch"}}, {{"field", "series"}}, {{"field", "value"}}})}};
    specs["training_loss"] = s;
  }
  if (!r.at("curve_recall").empty()) {
    json s = base("Validation Recall@20 per epoch", r["curve_recall"]);
    s["mark"] = {{"type", "line"}, {"point", true}};
    s["encoding"] = {
        {"x", {{"field", "epoch"}, {"type", "quantitative"}}},
        {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", "recall"}}},
        {"color", {{"field", "series"}, {"type", "nominal"}}},
        {"tooltip",
         json::array({{{"field", "epoch"}}, {{"field", "series"}}, {{"field", "value"}}})}};
    specs["training_recall"] = s;
  }
  const std::string k = std::to_string(r.at("k").get<int>());
  json long_metrics = json::array();
  for (const auto& row : r.at("metrics"))
    for (const std::string& key : {"recall@" + k, "ndcg@" + k, "hit@" + k})
      if (row.contains(key))
        long_metrics.push_back({{"model", row["model"]}, {"metric", key}, {"value", row[key]}});
  if (!long_metrics.empty()) {
    json s = base("Test metrics: the model against the baselines", long_metrics);
    s["mark"] = "bar";
    s["encoding"] = {{"x", {{"field", "metric"}, {"type", "nominal"}, {"title", ""}}},
                     {"xOffset", {{"field", "model"}, {"sort", nullptr}}},
                     {"y", {{"field", "value"}, {"type", "quantitative"}}},
                     {"color", {{"field", "model"}, {"type", "nominal"}, {"sort", nullptr}}},
                     {"tooltip", json::array({{{"field", "model"}},
                                              {{"field", "metric"}},
                                              {{"field", "value"}, {"format", ".4f"}}})}};
    specs["metrics"] = s;
  }
  if (!r.at("groups").empty()) {
    json s =
        base("Recall@" + k + " per user group (cold start, training activity, city)", r["groups"]);
    s["width"] = 760;
    s["mark"] = "bar";
    s["encoding"] = {
        {"x", {{"field", "group"}, {"type", "nominal"}, {"sort", nullptr}, {"title", "group"}}},
        {"xOffset", {{"field", "model"}, {"sort", nullptr}}},
        {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", "recall@" + k}}},
        {"color", {{"field", "model"}, {"type", "nominal"}, {"sort", nullptr}}},
        {"tooltip", json::array({{{"field", "model"}},
                                 {{"field", "group"}},
                                 {{"field", "value"}, {"format", ".4f"}},
                                 {{"field", "users"}}})}};
    specs["groups"] = s;
  }
  return specs;
}

std::string render_report_html(const json& r, const std::filesystem::path& js_dir) {
  const json specs = report_chart_specs(r);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += fmt::format("<title>recsys pipeline report: {}</title>\n",
                      html_escape(r.at("title").get<std::string>()));
  html +=
      "<style>body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;"
      "padding:0 1em;color:#222}h2{margin-top:2em;border-bottom:1px solid #ddd}"
      "table{border-collapse:collapse}td,th{padding:.25em .7em;border-bottom:1px solid #eee;"
      "text-align:right}td:first-child,th:first-child{text-align:left}"
      ".charts{display:flex;flex-wrap:wrap;gap:1.5em}.note{color:#666}</style>\n";
  for (const auto& file : report_script_files())
    html += "<script>\n" + script_safe(read_text(js_dir / file)) + "\n</script>\n";
  html += "</head>\n<body>\n";
  html += fmt::format("<h1>recsys pipeline report</h1>\n<p>Data: {}; model: {}.</p>\n",
                      html_escape(r["title"].get<std::string>()),
                      html_escape(r["model"].get<std::string>()));
  const json& counts = r["data"]["counts"];
  html += "<p>";
  for (const auto& [key, value] : counts.items())
    html += fmt::format("{} {} &middot; ", value.dump(), html_escape(key));
  html += "</p>\n";

  auto section = [&](const std::string& heading, const std::vector<std::string>& ids,
                     const std::string& empty_note) {
    html += "<h2>" + html_escape(heading) + "</h2>\n<div class=\"charts\">\n";
    bool any = false;
    for (const auto& id : ids)
      if (specs.contains(id)) {
        html += fmt::format("<div id=\"chart-{}\" class=\"chart\"></div>\n", id);
        any = true;
      }
    if (!any) html += "<p class=\"note\">" + html_escape(empty_note) + "</p>\n";
    html += "</div>\n";
  };
  section("Data",
          {"cities", "place_popularity", "user_activity", "by_hour", "by_weekday", "social_degree"},
          "no data charts");
  section("Training", {"training_loss", "training_recall"},
          "the model wrote no training curve (it has no epochs)");

  // The metrics table.
  html += "<h2>Test metrics</h2>\n<table>\n<tr><th>model</th>";
  const auto& keys = r["metrics_keys"];
  for (const auto& key : keys) html += "<th>" + html_escape(key.get<std::string>()) + "</th>";
  html += "</tr>\n";
  for (const auto& row : r["metrics"]) {
    html += "<tr><td>" + html_escape(row["model"].get<std::string>()) + "</td>";
    for (const auto& key : keys)
      html += row.contains(key.get<std::string>())
                  ? fmt::format("<td>{:.4f}</td>", row[key.get<std::string>()].get<double>())
                  : std::string("<td>&ndash;</td>");
    html += "</tr>\n";
  }
  html +=
      "</table>\n<p class=\"note\">oracle: the generator's ground-truth ranking (an upper "
      "reference, synthetic data only).</p>\n";
  section("Metrics against the baselines", {"metrics"}, "no metrics");
  section("Per-group breakdown", {"groups"}, "no per-group metrics");

  html += "<script>\nconst specs = " + script_safe(specs.dump()) + ";\n";
  html +=
      "for (const [id, spec] of Object.entries(specs)) {\n"
      "  vegaEmbed('#chart-' + id, spec, {actions: false, renderer: 'svg'})\n"
      "    .catch(err => { document.getElementById('chart-' + id).textContent = "
      "'chart error: ' + err; console.error(err); });\n"
      "}\n</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace recsys::pipeline
