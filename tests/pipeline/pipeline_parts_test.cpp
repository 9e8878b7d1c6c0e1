// The pipeline's parts on their own: config loading (--set, pass-through sections, unknown
// keys), data sources, the folder checksum that drives stage skipping, the report's histogram
// and the page's script inlining.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "recsys/core/error.h"
#include "recsys/pipeline/pipeline_config.h"
#include "recsys/pipeline/report_data.h"
#include "recsys/pipeline/report_html.h"
#include "recsys/pipeline/stage_record.h"

namespace fs = std::filesystem;

namespace recsys::pipeline {
namespace {

const std::string kSource = RECSYS_SOURCE_DIR;

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() /
                     ("recsys-pipeline-parts-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(PipelineConfig, SetOverridesAndPassThroughSections) {
  const auto c = load_pipeline_config(
      kSource + "/configs/pipeline.toml",
      {"generator.config=\"" + kSource + "/configs/synthetic.toml\"",
       "model.config=\"" + kSource + "/configs/hetero.toml\"",
       "model.real_config=\"" + kSource + "/configs/lightgcn.toml\"", "generator.scale.n_users=500",
       "model.hetero.max_epochs=3", "evaluate.k=[5, 20]"});
  EXPECT_EQ(c.synthetic_config().n_users, 500);
  EXPECT_EQ(c.synthetic_config().n_places, 10000);  // the base file's value
  const auto train = c.main_train_config();
  EXPECT_EQ(train.model, "hetero");
  EXPECT_EQ(train.section("hetero").at("max_epochs").get<int>(), 3);
  EXPECT_EQ(train.section("lightgcn").at("max_train_seconds").get<double>(), 270);
  EXPECT_EQ(c.ks, (std::vector<int>{5, 20}));
}

TEST(PipelineConfig, UnknownKeysAreNamed) {
  EXPECT_NE(
      error_of([] { load_pipeline_config({}, {"graph.splitt=\"auto\""}); }).find("graph.splitt"),
      std::string::npos);
  EXPECT_NE(error_of([] { load_pipeline_config({}, {"trainer.x=1"}); }).find("trainer"),
            std::string::npos);
  EXPECT_NE(error_of([] { load_pipeline_config({}, {"graph.seed=\"x\""}); }).find("graph.seed"),
            std::string::npos);
  // Pass-through keys are checked by the stage config they extend.
  const auto c = load_pipeline_config(
      {},
      {"generator.config=\"" + kSource + "/configs/synthetic.toml\"", "generator.scale.n_userz=5"});
  EXPECT_NE(error_of([&] { c.synthetic_config(); }).find("n_userz"), std::string::npos);
  const auto m = load_pipeline_config({}, {"model.config=\"\"", "model.hetero.dimm=5"});
  EXPECT_NE(error_of([&] { m.main_train_config(); }).find("dimm"), std::string::npos);
  const auto b = load_pipeline_config(
      {}, {"baselines.names=[\"popularity\", \"nope\"]", "baselines.config=\"\"",
           "model.config=\"\"", "generator.config=\"\""});
  EXPECT_NE(error_of([&] { b.validate(); }).find("nope"), std::string::npos);
}

TEST(PipelineConfig, DataSources) {
  DataSource kind;
  fs::path dir;
  parse_data_source("cf:/data/ml-1m", "--data-source", kind, dir);
  EXPECT_EQ(kind, DataSource::Cf);
  EXPECT_EQ(dir, "/data/ml-1m");
  parse_data_source("lbsn:x", "--data-source", kind, dir);
  EXPECT_EQ(kind, DataSource::Lbsn);
  EXPECT_NE(
      error_of([&] { parse_data_source("cf:", "--data-source", kind, dir); }).find("--data-source"),
      std::string::npos);
  EXPECT_NE(
      error_of([&] { parse_data_source("csv:x", "data.source", kind, dir); }).find("data.source"),
      std::string::npos);

  const auto cf = load_pipeline_config({}, {"data.source=\"cf:/x\""});
  EXPECT_EQ(cf.main_model(), "lightgcn");
  EXPECT_EQ(cf.active_baselines(), (std::vector<std::string>{"popularity", "itemknn"}));
  const auto lbsn = load_pipeline_config({}, {"data.source=\"lbsn:/x\""});
  EXPECT_EQ(lbsn.active_baselines(),
            (std::vector<std::string>{"popularity", "city-popularity", "itemknn"}));
}

TEST(StageRecord, FolderChecksumFollowsContentAndNames) {
  const fs::path d = temp_dir("checksum");
  EXPECT_EQ(path_checksum(d / "missing"), "");
  write(d / "a/x.bin", "one");
  write(d / "a/sub/y.bin", "two");
  const std::string first = path_checksum(d / "a");
  EXPECT_EQ(first.size(), 16u);
  write(d / "a/.tmp-1/z", "temporary");  // hidden: an atomic writer's temporary folder
  EXPECT_EQ(path_checksum(d / "a"), first);
  write(d / "a/sub/y.bin", "twO");
  EXPECT_NE(path_checksum(d / "a"), first);
  write(d / "a/sub/y.bin", "two");
  EXPECT_EQ(path_checksum(d / "a"), first);
  fs::rename(d / "a/sub/y.bin", d / "a/sub/w.bin");
  EXPECT_NE(path_checksum(d / "a"), first);

  // Records: skipped only with the same config, inputs and intact outputs.
  {
    PipelineRecords records(d);
    records.record("s", {{{"k", 1}}, {{"in", "abc"}}, {{"a", path_checksum(d / "a")}}, 1.0});
  }
  PipelineRecords records(d);
  EXPECT_TRUE(records.up_to_date("s", {{"k", 1}}, {{"in", "abc"}}));
  EXPECT_FALSE(records.up_to_date("s", {{"k", 2}}, {{"in", "abc"}}));
  EXPECT_FALSE(records.up_to_date("s", {{"k", 1}}, {{"in", "abd"}}));
  EXPECT_FALSE(records.up_to_date("t", {{"k", 1}}, {{"in", "abc"}}));
  write(d / "a/x.bin", "changed");
  EXPECT_FALSE(records.up_to_date("s", {{"k", 1}}, {{"in", "abc"}}));
  fs::remove_all(d);
}

TEST(ReportData, Log2Histogram) {
  const auto h = log2_histogram({0, 1, 2, 3, 4, 7, 8, 9, 1});
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[0]["degree"], 1);
  EXPECT_EQ(h[0]["count"], 2);
  EXPECT_EQ(h[1]["degree"], 2);
  EXPECT_EQ(h[1]["count"], 2);
  EXPECT_EQ(h[2]["degree"], 4);
  EXPECT_EQ(h[2]["count"], 2);
  EXPECT_EQ(h[3]["degree"], 8);
  EXPECT_EQ(h[3]["count"], 2);
}

TEST(ReportHtml, InlinesScriptsSafely) {
  const fs::path js = temp_dir("js");
  for (const auto& f : report_script_files())
    write(js / f, "var s = \"</script><b>\"; // " + f + "\n");
  nlohmann::json r = {{"title", "synthetic <test>"},
                      {"model", "m"},
                      {"k", 20},
                      {"data",
                       {{"counts", {{"users", 2}}},
                        {"cities", nlohmann::json::array()},
                        {"place_popularity", log2_histogram({1, 2})},
                        {"user_activity", log2_histogram({3})},
                        {"by_hour", nlohmann::json::array()},
                        {"social_degree", nlohmann::json::array()}}},
                      {"curve_loss", nlohmann::json::array()},
                      {"curve_recall", nlohmann::json::array()},
                      {"metrics_keys", {"recall@20"}},
                      {"metrics", {{{"model", "m"}, {"recall@20", 0.5}}}},
                      {"groups", nlohmann::json::array()}};
  const std::string html = render_report_html(r, js);
  for (const auto& f : report_script_files())
    EXPECT_NE(html.find("// " + f), std::string::npos) << f;
  EXPECT_EQ(html.find("\"</script><b>"), std::string::npos);  // escaped inside the scripts
  EXPECT_NE(html.find("<\\/script><b>"), std::string::npos);
  EXPECT_NE(html.find("synthetic &lt;test&gt;"), std::string::npos);
  EXPECT_NE(html.find("id=\"chart-place_popularity\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"chart-by_hour\""), std::string::npos);  // no times: no chart
  EXPECT_NE(html.find("<td>0.5000</td>"), std::string::npos);
  EXPECT_NE(error_of([&] { render_report_html(r, js / "nowhere"); }).find("nowhere"),
            std::string::npos);
  fs::remove_all(js);
}

}  // namespace
}  // namespace recsys::pipeline
