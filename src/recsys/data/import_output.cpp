#include "recsys/data/import_output.h"

#include <algorithm>
#include <system_error>

#include "recsys/core/error.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::data {

namespace fs = std::filesystem;
using parquet::Column;
using parquet::ColumnType;

void check_output_dir(const fs::path& target, bool force, const std::vector<fs::path>& inputs) {
  std::error_code ec;
  const auto status = fs::status(target, ec);
  if (!fs::exists(status)) return;
  const fs::path out = fs::weakly_canonical(target, ec);
  for (const auto& input : inputs) {
    if (input.empty()) continue;
    const fs::path in = fs::weakly_canonical(input, ec);
    const auto [o, i] = std::mismatch(out.begin(), out.end(), in.begin(), in.end());
    if (o == out.end())
      throw ConfigError(target.string() + ": the output folder holds the input " + input.string() +
                        "; choose another --output-dir");
  }
  if (!fs::is_directory(status)) throw IoError(target.string() + ": exists and is not a folder");
  if (!force)
    throw IoError(target.string() + ": output folder already exists (use --force to replace it)");
}

ImportOutput::ImportOutput(const fs::path& target, bool force, std::string importer,
                           std::string source, std::string options)
    : dir_(target, force),
      importer_(std::move(importer)),
      source_(std::move(source)),
      options_(std::move(options)) {}

int64_t ImportOutput::write(const std::string& table, const parquet::Schema& schema,
                            const parquet::RecordBatch& batch) {
  parquet::WriterOptions options;
  options.codec = parquet::Codec::Snappy;
  options.row_group_bytes = 32LL << 20;
  options.key_value_metadata = {{kMetaSchemaVersion, std::to_string(kImportSchemaVersion)},
                                {kMetaTable, table},
                                {kMetaImporter, importer_ + " " + std::to_string(kImporterVersion)},
                                {kMetaSource, source_},
                                {kMetaImportOptions, options_}};
  const std::string file = table + ".parquet";
  parquet::Writer writer(dir_.path() / file, schema, options);
  writer.write(batch);
  writer.close();
  files_.emplace_back(file, writer.rows_written());
  return writer.rows_written();
}

Column nullable_int32_column(std::vector<int32_t> values, std::vector<uint8_t> present) {
  return parquet::with_validity(parquet::int32_column(std::move(values)), std::move(present));
}

Column timestamp_column(std::vector<int64_t> micros, std::vector<uint8_t> present) {
  return parquet::with_validity(
      parquet::int64_column(std::move(micros), ColumnType::TimestampMicros), std::move(present));
}

std::vector<int32_t> iota_ids(int64_t n) {
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int32_t>(i);
  return v;
}

}  // namespace recsys::data
