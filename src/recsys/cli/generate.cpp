// `recsys generate`: the synthetic data set (src/recsys/synthetic).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "recsys/cli/command.h"
#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/thread_setup.h"
#include "recsys/synthetic/config.h"
#include "recsys/synthetic/generator.h"

namespace recsys::cli {
namespace {

struct GenerateFlags {
  std::string output_dir;
  std::string config_path;
  std::optional<int> n_users, n_places, n_cities;
  std::optional<int64_t> seed;
  std::vector<std::string> settings;  // --set section.key=value (TOML value)
  int threads = 0;
  bool force = false;
  bool print_config = false;
  bool quiet = false;
  std::string log_format = "text";
  std::string shard;  // "i/n": write only shard i of n, as part files
};

std::string human_bytes(int64_t b) {
  if (b >= (1LL << 20)) return fmt::format("{:.1f} MB", b / 1048576.0);
  if (b >= 1024) return fmt::format("{:.1f} kB", b / 1024.0);
  return fmt::format("{} B", b);
}

void run(const GenerateFlags& f) {
  if (f.print_config) {
    synthetic::SyntheticConfig config;
    if (!f.config_path.empty()) config.apply_toml_file(f.config_path);
    for (const auto& setting : f.settings)
      config.apply_toml_string(setting + "\n", "--set " + setting);
    config.validate();
    std::fputs(config.to_toml(true).c_str(), stdout);
    return;
  }
  if (f.output_dir.empty()) throw ConfigError("generate: --output-dir is required");
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  const int threads = configure_threads(f.threads);
  synthetic::SyntheticConfig config;
  if (!f.config_path.empty()) config.apply_toml_file(f.config_path);
  for (const auto& setting : f.settings) {
    if (setting.find('=') == std::string::npos)
      throw ConfigError("--set " + setting + ": expected section.key=value");
    config.apply_toml_string(setting + "\n", "--set " + setting);
  }
  if (f.n_users) config.n_users = *f.n_users;
  if (f.n_places) config.n_places = *f.n_places;
  if (f.n_cities) config.n_cities = *f.n_cities;
  if (f.seed) config.seed = *f.seed;
  config.validate();
  std::optional<synthetic::ShardSpec> shard;
  if (!f.shard.empty()) shard = synthetic::parse_shard_spec(f.shard, "--shard");
  log_info(fmt::format(
      "generating {} users x {} places in {} cities (seed {}, {} threads) into {}{}",
      config.n_users, config.n_places, config.n_cities, config.seed, threads, f.output_dir,
      shard ? fmt::format(" (shard {} of {})", shard->index, shard->count) : ""));
  const auto report = shard ? synthetic::generate_shard(config, f.output_dir, *shard, f.force)
                            : synthetic::generate_dataset(config, f.output_dir, f.force);

  if (progress_options().format == LogFormat::Json) {
    nlohmann::json j;
    j["event"] = "summary";
    j["output_dir"] = report.output_dir.string();
    j["total_seconds"] = report.total_seconds;
    for (const auto& s : report.stages)
      j["stages"].push_back({{"stage", s.stage},
                             {"file", s.file},
                             {"rows", s.rows},
                             {"bytes", s.bytes},
                             {"seconds", s.seconds},
                             {"cpu_seconds", s.cpu_seconds},
                             {"peak_rss_bytes", s.peak_rss_bytes}});
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  if (f.quiet) return;
  std::string table = fmt::format("\n{:<14} {:<40} {:>10} {:>10} {:>8} {:>8} {:>10}\n", "stage",
                                  "file", "rows", "size", "wall s", "CPU s", "peak RSS");
  int64_t bytes = 0;
  for (const auto& s : report.stages) {
    table += fmt::format("{:<14} {:<40} {:>10} {:>10} {:>8.2f} {:>8.2f} {:>10}\n", s.stage, s.file,
                         s.rows, human_bytes(s.bytes), s.seconds, s.cpu_seconds,
                         human_bytes(s.peak_rss_bytes));
    bytes += s.bytes;
  }
  table += fmt::format("{:<14} {:<40} {:>10} {:>10} {:>8.2f}\n", "total",
                       report.output_dir.string(), "", human_bytes(bytes), report.total_seconds);
  const std::string dir = report.output_dir.string();
  if (shard) {
    table += fmt::format(
        "\nShard {} of {} written into {} (part files). Once all {} shards are done:\n"
        "  recsys validate --data {}\n",
        shard->index, shard->count, dir, shard->count, dir);
    std::fputs(table.c_str(), stdout);
    return;
  }
  table += fmt::format(
      "\nNext steps:\n  recsys validate --data {0}\n  recsys inspect {0}/interactions.parquet "
      "--head 5\n"
      "  (ground_truth/ holds the oracle ranking: for evaluation only, never for training)\n",
      dir);
  std::fputs(table.c_str(), stdout);
}

const CommandRegistration registration("generate", 10, [](CLI::App& app) {
  auto flags = std::make_shared<GenerateFlags>();
  auto* cmd = app.add_subcommand("generate", "Generate the synthetic data set (Parquet files)");
  cmd->add_option("--output-dir,--output_dir", flags->output_dir, "output folder");
  cmd->add_option("--config", flags->config_path, "TOML config (defaults: configs/synthetic.toml)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--n-users,--n_users", flags->n_users, "number of users (overrides the config)");
  cmd->add_option("--n-places,--n_places", flags->n_places, "number of places");
  cmd->add_option("--n-cities,--n_cities", flags->n_cities, "number of cities");
  cmd->add_option("--seed", flags->seed, "random seed");
  cmd->add_option("--set", flags->settings,
                  "override any parameter: --set interactions.temperature=0.1 (TOML value; "
                  "repeatable; applied after --config)");
  cmd->add_option("--threads", flags->threads, "worker threads (0 = all cores)");
  cmd->add_flag("--force", flags->force, "replace an existing output folder");
  cmd->add_option("--shard", flags->shard,
                  "i/n: generate only shard i of n (the users of the shard's cities and their "
                  "rows) as Hive-style part files in the shared --output-dir; shard 0 also "
                  "writes the shared tables. scripts/generate-sharded runs all n");
  cmd->add_flag(
      "--print-config", flags->print_config,
      "print the configuration (defaults, or --config applied) as commented TOML and exit");
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress output");
  cmd->add_option("--log-format", flags->log_format, "text or json");
  cmd->callback([flags] { run(*flags); });
});

}  // namespace
}  // namespace recsys::cli
