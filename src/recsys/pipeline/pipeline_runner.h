#pragma once
// `recsys pipeline`: every stage from data to report in one process, into one workdir:
//   tables/      data: generate (synthetic) or import (cf:DIR, lbsn:DIR)
//   graph/       build-graph
//   model/       train the main model (hetero on synthetic data, the config's real_name model,
//                lightgcn by default, on imported data: it exports embeddings)
//   metrics.json evaluate
//   baselines/<name>/, baselines/metrics-<name>.json   the comparison baselines
//   embeddings/  export (with metrics.json in its manifest)
//   index/       index
//   report.html  report_html.h
//   pipeline.json  per-stage records (stage_record.h): a stage whose config and inputs are
//                  unchanged and whose outputs are intact is skipped unless `force`.
// Each stage writes its output atomically, so a failure leaves the previous stages' outputs
// and no half-written folder.
#include <filesystem>
#include <string>
#include <vector>

#include "recsys/eval/metric_map.h"
#include "recsys/pipeline/pipeline_config.h"

namespace recsys::pipeline {

struct PipelineRequest {
  PipelineConfig config;
  std::filesystem::path workdir;
  bool force = false;
};

struct StageOutcome {
  std::string stage;
  bool skipped = false;
  double seconds = 0;
};

struct PipelineSummary {
  std::filesystem::path workdir;
  std::vector<StageOutcome> stages;
  std::vector<std::pair<std::string, eval::MetricMap>> metrics;  // model first, then baselines
  int k = 20;                                                    // the table's cut-off
  int64_t sample_user = -1;  // a raw user id, for the printed query command
  double seconds = 0;
};

// Validates the config (before anything is written), then runs the stages in order.
PipelineSummary run_pipeline(const PipelineRequest& request);

// The final table: one row per model, recall / ndcg / hit at k, mrr, coverage at k.
std::string format_pipeline_metrics(const PipelineSummary& summary);

}  // namespace recsys::pipeline
