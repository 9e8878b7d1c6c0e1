#pragma once
// The output folder of an importer: Parquet tables written into a temporary
// sibling folder (AtomicDir) and renamed into place by commit(). Every file
// carries the same key-value metadata: schema version, table name, importer
// name and version, and the source (file names, not machine paths).
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "recsys/io/atomic_dir.h"
#include "recsys/io/parquet/table.h"

namespace recsys::data {

inline constexpr int kImporterVersion = 1;
// The table schemas follow the synthetic data set (docs/data-contract.md), version 1.
inline constexpr int kImportSchemaVersion = 1;
inline constexpr const char* kMetaSchemaVersion = "recsys.schema_version";
inline constexpr const char* kMetaTable = "recsys.table";
inline constexpr const char* kMetaImporter = "recsys.importer";
inline constexpr const char* kMetaSource = "recsys.source";
inline constexpr const char* kMetaImportOptions = "recsys.import_options";

// Throws IoError naming --force when `target` exists and `force` is false, and
// ConfigError when `target` is or contains one of the `inputs` (--force would
// delete the input). Called before any parsing so a refused run fails fast;
// AtomicDir checks again.
void check_output_dir(const std::filesystem::path& target, bool force,
                      const std::vector<std::filesystem::path>& inputs);

class ImportOutput {
 public:
  // importer: "cf" or "lbsn"; source: a one-line description of the inputs;
  // options: the importer's settings (e.g. "valid_as=valid").
  ImportOutput(const std::filesystem::path& target, bool force, std::string importer,
               std::string source, std::string options);

  // Writes <table>.parquet with one batch; returns the number of rows.
  int64_t write(const std::string& table, const parquet::Schema& schema,
                const parquet::RecordBatch& batch);
  // Renames the folder into place.
  void commit() { dir_.commit(); }
  const std::filesystem::path& target() const { return dir_.target(); }
  // Files written so far: "<table>.parquet" -> rows.
  const std::vector<std::pair<std::string, int64_t>>& files() const { return files_; }

 private:
  AtomicDir dir_;
  std::string importer_, source_, options_;
  std::vector<std::pair<std::string, int64_t>> files_;
};

// Column builders for the importers' record batches (the generic ones live with the table).
using parquet::bool_column;
using parquet::double_column;
using parquet::int32_column;
using parquet::list_int32_column;
using parquet::make_batch;
using parquet::string_column;
// A nullable int32 column: `present[i] == 0` marks row i as null.
parquet::Column nullable_int32_column(std::vector<int32_t> values, std::vector<uint8_t> present);
// A nullable timestamp column (microseconds, UTC).
parquet::Column timestamp_column(std::vector<int64_t> micros, std::vector<uint8_t> present);
// Ids 0..n-1.
std::vector<int32_t> iota_ids(int64_t n);

}  // namespace recsys::data
