// `recsys pipeline`: data -> graph -> model -> metrics -> baselines -> embeddings -> index ->
// report.html in one process (src/recsys/pipeline), then the metrics table and how to serve.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "recsys/cli/command.h"
#include "recsys/core/progress.h"
#include "recsys/core/thread_setup.h"
#include "recsys/pipeline/pipeline_runner.h"

namespace recsys::cli {
namespace {

struct PipelineFlags {
  std::string config, workdir, data_source;
  std::vector<std::string> settings;
  int threads = 0;
  bool force = false, quiet = false;
  std::string log_format = "text";
};

void run(const PipelineFlags& f) {
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  configure_threads(f.threads);
  std::vector<std::string> settings = f.settings;
  if (!f.data_source.empty()) {
    // Checked here so that the error names the flag.
    pipeline::DataSource kind;
    std::filesystem::path dir;
    pipeline::parse_data_source(f.data_source, "--data-source", kind, dir);
    settings.push_back("data.source=" + nlohmann::json(f.data_source).dump());
  }
  // Without --config: configs/pipeline.toml when run from the project root, else the defaults.
  std::string config = f.config;
  if (config.empty() && std::filesystem::is_regular_file("configs/pipeline.toml"))
    config = "configs/pipeline.toml";
  pipeline::PipelineRequest r;
  r.config = pipeline::load_pipeline_config(config, settings);
  r.workdir = f.workdir;
  r.force = f.force;
  const auto s = pipeline::run_pipeline(r);

  if (progress_options().format == LogFormat::Json) {
    nlohmann::json j = {
        {"event", "pipeline"}, {"workdir", s.workdir.string()}, {"seconds", s.seconds}};
    for (const auto& st : s.stages)
      j["stages"].push_back(
          {{"stage", st.stage}, {"skipped", st.skipped}, {"seconds", st.seconds}});
    for (const auto& [name, m] : s.metrics) j["metrics"][name] = eval::metrics_to_json(m);
    std::printf("%s\n", j.dump().c_str());
  } else if (!f.quiet) {
    std::string out = fmt::format("\n{:<26} {:>8}\n", "stage", "seconds");
    for (const auto& st : s.stages)
      out += st.skipped ? fmt::format("{:<26} {:>8}\n", st.stage, "skipped")
                        : fmt::format("{:<26} {:>8.1f}\n", st.stage, st.seconds);
    out += fmt::format("{:<26} {:>8.1f}\n\n", "total", s.seconds);
    out += pipeline::format_pipeline_metrics(s);
    const std::string dir = s.workdir.string();
    out += fmt::format("\nreport: {}/report.html\nserve:  recsys serve --artifacts {}\n", dir, dir);
    if (s.sample_user >= 0)
      out += fmt::format("query:  recsys recommend --artifacts {} --user {}\n", dir, s.sample_user);
    std::fputs(out.c_str(), stdout);
  }
  std::fflush(stdout);
}

const CommandRegistration registration("pipeline", 5, [](CLI::App& app) {
  auto f = std::make_shared<PipelineFlags>();
  auto* cmd = app.add_subcommand(
      "pipeline",
      "Run every stage (data, graph, train, evaluate, baselines, export, index, report.html) "
      "into one workdir, skipping stages whose inputs and config are unchanged");
  cmd->add_option(
         "--config", f->config,
         "pipeline TOML (default: configs/pipeline.toml when present; it documents the keys)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--workdir", f->workdir, "folder of the stages' outputs (runs/NAME)")->required();
  cmd->add_option("--data-source", f->data_source,
                  "synthetic, cf:DIR (train.txt, test.txt[, valid.txt]) or lbsn:DIR "
                  "(overrides data.source)");
  cmd->add_option("--set", f->settings,
                  "override one config key: section.key=value, TOML value (repeatable; e.g. "
                  "generator.scale.n_users=1000, model.hetero.max_epochs=2)");
  cmd->add_option("--threads", f->threads, "worker threads (0 = all cores)")->capture_default_str();
  cmd->add_flag("--force", f->force, "rerun every stage");
  cmd->add_flag("--quiet,-q", f->quiet, "no progress output and no summary");
  cmd->add_option("--log-format", f->log_format, "text or json");
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli
