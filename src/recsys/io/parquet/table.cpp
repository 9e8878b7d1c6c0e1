#include "recsys/io/parquet/table.h"

#include <utility>

#include "recsys/core/error.h"

namespace recsys::parquet {

const char* to_string(ColumnType type) {
  switch (type) {
    case ColumnType::Bool:
      return "bool";
    case ColumnType::Int8:
      return "int8";
    case ColumnType::Int16:
      return "int16";
    case ColumnType::Int32:
      return "int32";
    case ColumnType::Int64:
      return "int64";
    case ColumnType::TimestampMicros:
      return "timestamp[us, UTC]";
    case ColumnType::Float:
      return "float";
    case ColumnType::Double:
      return "double";
    case ColumnType::String:
      return "string";
    case ColumnType::ListInt32:
      return "list<int32>";
    case ColumnType::ListFloat:
      return "list<float>";
  }
  return "unknown";
}

int Schema::index_of(const std::string& name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

size_t Column::num_rows() const {
  switch (type) {
    case ColumnType::Bool:
      return b8.size();
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
      return i32.size();
    case ColumnType::Int64:
    case ColumnType::TimestampMicros:
      return i64.size();
    case ColumnType::Float:
      return f32.size();
    case ColumnType::Double:
      return f64.size();
    case ColumnType::String:
      return str.size();
    case ColumnType::ListInt32:
    case ColumnType::ListFloat:
      return offsets.empty() ? 0 : offsets.size() - 1;
  }
  return 0;
}

Column int32_column(std::vector<int32_t> values, ColumnType type) {
  Column c;
  c.type = type;
  c.i32 = std::move(values);
  return c;
}

Column int64_column(std::vector<int64_t> values, ColumnType type) {
  Column c;
  c.type = type;
  c.i64 = std::move(values);
  return c;
}

Column float_column(std::vector<float> values) {
  Column c;
  c.type = ColumnType::Float;
  c.f32 = std::move(values);
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

Column list_float_column(std::vector<int64_t> offsets, std::vector<float> values) {
  Column c;
  c.type = ColumnType::ListFloat;
  c.offsets = std::move(offsets);
  c.f32 = std::move(values);
  return c;
}

Column with_validity(Column column, std::vector<uint8_t> present) {
  for (uint8_t p : present) {
    if (p == 0) {
      column.validity = std::move(present);
      break;
    }
  }
  return column;
}

RecordBatch make_batch(const Schema& schema, std::vector<Column> columns) {
  RecordBatch batch;
  for (const auto& field : schema.fields) batch.names.push_back(field.name);
  batch.columns = std::move(columns);
  return batch;
}

const Column& RecordBatch::column(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return columns[i];
  }
  throw InvalidArgument("no column named '" + name + "' in the batch");
}

}  // namespace recsys::parquet
