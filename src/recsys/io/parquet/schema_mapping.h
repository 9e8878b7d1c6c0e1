#pragma once
// Maps between the table Schema (table.h) and the flattened Parquet schema tree:
// the writer's schema elements for each ColumnType, and, for a file's schema,
// each top-level column's type, leaf range and definition/repetition levels.
// Columns whose Parquet type has no ColumnType are kept with `supported = false`
// and a reason, so they can be listed but not read.
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/table.h"

namespace recsys::parquet {

// Schema elements (root first) for a table schema, in the standard layouts:
// scalars as leaves, lists as <group (LIST)> { repeated group list { required element } }.
std::vector<format::SchemaElement> to_parquet_schema(const Schema& schema);

struct FileColumn {
  std::string name;
  std::string description;  // the Parquet type as text, e.g. "INT64 TIMESTAMP(MICROS, UTC)"
  bool supported = false;
  std::string unsupported_reason;
  ColumnType type = ColumnType::Int64;
  bool nullable = false;
  int first_leaf = 0;  // index of its first leaf column (column chunk) in a row group
  int num_leaves = 1;
  int32_t physical_type = 0;
  int max_def = 0;
  int max_rep = 0;
  int list_def = 0;  // lists: definition level of a present but empty list
  bool element_nullable = false;
  int64_t timestamp_scale = 1;  // multiply stored values by this to get microseconds
};

// Reads the top-level columns of a file schema; throws FormatError (prefixed with
// `context`) when the tree itself is malformed.
std::vector<FileColumn> from_parquet_schema(const std::vector<format::SchemaElement>& elements,
                                            const std::string& context);

}  // namespace recsys::parquet
