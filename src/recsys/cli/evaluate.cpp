// `recsys evaluate`: a model folder on its graph's test split -> metrics.json + a table.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "recsys/cli/command.h"
#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/thread_setup.h"
#include "recsys/eval/metric_map.h"
#include "recsys/io/atomic_file.h"
#include "recsys/model/model_evaluation.h"

namespace recsys::cli {
namespace {

struct EvaluateFlags {
  std::string model, graph, output;
  std::vector<int> ks{10, 20, 50};
  int threads = 0;
  int64_t users = 0;
  bool quiet = false;
  std::string log_format = "text";
};

void run(const EvaluateFlags& f) {
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  configure_threads(f.threads);
  for (int k : f.ks)
    if (k < 1) throw ConfigError(fmt::format("--k: each cut-off must be >= 1, got {}", k));
  if (f.users < 0) throw ConfigError(fmt::format("--users: must be >= 0, got {}", f.users));
  const auto metrics = model::evaluate_model({f.model, f.graph, f.ks, f.users});
  if (!f.output.empty()) {
    const std::string text = eval::metrics_to_json(metrics).dump(2) + "\n";
    io::AtomicFile file(f.output);
    file.write(text.data(), text.size());
    file.commit();
  }
  if (progress_options().format == LogFormat::Json) {
    std::printf("%s\n", eval::metrics_to_json(metrics).dump().c_str());
  } else if (!f.quiet) {
    std::fputs(eval::format_metrics_table(metrics).c_str(), stdout);
  }
  std::fflush(stdout);
}

const CommandRegistration registration("evaluate", 31, [](CLI::App& app) {
  auto f = std::make_shared<EvaluateFlags>();
  auto* cmd = app.add_subcommand("evaluate", "Evaluate a trained model on the graph's test split");
  cmd->add_option("--model", f->model, "model folder (recsys train)")->required();
  cmd->add_option("--graph", f->graph, "graph folder the model was trained on")->required();
  cmd->add_option("--output", f->output, "metrics JSON file to write");
  cmd->add_option("--k", f->ks, "cut-offs, comma separated")->delimiter(',')->capture_default_str();
  cmd->add_option("--threads", f->threads, "worker threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--users", f->users,
                  "rank only a uniform sample of this many users (fixed seed; 0 = all users), "
                  "for graphs where users x places is too slow")
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", f->quiet, "no progress output and no table");
  cmd->add_option("--log-format", f->log_format, "text or json");
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli
