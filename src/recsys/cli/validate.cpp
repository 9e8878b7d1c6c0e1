// `recsys validate`: realism and integrity checks of a generated data set.
#include "recsys/synthetic/validate.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "recsys/cli/command.h"
#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/thread_setup.h"

namespace recsys::cli {
namespace {

struct ValidateFlags {
  std::string data_dir;
  bool quiet = false;
  std::string log_format = "text";
};

void run(const ValidateFlags& f) {
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  configure_threads(0);
  const auto report = synthetic::validate_dataset(f.data_dir);
  if (progress_options().format == LogFormat::Json) {
    nlohmann::json j;
    j["event"] = "validation";
    j["data_dir"] = report.data_dir.string();
    for (const auto& c : report.checks)
      j["checks"].push_back({{"name", c.name},
                             {"passed", c.passed},
                             {"measured", c.measured},
                             {"expected", c.expected}});
    j["failures"] = report.failures();
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::string out;
    for (const auto& c : report.checks)
      out += fmt::format("[{}] {}\n       {}  (expected {})\n", c.passed ? "PASS" : "FAIL", c.name,
                         c.measured, c.expected);
    out += fmt::format("{} of {} checks passed\n",
                       report.checks.size() - static_cast<size_t>(report.failures()),
                       report.checks.size());
    std::fputs(out.c_str(), stdout);
  }
  std::fflush(stdout);
  if (!report.all_passed())
    throw Error(fmt::format("validate: {} of {} checks failed for {}", report.failures(),
                            report.checks.size(), f.data_dir));
}

const CommandRegistration registration("validate", 11, [](CLI::App& app) {
  auto flags = std::make_shared<ValidateFlags>();
  auto* cmd = app.add_subcommand("validate", "Check a generated data set (realism and integrity)");
  cmd->add_option("--data", flags->data_dir, "data set folder (recsys generate --output-dir)")
      ->required();
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress output");
  cmd->add_option("--log-format", flags->log_format, "text or json");
  cmd->callback([flags] { run(*flags); });
});

}  // namespace
}  // namespace recsys::cli
