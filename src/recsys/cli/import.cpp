// `recsys import cf|lbsn`: real data sets into the project's tables (src/recsys/data).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "recsys/cli/command.h"
#include "recsys/core/progress.h"
#include "recsys/data/cf_importer.h"
#include "recsys/data/import_summary.h"
#include "recsys/data/lbsn_importer.h"

namespace recsys::cli {
namespace {

struct OutputFlags {
  bool quiet = false;
  std::string log_format = "text";
};

void print_summary(const data::ImportSummary& summary, const OutputFlags& f) {
  if (progress_options().format == LogFormat::Json) {
    std::printf("%s\n", data::import_summary_json(summary).dump().c_str());
  } else if (!f.quiet) {
    std::fputs(data::format_import_summary(summary).c_str(), stdout);
  }
  std::fflush(stdout);
}

void add_output_flags(CLI::App* cmd, OutputFlags& f) {
  cmd->add_flag("--quiet,-q", f.quiet, "no progress output and no summary");
  cmd->add_option("--log-format", f.log_format, "text or json");
}

const CommandRegistration registration("import", 12, [](CLI::App& app) {
  auto* import = app.add_subcommand("import", "Import a real data set into Parquet tables");
  import->require_subcommand(1);

  auto cf = std::make_shared<data::CfImportOptions>();
  auto cf_out = std::make_shared<OutputFlags>();
  auto* cf_cmd = import->add_subcommand(
      "cf", "LightGCN text format (user item item ... per line): train/valid/test files");
  cf_cmd->add_option("--train", cf->train, "training interactions")->required();
  cf_cmd->add_option("--valid", cf->valid, "validation interactions (optional)");
  cf_cmd->add_option("--test", cf->test, "test interactions")->required();
  cf_cmd->add_option("--output-dir,--output_dir", cf->output_dir, "output folder")->required();
  cf_cmd->add_option("--valid-as", cf->valid_as,
                     "split label of --valid's rows: valid (default), train or test");
  cf_cmd->add_flag("--force", cf->force, "replace an existing output folder");
  add_output_flags(cf_cmd, *cf_out);
  cf_cmd->callback([cf, cf_out] {
    configure_progress({cf_out->quiet, parse_log_format(cf_out->log_format)});
    print_summary(data::import_cf(*cf), *cf_out);
  });

  auto lbsn = std::make_shared<data::LbsnImportOptions>();
  auto lbsn_out = std::make_shared<OutputFlags>();
  auto* lbsn_cmd = import->add_subcommand(
      "lbsn", "location-based social network folder (check-ins, coordinates, splits, friends)");
  lbsn_cmd->add_option("--input", lbsn->input_dir, "input folder")->required();
  lbsn_cmd->add_option("--output-dir,--output_dir", lbsn->output_dir, "output folder")->required();
  lbsn_cmd
      ->add_option("--city-radius-km", lbsn->geo.city_radius_km,
                   "radius of a city cluster around its seed place")
      ->capture_default_str();
  lbsn_cmd
      ->add_option("--neighborhood-radius-km", lbsn->geo.neighborhood_radius_km,
                   "radius of a neighborhood cluster around its seed place")
      ->capture_default_str();
  lbsn_cmd->add_flag("--force", lbsn->force, "replace an existing output folder");
  add_output_flags(lbsn_cmd, *lbsn_out);
  lbsn_cmd->callback([lbsn, lbsn_out] {
    configure_progress({lbsn_out->quiet, parse_log_format(lbsn_out->log_format)});
    print_summary(data::import_lbsn(*lbsn), *lbsn_out);
  });
});

}  // namespace
}  // namespace recsys::cli
