// `recsys export`: a model folder (scorer "embeddings") -> an embeddings folder for retrieval
// and serving (Parquet + .npy, keyed by the graph's raw ids, with a manifest).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "recsys/cli/command.h"
#include "recsys/core/progress.h"
#include "recsys/export/embedding_export.h"

namespace recsys::cli {
namespace {

struct ExportFlags {
  std::string model, output, graph, metrics;
  bool force = false, quiet = false;
  std::string log_format = "text";
};

void run(const ExportFlags& f) {
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  exporter::ExportRequest r;
  r.model_dir = f.model;
  r.output_dir = f.output;
  r.graph_dir = f.graph;
  r.metrics_file = f.metrics;
  r.force = f.force;
  const auto summary = exporter::export_embeddings(r);
  const auto& m = summary.manifest;
  if (progress_options().format == LogFormat::Json) {
    std::printf("%s\n", nlohmann::json({{"event", "export"},
                                        {"model", m["model"]},
                                        {"output", f.output},
                                        {"users", m["counts"]["users"]},
                                        {"places", m["counts"]["places"]},
                                        {"dim", m["dim"]},
                                        {"export_seconds", summary.seconds}})
                            .dump()
                            .c_str());
  } else if (!f.quiet) {
    std::printf("%s embeddings (%lld users, %lld places, dim %lld) written to %s (%.2f s)\n",
                m["model"].get<std::string>().c_str(),
                static_cast<long long>(m["counts"]["users"].get<int64_t>()),
                static_cast<long long>(m["counts"]["places"].get<int64_t>()),
                static_cast<long long>(m["dim"].get<int64_t>()), f.output.c_str(), summary.seconds);
  }
  std::fflush(stdout);
}

const CommandRegistration registration("export", 32, [](CLI::App& app) {
  auto f = std::make_shared<ExportFlags>();
  auto* cmd = app.add_subcommand(
      "export", "Export a model's user and place embeddings for retrieval and serving");
  cmd->add_option("--model", f->model, "model folder (recsys train) with scorer \"embeddings\"")
      ->required();
  cmd->add_option("--output", f->output, "embeddings folder to write")->required();
  cmd->add_option("--graph", f->graph,
                  "graph folder the model was trained on (default: the model manifest's "
                  "graph.path)");
  cmd->add_option("--metrics", f->metrics,
                  "metrics JSON of the model (recsys evaluate --output), copied into the manifest");
  cmd->add_flag("--force", f->force, "replace an existing output folder");
  cmd->add_flag("--quiet,-q", f->quiet, "no output");
  cmd->add_option("--log-format", f->log_format, "text or json");
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli
