#include "recsys/data/cf_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/data/id_range.h"
#include "recsys/data/import_output.h"
#include "recsys/data/interaction_split.h"
#include "recsys/data/line_reader.h"

namespace recsys::data {

namespace fs = std::filesystem;

namespace {

struct CfRows {
  std::vector<int32_t> user;
  std::vector<int32_t> item;
  std::vector<uint8_t> split;  // index into the split labels
  IdRange users{"user id"};
  IdRange items{"item id"};
};

void parse_cf_file(const fs::path& path, uint8_t split, CfRows& rows) {
  LineReader reader(path);
  std::vector<std::string_view> tokens;
  while (reader.next(tokens)) {
    const int32_t user = reader.parse_id(tokens[0], "user id");
    rows.users.add(user, reader);
    for (size_t t = 1; t < tokens.size(); ++t) {
      const int32_t item = reader.parse_id(tokens[t], "item id");
      rows.items.add(item, reader);
      rows.user.push_back(user);
      rows.item.push_back(item);
      rows.split.push_back(split);
    }
  }
}

// "<parent folder>/<file name>": names the input without the machine's path.
std::string short_name(const fs::path& p) {
  const fs::path parent = fs::absolute(p).lexically_normal().parent_path().filename();
  return parent.empty() ? p.filename().string() : (parent / p.filename()).string();
}

}  // namespace

ImportSummary import_cf(const CfImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.train.empty()) throw ConfigError("import cf: --train is required");
  if (options.test.empty()) throw ConfigError("import cf: --test is required");
  if (options.output_dir.empty()) throw ConfigError("import cf: --output-dir is required");
  if (!is_split_name(options.valid_as))
    throw ConfigError(fmt::format("import cf: --valid-as must be train, valid or test, not '{}'",
                                  options.valid_as));
  check_output_dir(options.output_dir, options.force, {options.train, options.valid, options.test});

  const std::vector<std::string> labels = {kSplitTrain, options.valid_as, kSplitTest};
  CfRows rows;
  parse_cf_file(options.train, 0, rows);
  if (!options.valid.empty()) parse_cf_file(options.valid, 1, rows);
  parse_cf_file(options.test, 2, rows);
  if (rows.user.empty())
    throw FormatError(
        fmt::format("{}: no interactions in the input files", options.train.string()));

  const int64_t n_users = rows.users.count_checked();
  const int64_t n_items = rows.items.count_checked();

  ImportSummary summary;
  summary.format = "cf";
  summary.users = n_users;
  summary.items = n_items;
  summary.interactions = static_cast<int64_t>(rows.user.size());
  {
    std::vector<uint64_t> keys(rows.user.size());
    for (size_t i = 0; i < keys.size(); ++i)
      keys[i] = (static_cast<uint64_t>(rows.user[i]) << 32) | static_cast<uint32_t>(rows.item[i]);
    std::sort(keys.begin(), keys.end());
    summary.distinct_pairs =
        static_cast<int64_t>(std::unique(keys.begin(), keys.end()) - keys.begin());
  }
  for (const char* split : {kSplitTrain, kSplitValid, kSplitTest}) {
    int64_t n = 0;
    for (uint8_t s : rows.split) n += (labels[s] == split);
    if (n > 0 || split != std::string(kSplitValid))
      summary.interactions_by_split.emplace_back(split, n);
  }
  summary.extra.emplace_back("users with interactions", rows.users.distinct());
  summary.extra.emplace_back("items with interactions", rows.items.distinct());

  // Write.
  std::string source = "train=" + short_name(options.train);
  if (!options.valid.empty()) source += " valid=" + short_name(options.valid);
  source += " test=" + short_name(options.test);
  ImportOutput out(options.output_dir, options.force, "cf", source, "valid_as=" + options.valid_as);
  {
    parquet::Schema schema{{{"user_id", parquet::ColumnType::Int32, false},
                            {"place_id", parquet::ColumnType::Int32, false},
                            {"timestamp", parquet::ColumnType::TimestampMicros, true},
                            {"split", parquet::ColumnType::String, false}}};
    const size_t n = rows.user.size();
    std::vector<std::string> split(n);
    for (size_t i = 0; i < n; ++i) split[i] = labels[rows.split[i]];
    std::vector<parquet::Column> columns;
    columns.push_back(int32_column(std::move(rows.user)));
    columns.push_back(int32_column(std::move(rows.item)));
    columns.push_back(timestamp_column(std::vector<int64_t>(n, 0), std::vector<uint8_t>(n, 0)));
    columns.push_back(string_column(std::move(split)));
    out.write("interactions", schema, make_batch(schema, std::move(columns)));
  }
  {
    parquet::Schema schema{{{"user_id", parquet::ColumnType::Int32, false}}};
    out.write("users", schema, make_batch(schema, {int32_column(iota_ids(n_users))}));
  }
  {
    parquet::Schema schema{{{"place_id", parquet::ColumnType::Int32, false}}};
    out.write("places", schema, make_batch(schema, {int32_column(iota_ids(n_items))}));
  }
  out.commit();
  summary.output_dir = out.target();
  summary.files = out.files();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace recsys::data
