#include "recsys/io/parquet/table.h"

#include "recsys/core/error.h"

namespace recsys::parquet {

const char* to_string(ColumnType type) {
  switch (type) {
    case ColumnType::Bool: return "bool";
    case ColumnType::Int8: return "int8";
    case ColumnType::Int16: return "int16";
    case ColumnType::Int32: return "int32";
    case ColumnType::Int64: return "int64";
    case ColumnType::TimestampMicros: return "timestamp[us, UTC]";
    case ColumnType::Float: return "float";
    case ColumnType::Double: return "double";
    case ColumnType::String: return "string";
    case ColumnType::ListInt32: return "list<int32>";
    case ColumnType::ListFloat: return "list<float>";
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
    case ColumnType::Bool: return b8.size();
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32: return i32.size();
    case ColumnType::Int64:
    case ColumnType::TimestampMicros: return i64.size();
    case ColumnType::Float: return f32.size();
    case ColumnType::Double: return f64.size();
    case ColumnType::String: return str.size();
    case ColumnType::ListInt32:
    case ColumnType::ListFloat: return offsets.empty() ? 0 : offsets.size() - 1;
  }
  return 0;
}

const Column& RecordBatch::column(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return columns[i];
  }
  throw InvalidArgument("no column named '" + name + "' in the batch");
}

}  // namespace recsys::parquet
