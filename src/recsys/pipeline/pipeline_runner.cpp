#include "recsys/pipeline/pipeline_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/data/cf_importer.h"
#include "recsys/data/lbsn_importer.h"
#include "recsys/eval/metric_map.h"
#include "recsys/export/embedding_export.h"
#include "recsys/export/embeddings_folder.h"
#include "recsys/graph/graph_builder.h"
#include "recsys/index/index_folder.h"
#include "recsys/io/atomic_file.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/model/model_evaluation.h"
#include "recsys/model/train_model.h"
#include "recsys/pipeline/report_data.h"
#include "recsys/pipeline/report_html.h"
#include "recsys/pipeline/stage_record.h"
#include "recsys/synthetic/generator.h"

namespace recsys::pipeline {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct Stage {
  std::string name;
  std::string description;
  json config;
  std::vector<std::string> inputs;   // paths relative to the workdir, checksummed
  std::vector<std::string> outputs;  // paths relative to the workdir
  std::function<void()> run;
};

void write_text_file(const fs::path& path, const std::string& text) {
  io::AtomicFile file(path);
  file.write(text.data(), text.size());
  file.commit();
}

void write_metrics(const fs::path& path, const eval::MetricMap& metrics) {
  write_text_file(path, eval::metrics_to_json(metrics).dump(2) + "\n");
}

eval::MetricMap read_metrics(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw IoError(fmt::format("{}: cannot read", path.string()));
  try {
    return eval::metrics_from_json(json::parse(in));
  } catch (const json::exception& e) {
    throw FormatError(fmt::format("{}: malformed JSON ({})", path.string(), e.what()));
  }
}

void train_and_evaluate(const fs::path& graph, const std::string& model,
                        const model::TrainConfig& config, const fs::path& model_dir,
                        const std::vector<int>& ks, const fs::path& metrics_file) {
  model::TrainRequest r;
  r.graph_dir = graph;
  r.model = model;
  r.config = config;
  r.output_dir = model_dir;
  r.force = true;
  model::train_model(r);
  write_metrics(metrics_file, model::evaluate_model({model_dir, graph, ks}));
}

std::string baseline_metrics_file(const std::string& name) {
  return "baselines/metrics-" + name + ".json";
}

int64_t first_user_id(const fs::path& embeddings) {
  const parquet::Reader reader(embeddings / exporter::kUsersParquet);
  if (reader.num_rows() == 0) return -1;
  const auto batch = reader.read_row_group(0, {"user_id"});
  const auto& c = batch.column("user_id");
  return c.i32.empty() ? c.i64.at(0) : c.i32.at(0);
}

std::vector<Stage> plan(const PipelineConfig& c, const fs::path& wd, int k) {
  std::vector<Stage> stages;
  const fs::path tables = wd / "tables", graph = wd / "graph", model_dir = wd / "model";

  // data
  Stage data{"data", "", json::object(), {}, {"tables"}, nullptr};
  if (c.source_kind == DataSource::Synthetic) {
    const auto config = c.synthetic_config();
    data.description =
        fmt::format("generate {} users x {} places", config.n_users, config.n_places);
    data.config = {{"source", "synthetic"}, {"generator", config.to_toml(false)}};
    data.run = [config, tables] { synthetic::generate_dataset(config, tables, true); };
  } else {
    data.description = "import " + c.source;
    data.config = {{"source", c.source}};
    data.inputs.push_back(fs::absolute(c.source_dir).string());
    if (c.source_kind == DataSource::Cf) {
      data::CfImportOptions o;
      o.train = c.source_dir / "train.txt";
      o.test = c.source_dir / "test.txt";
      if (fs::exists(c.source_dir / "valid.txt")) o.valid = c.source_dir / "valid.txt";
      o.output_dir = tables;
      o.force = true;
      data.run = [o] { data::import_cf(o); };
    } else {
      data::LbsnImportOptions o;
      o.input_dir = c.source_dir;
      o.output_dir = tables;
      o.force = true;
      data.run = [o] { data::import_lbsn(o); };
    }
  }
  stages.push_back(data);

  // graph
  auto gc = c.graph_config();
  gc.data_dir = tables;
  gc.output_dir = graph;
  gc.force = true;
  stages.push_back({"graph",
                    "build the graph",
                    {{"split", c.split}, {"seed", c.graph_seed}},
                    {"tables"},
                    {"graph"},
                    [gc] { graph::build_graph(gc); }});

  // the main model
  const std::string model_name = c.main_model();
  const auto train_config = c.main_train_config();
  stages.push_back({"train",
                    "train " + model_name,
                    {{"model", model_name}, {"config", train_config.to_json()}},
                    {"graph"},
                    {"model"},
                    [=] {
                      model::TrainRequest r;
                      r.graph_dir = graph;
                      r.model = model_name;
                      r.config = train_config;
                      r.output_dir = model_dir;
                      r.force = true;
                      model::train_model(r);
                    }});
  const auto ks = c.ks;
  stages.push_back(
      {"evaluate",
       "evaluate " + model_name,
       {{"k", ks}},
       {"graph", "model"},
       {"metrics.json"},
       [=] {
         write_metrics(wd / "metrics.json", model::evaluate_model({model_dir, graph, ks}));
       }});

  // baselines
  const auto baseline_config = c.baseline_train_config();
  for (const auto& name : c.active_baselines()) {
    const fs::path dir = wd / "baselines" / name;
    const fs::path metrics = wd / baseline_metrics_file(name);
    stages.push_back({"baseline:" + name,
                      "baseline " + name,
                      {{"model", name}, {"config", baseline_config.to_json()}, {"k", ks}},
                      {"graph"},
                      {"baselines/" + name, baseline_metrics_file(name)},
                      [=] {
                        fs::create_directories(wd / "baselines");
                        train_and_evaluate(graph, name, baseline_config, dir, ks, metrics);
                      }});
  }

  // export, index
  stages.push_back({"export",
                    "export embeddings",
                    json::object(),
                    {"graph", "model", "metrics.json"},
                    {"embeddings"},
                    [=] {
                      exporter::ExportRequest r;
                      r.model_dir = model_dir;
                      r.output_dir = wd / "embeddings";
                      r.graph_dir = graph;
                      r.metrics_file = wd / "metrics.json";
                      r.force = true;
                      exporter::export_embeddings(r);
                    }});
  const std::string index_type = c.index_type;
  stages.push_back({"index",
                    "build the retrieval indices",
                    {{"type", index_type}},
                    {"embeddings"},
                    {"index"},
                    [=] {
                      index::IndexBuildOptions o;
                      if (index_type != "auto") o.kind = index::parse_index_kind(index_type);
                      index::write_index_folder(exporter::read_embeddings_folder(wd / "embeddings"),
                                                wd / "index", o, true);
                    }});

  // report
  ReportInputs report{wd, c.source, model_name, c.active_baselines(), k};
  std::vector<std::string> report_inputs{"tables", "model", "metrics.json"};
  for (const auto& name : report.baselines) report_inputs.push_back(baseline_metrics_file(name));
  json scripts = json::object();
  for (const auto& file : report_script_files()) scripts[file] = path_checksum(c.js_dir / file);
  const fs::path js_dir = c.js_dir;
  stages.push_back({"report",
                    "write report.html",
                    {{"k", k}, {"title", c.source}, {"model", model_name}, {"scripts", scripts}},
                    report_inputs,
                    {"report.html"},
                    [=] {
                      write_text_file(wd / "report.html",
                                      render_report_html(compute_report_data(report), js_dir));
                    }});
  return stages;
}

}  // namespace

PipelineSummary run_pipeline(const PipelineRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  const PipelineConfig& c = request.config;
  c.validate();  // before anything is written
  if (request.workdir.empty()) throw ConfigError("pipeline: --workdir is required");
  const fs::path wd = fs::absolute(request.workdir).lexically_normal();
  if (fs::exists(wd) && !fs::is_directory(wd))
    throw IoError(fmt::format("{}: --workdir exists and is not a folder", wd.string()));

  PipelineSummary summary;
  summary.workdir = wd;
  summary.k = std::find(c.ks.begin(), c.ks.end(), 20) != c.ks.end() ? 20 : c.ks.front();
  const auto stages = plan(c, wd, summary.k);
  fs::create_directories(wd);
  PipelineRecords records(wd);

  std::map<std::string, std::string> checksums;  // relative path -> checksum, this run
  auto checksum = [&](const std::string& path) {
    const auto it = checksums.find(path);
    if (it != checksums.end()) return it->second;
    const fs::path p = fs::path(path).is_absolute() ? fs::path(path) : wd / path;
    return checksums[path] = path_checksum(p);
  };

  const int n = static_cast<int>(stages.size());
  for (int i = 0; i < n; ++i) {
    const Stage& stage = stages[i];
    std::map<std::string, std::string> inputs;
    for (const auto& in : stage.inputs) {
      inputs[in] = checksum(in);
      if (inputs[in].empty())
        throw IoError(fmt::format("pipeline stage {}: input {} is missing", stage.name, in));
    }
    const std::string step = fmt::format("pipeline [{}/{}] {}", i + 1, n, stage.name);
    if (!request.force && records.up_to_date(stage.name, stage.config, inputs)) {
      log_info(fmt::format("{}: up to date, skipped ({})", step, stage.description));
      summary.stages.push_back({stage.name, true, 0});
      continue;
    }
    log_info(fmt::format("{}: {}", step, stage.description));
    const auto t0 = std::chrono::steady_clock::now();
    stage.run();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    StageRecord record;
    record.config = stage.config;
    record.inputs = inputs;
    record.seconds = seconds;
    for (const auto& out : stage.outputs) {
      checksums.erase(out);
      record.outputs[out] = checksum(out);
    }
    records.record(stage.name, std::move(record));
    log_info(fmt::format("{}: done in {:.1f} s", step, seconds));
    summary.stages.push_back({stage.name, false, seconds});
  }

  summary.metrics.emplace_back(c.main_model(), read_metrics(wd / "metrics.json"));
  for (const auto& name : c.active_baselines())
    summary.metrics.emplace_back(name, read_metrics(wd / baseline_metrics_file(name)));
  summary.sample_user = first_user_id(wd / "embeddings");
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

std::string format_pipeline_metrics(const PipelineSummary& s) {
  const std::string k = std::to_string(s.k);
  const std::vector<std::string> keys{"recall@" + k, "ndcg@" + k, "hit@" + k, "mrr",
                                      "coverage@" + k};
  std::string out = fmt::format("{:<18}", "model");
  for (const auto& key : keys) out += fmt::format(" {:>12}", key);
  out += "\n";
  for (const auto& [name, metrics] : s.metrics) {
    out += fmt::format("{:<18}", name);
    for (const auto& key : keys) {
      const auto it = metrics.find(key);
      out +=
          it == metrics.end() ? fmt::format(" {:>12}", "-") : fmt::format(" {:>12.4f}", it->second);
    }
    out += "\n";
  }
  return out;
}

}  // namespace recsys::pipeline
