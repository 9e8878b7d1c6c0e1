#include "recsys/io/parquet/table.h"

#include <iterator>
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

void append_column(Column& dst, Column src) {
  const size_t dst_rows = dst.num_rows(), src_rows = src.num_rows();
  if (!dst.validity.empty() || !src.validity.empty()) {
    dst.validity.resize(dst_rows, 1);
    if (src.validity.empty())
      dst.validity.insert(dst.validity.end(), src_rows, 1);
    else
      dst.validity.insert(dst.validity.end(), src.validity.begin(), src.validity.end());
  }
  if (src.type == ColumnType::ListInt32 || src.type == ColumnType::ListFloat) {
    if (dst.offsets.empty()) dst.offsets.push_back(0);
    const int64_t end = dst.offsets.back();
    const int64_t first = src.offsets.empty() ? 0 : src.offsets.front();
    const int64_t last = src.offsets.empty() ? 0 : src.offsets.back();
    for (size_t i = 1; i < src.offsets.size(); ++i)
      dst.offsets.push_back(end + src.offsets[i] - first);
    auto slice = [&](auto& a, auto& b) {
      if (end == 0 && first == 0 && last == static_cast<int64_t>(b.size())) {
        a = std::move(b);  // the first batch of a column: no copy
        return;
      }
      a.resize(static_cast<size_t>(end));
      a.insert(a.end(), std::make_move_iterator(b.begin() + first),
               std::make_move_iterator(b.begin() + last));
    };
    if (src.type == ColumnType::ListInt32)
      slice(dst.i32, src.i32);
    else
      slice(dst.f32, src.f32);
    return;
  }
  auto cat = [](auto& a, auto& b) {
    if (a.empty())
      a = std::move(b);
    else
      a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
  };
  cat(dst.b8, src.b8);
  cat(dst.i32, src.i32);
  cat(dst.i64, src.i64);
  cat(dst.f32, src.f32);
  cat(dst.f64, src.f64);
  cat(dst.str, src.str);
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
