// `recsys build-graph`: Parquet tables -> graph artifact (relations, features, splits).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "recsys/cli/command.h"
#include "recsys/core/progress.h"
#include "recsys/core/thread_setup.h"
#include "recsys/graph/build_config.h"
#include "recsys/graph/graph_builder.h"

namespace recsys::cli {
namespace {

struct BuildGraphFlags {
  graph::GraphBuildConfig config;
  std::string split = "auto";
  std::string cutoff;
  double cold_start_fraction = 0;
  bool cold_start_given = false;
  bool holdout_valid = false;
  bool quiet = false;
  std::string log_format = "text";
};

void run(BuildGraphFlags& f) {
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  configure_threads(0);
  auto& c = f.config;
  c.split = graph::parse_split_mode(f.split);
  if (!f.cutoff.empty()) c.cutoff_us = graph::parse_cutoff(f.cutoff);
  if (f.cold_start_given) c.cold_start_fraction = f.cold_start_fraction;
  c.valid_in_train = !f.holdout_valid;
  const auto summary = graph::build_graph(c);
  const auto& m = summary.manifest;
  if (progress_options().format == LogFormat::Json) {
    nlohmann::json j = {{"event", "build_graph"},    {"output", c.output_dir.string()},
                        {"nodes", m["nodes"]},       {"splits", m["splits"]},
                        {"counts", m["counts"]},     {"bytes", summary.bytes},
                        {"seconds", summary.seconds}};
    for (const auto& [name, r] : m["relations"].items()) j["edges"][name] = r["edges"];
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::string out = fmt::format("graph written to {}\nnodes:", c.output_dir.string());
    for (const auto& [type, n] : m["nodes"].items()) out += fmt::format(" {}={}", type, n.dump());
    out += "\nrelations (entries):\n";
    for (const auto& [name, r] : m["relations"].items())
      out += fmt::format("  {:<22} {:>10}\n", name, r["edges"].get<int64_t>());
    const auto& s = m["splits"];
    out +=
        fmt::format("split {}: interaction pairs train {} / valid {} / test {}{}\n",
                    s["mode"].get<std::string>(), s["interaction_pairs"]["train"].dump(),
                    s["interaction_pairs"]["valid"].dump(), s["interaction_pairs"]["test"].dump(),
                    s["valid_in_train"].get<bool>() ? " (valid also in train)" : "");
    out +=
        fmt::format("cold-start users {}, events dropped after a user's held-out time {}\n",
                    m["counts"]["cold_start_users"].dump(), m["counts"]["dropped_events"].dump());
    if (s.contains("social_pairs"))
      out += fmt::format("friendships train {} / valid {} / test {}\n",
                         s["social_pairs"]["train"].dump(), s["social_pairs"]["valid"].dump(),
                         s["social_pairs"]["test"].dump());
    if (s.contains("friend_labels"))
      out += fmt::format("friend labels train {} / valid {} / test {}\n",
                         s["friend_labels"]["train"].dump(), s["friend_labels"]["valid"].dump(),
                         s["friend_labels"]["test"].dump());
    out += fmt::format("features: user {} columns, place {} columns\n",
                       m["features"]["user"]["columns"].dump(),
                       m["features"]["place"]["columns"].dump());
    out += fmt::format("{:.1f} MB of arrays in {:.2f} s\n", summary.bytes / 1e6, summary.seconds);
    std::fputs(out.c_str(), stdout);
  }
  std::fflush(stdout);
}

const CommandRegistration registration("build-graph", 20, [](CLI::App& app) {
  auto f = std::make_shared<BuildGraphFlags>();
  auto* cmd =
      app.add_subcommand("build-graph", "Build the graph artifact (relations, features, splits)");
  cmd->add_option("--data", f->config.data_dir, "data folder (recsys generate / import)")
      ->required();
  cmd->add_option("--output", f->config.output_dir, "graph folder to write")->required();
  cmd->add_option("--events", f->config.event_logs,
                  "events log of recsys serve (<artifacts>/events/events.jsonl) whose interactions join "
                  "the data's; repeatable");
  cmd->add_option("--split", f->split,
                  "auto (predefined when interactions have a split column, else temporal), "
                  "temporal, global-time, predefined, random");
  cmd->add_option("--val-fraction", f->config.val_fraction,
                  "share of each user's places held out for validation")
      ->capture_default_str();
  cmd->add_option("--test-fraction", f->config.test_fraction,
                  "share of each user's places held out for test (temporal, random)")
      ->capture_default_str();
  cmd->add_option(
      "--cutoff", f->cutoff,
      "global-time: test = places first seen at/after this (YYYY-MM-DD[THH:MM:SSZ] or µs)");
  auto* cold = cmd->add_option("--cold-start-fraction", f->cold_start_fraction,
                               "share of users whose interactions all go to test (default 0.05; "
                               "0 with a predefined split)");
  cmd->add_flag("--holdout-valid", f->holdout_valid,
                "predefined split: keep validation pairs out of message passing");
  cmd->add_option("--social-val-fraction", f->config.social_val_fraction,
                  "share of friendships / friend labels held out for validation (pair hash)")
      ->capture_default_str();
  cmd->add_option("--social-test-fraction", f->config.social_test_fraction,
                  "share of friendships / friend labels held out for test (pair hash)")
      ->capture_default_str();
  cmd->add_option("--seed", f->config.seed, "seed of every random choice")->capture_default_str();
  cmd->add_flag("--force", f->config.force, "replace an existing output folder");
  cmd->add_flag("--quiet,-q", f->quiet, "no progress output");
  cmd->add_option("--log-format", f->log_format, "text or json");
  cmd->callback([f, cold] {
    f->cold_start_given = cold->count() > 0;
    run(*f);
  });
});

}  // namespace
}  // namespace recsys::cli
