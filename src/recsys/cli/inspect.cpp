// `recsys inspect FILE.parquet`: schema, row groups, statistics and the first
// rows of a Parquet file (src/recsys/io/parquet/inspect.h), like parquet-tools.
#include "recsys/io/parquet/inspect.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <string>

#include "recsys/cli/command.h"
#include "recsys/io/parquet/reader.h"

namespace recsys::cli {
namespace {

struct InspectFlags {
  std::string file;
  int64_t head = -2;  // -2: not given
  bool json = false;
};

void run(const InspectFlags& f) {
  parquet::Reader reader(f.file);
  std::string summary = parquet::describe_file(reader);
  if (f.json) {
    // stdout holds only the rows, one JSON object per line; the summary goes to stderr.
    std::fputs(summary.c_str(), stderr);
    parquet::RecordBatch rows = parquet::read_head(reader, f.head == -2 ? -1 : f.head);
    for (size_t r = 0; r < rows.num_rows(); ++r) {
      std::string line = parquet::row_to_json(rows, r);
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
    return;
  }
  std::fputs(summary.c_str(), stdout);
  int64_t n = f.head == -2 ? 10 : f.head;
  if (n == 0) return;
  parquet::RecordBatch rows = parquet::read_head(reader, n);
  std::printf("first %zu rows:\n", rows.num_rows());
  std::fputs(parquet::format_table(rows).c_str(), stdout);
}

CommandRegistration registration("inspect", 90, [](CLI::App& app) {
  auto flags = std::make_shared<InspectFlags>();
  CLI::App* sub = app.add_subcommand(
      "inspect", "Show a Parquet file's schema, row groups, statistics and first rows");
  sub->add_option("file", flags->file, "Parquet file")->required();
  sub->add_option("--head", flags->head,
                  "Rows to show (default 10; with --json all rows; -1 = all)")
      ->check(CLI::Range(int64_t{-1}, INT64_MAX));
  sub->add_flag("--json", flags->json,
                "Print rows to stdout as one JSON object per line; the summary goes to stderr");
  sub->callback([flags] { run(*flags); });
});

}  // namespace
}  // namespace recsys::cli
