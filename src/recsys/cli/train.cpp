// `recsys train`: graph artifact -> model folder (baselines: popularity, itemknn, mf-bpr,
// oracle, common-neighbours).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "recsys/cli/command.h"
#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/thread_setup.h"
#include "recsys/model/distributed_options.h"
#include "recsys/model/train_config.h"
#include "recsys/model/train_model.h"

namespace recsys::cli {
namespace {

struct TrainFlags {
  std::string graph, model, config, output;
  std::vector<std::string> settings;  // --set section.key=value (TOML value)
  int threads = 0;
  std::optional<uint64_t> seed;
  std::optional<int> epochs, dim, neighbours;
  std::optional<int> world_size, rank;  // data-parallel training (model/distributed_options.h)
  std::string master;
  std::optional<double> learning_rate;
  bool force = false, resume = false, quiet = false;
  std::string log_format = "text";
};

void run(const TrainFlags& f) {
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  configure_threads(f.threads);
  model::TrainRequest r;
  r.graph_dir = f.graph;
  r.model = f.model;
  r.output_dir = f.output;
  r.force = f.force;
  r.resume = f.resume;
  r.distributed = model::distributed_options_from_flags(f.world_size, f.rank, f.master);
  if (!f.config.empty()) r.config = model::load_train_config(f.config);
  for (const auto& setting : f.settings) {
    if (setting.find('=') == std::string::npos)
      throw ConfigError("--set " + setting + ": expected section.key=value");
    r.config.apply_toml_string(setting + "\n", "--set " + setting);
  }  if (f.seed) r.config.seed = *f.seed;
  if (f.epochs) r.config.mf_bpr.max_epochs = *f.epochs;
  if (f.dim) r.config.mf_bpr.dim = *f.dim;
  if (f.learning_rate) r.config.mf_bpr.learning_rate = *f.learning_rate;
  if (f.neighbours) r.config.itemknn.neighbours = *f.neighbours;
  const auto summary = model::train_model(r);
  if (!r.distributed.writer()) {
    std::printf("rank %d of %d finished (rank 0 writes the model)\n", r.distributed.rank,
                r.distributed.world_size);
    std::fflush(stdout);
    return;
  }
  if (progress_options().format == LogFormat::Json) {
    std::printf("%s\n", nlohmann::json({{"event", "train"},
                                        {"model", summary.manifest["model"]},
                                        {"output", f.output},
                                        {"train_seconds", summary.seconds}})
                            .dump()
                            .c_str());
  } else {
    std::printf("model %s written to %s (%.2f s)\n",
                summary.manifest["model"].get<std::string>().c_str(), f.output.c_str(),
                summary.seconds);
  }
  std::fflush(stdout);
}

const CommandRegistration registration("train", 30, [](CLI::App& app) {
  auto f = std::make_shared<TrainFlags>();
  auto* cmd = app.add_subcommand("train", "Train a model on a graph artifact");
  cmd->add_option("--graph", f->graph, "graph folder (recsys build-graph)")->required();
  std::string models;
  for (const auto& n : model::model_names()) models += (models.empty() ? "" : ", ") + n;
  cmd->add_option("--model", f->model, "model to train (default: the config's `model`): " + models);
  cmd->add_option("--output", f->output, "model folder to write")->required();
  cmd->add_option("--config", f->config,
                  "TOML file (configs/cf.toml: recommended for implicit feedback; "
                  "configs/baselines.toml documents the baselines)");
  cmd->add_option("--set", f->settings, "override one config key: section.key=value (repeatable)");
  cmd->add_option("--threads", f->threads, "worker threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--seed", f->seed, "overrides the config's seed");
  cmd->add_option("--epochs", f->epochs, "overrides mf_bpr.max_epochs");
  cmd->add_option("--dim", f->dim, "overrides mf_bpr.dim");
  cmd->add_option("--learning-rate", f->learning_rate, "overrides mf_bpr.learning_rate");
  cmd->add_option("--neighbours", f->neighbours, "overrides itemknn.neighbours");
  cmd->add_option("--world-size", f->world_size,
                  "data-parallel training: number of processes (lightgcn, hetero; "
                  "scripts/train-distributed N starts them)");
  cmd->add_option("--rank", f->rank, "this process's rank, 0 .. world size - 1 (0 writes the model)");
  cmd->add_option("--master", f->master, "HOST:PORT where rank 0 hosts the rendezvous store");
  cmd->add_flag("--force", f->force, "replace an existing output folder");
  cmd->add_flag("--resume", f->resume,
                "continue from the latest checkpoint in <output>.checkpoint (after a crash)");
  cmd->add_flag("--quiet,-q", f->quiet, "no progress output");
  cmd->add_option("--log-format", f->log_format, "text or json");
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli
