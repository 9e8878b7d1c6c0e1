#pragma once
// The narrow, format-independent interface to columnar files: a schema of named,
// typed columns and record batches of whole columns. The Parquet writer and
// reader speak only these types, so the implementation behind them can be
// swapped (for Apache Arrow, say) without touching callers.
#include <cstdint>
#include <string>
#include <vector>

namespace recsys::parquet {

enum class ColumnType : uint8_t {
  Bool,             // values in Column::b8 (0 or 1)
  Int8,             // values in Column::i32, INT32 with logical INT(8, signed)
  Int16,            // values in Column::i32, INT32 with logical INT(16, signed)
  Int32,            // values in Column::i32
  Int64,            // values in Column::i64
  TimestampMicros,  // values in Column::i64: microseconds since the Unix epoch, UTC
  Float,            // values in Column::f32
  Double,           // values in Column::f64
  String,           // values in Column::str, UTF-8
  ListInt32,        // list<int32>: Column::offsets (rows + 1) into Column::i32
  ListFloat,        // list<float>: Column::offsets (rows + 1) into Column::f32
};

const char* to_string(ColumnType type);

struct Field {
  std::string name;
  ColumnType type;
  bool nullable = false;
};

struct Schema {
  std::vector<Field> fields;

  // Index of the field with this name, or -1.
  int index_of(const std::string& name) const;
};

// One column of a batch. Scalar columns hold exactly one value slot per row,
// null rows included (the slot's value is then ignored). List columns hold
// rows + 1 offsets; a null list has an empty range. `validity` is empty when the
// column has no nulls, otherwise one byte per row (1 = present, 0 = null).
struct Column {
  ColumnType type = ColumnType::Int64;
  std::vector<uint8_t> validity;
  std::vector<uint8_t> b8;
  std::vector<int32_t> i32;
  std::vector<int64_t> i64;
  std::vector<float> f32;
  std::vector<double> f64;
  std::vector<std::string> str;
  std::vector<int64_t> offsets;

  size_t num_rows() const;
  bool is_null(size_t row) const { return !validity.empty() && validity[row] == 0; }
};

// Appends src's rows to dst (same type; the caller checks): values, validity (either side may
// have none: all valid) and, for lists, the offsets rebased onto dst's values (src's values
// taken from its first to its last offset).
void append_column(Column& dst, Column src);

// Column factories: a column of `type` owning the values.
Column int32_column(std::vector<int32_t> values, ColumnType type = ColumnType::Int32);
Column int64_column(std::vector<int64_t> values, ColumnType type = ColumnType::Int64);
Column float_column(std::vector<float> values);
Column double_column(std::vector<double> values);
Column bool_column(std::vector<uint8_t> values);
Column string_column(std::vector<std::string> values);
Column list_int32_column(std::vector<int64_t> offsets, std::vector<int32_t> values);
Column list_float_column(std::vector<int64_t> offsets, std::vector<float> values);
// A batch whose column names are the schema's, in schema order.
struct RecordBatch;
RecordBatch make_batch(const Schema& schema, std::vector<Column> columns);
// Marks the rows whose `present` byte is 0 as null (keeps `validity` empty when none is).
Column with_validity(Column column, std::vector<uint8_t> present);

// Columns of equal length, in schema order (or in projection order when read).
struct RecordBatch {
  std::vector<std::string> names;
  std::vector<Column> columns;

  size_t num_rows() const { return columns.empty() ? 0 : columns.front().num_rows(); }
  // The column with this name; throws InvalidArgument naming it when absent.
  const Column& column(const std::string& name) const;
};

}  // namespace recsys::parquet
