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

Column int32_column(std::vector<int32_t> values) {
  Column c;
  c.type = ColumnType::Int32;
  c.i32 = std::move(values);
  return c;
}

Column nullable_int32_column(std::vector<int32_t> values, std::vector<uint8_t> present) {
  Column c = int32_column(std::move(values));
  bool any_null = false;
  for (uint8_t p : present) any_null |= (p == 0);
  if (any_null) c.validity = std::move(present);
  return c;
}

Column double_column(std::vector<double> values) {
  Column c;
  c.type = ColumnType::Double;
  c.f64 = std::move(values);
  return c;
}

Column bool_column(std::vector<uint8_t> values) {
  Column c;
  c.type = ColumnType::Bool;
  c.b8 = std::move(values);
  return c;
}

Column timestamp_column(std::vector<int64_t> micros, std::vector<uint8_t> present) {
  Column c;
  c.type = ColumnType::TimestampMicros;
  c.i64 = std::move(micros);
  bool any_null = false;
  for (uint8_t p : present) any_null |= (p == 0);
  if (any_null) c.validity = std::move(present);
  return c;
}

Column string_column(std::vector<std::string> values) {
  Column c;
  c.type = ColumnType::String;
  c.str = std::move(values);
  return c;
}

Column list_int32_column(std::vector<int64_t> offsets, std::vector<int32_t> values) {
  Column c;
  c.type = ColumnType::ListInt32;
  c.offsets = std::move(offsets);
  c.i32 = std::move(values);
  return c;
}

std::vector<int32_t> iota_ids(int64_t n) {
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int32_t>(i);
  return v;
}

parquet::RecordBatch make_batch(const parquet::Schema& schema, std::vector<Column> columns) {
  parquet::RecordBatch b;
  for (const auto& f : schema.fields) b.names.push_back(f.name);
  b.columns = std::move(columns);
  return b;
}

}  // namespace recsys::data
