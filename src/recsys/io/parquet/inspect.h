#pragma once
// What `recsys inspect` shows of a Parquet file, as text: the schema, row
// groups (codecs, sizes, statistics), the first rows as a table, or rows as
// JSON objects (one per line). The command-line front end only prints these.
#include <cstddef>
#include <cstdint>
#include <string>

#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/table.h"

namespace recsys::parquet {

// Schema, row count, key-value metadata, row groups with per-column codec,
// encodings, sizes and statistics.
std::string describe_file(const Reader& reader);

// The first `n` rows (n < 0: all) of the file's supported columns, reading
// only the row groups needed.
RecordBatch read_head(const Reader& reader, int64_t n);

// A fixed-width text table of the batch (cells cut at 32 characters).
std::string format_table(const RecordBatch& batch);

// One row as a single-line JSON object: keys are column names, null for nulls,
// arrays for lists, numbers as numbers (NaN and infinities as the strings
// "NaN", "Infinity", "-Infinity"), timestamps as ISO-8601 UTC strings.
std::string row_to_json(const RecordBatch& batch, size_t row);

}  // namespace recsys::parquet
