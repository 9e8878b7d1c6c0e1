#include "recsys/io/parquet/inspect.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "recsys/io/parquet/statistics.h"

namespace recsys::parquet {
namespace {

std::string human_bytes(int64_t b) {
  if (b >= (1LL << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(b) / 1048576.0);
  if (b >= 1024) return fmt::format("{:.1f} KiB", static_cast<double>(b) / 1024.0);
  return fmt::format("{} B", b);
}

// A float as the double with the same shortest decimal text ("0.1", not 0.100000001).
double float_as_double(float f) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  *r.ptr = '\0';
  return std::strtod(buf, nullptr);
}

template <class T>
nlohmann::json number_json(T v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if constexpr (std::is_same_v<T, float>) {
    return float_as_double(v);
  } else {
    return v;
  }
}

nlohmann::json cell_json(const Column& c, size_t r) {
  if (c.is_null(r)) return nullptr;
  switch (c.type) {
    case ColumnType::Bool:
      return c.b8[r] != 0;
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
      return c.i32[r];
    case ColumnType::Int64:
      return c.i64[r];
    case ColumnType::TimestampMicros:
      return format_timestamp_micros(c.i64[r]);
    case ColumnType::Float:
      return number_json(c.f32[r]);
    case ColumnType::Double:
      return number_json(c.f64[r]);
    case ColumnType::String:
      return c.str[r];
    case ColumnType::ListInt32:
    case ColumnType::ListFloat: {
      nlohmann::json a = nlohmann::json::array();
      for (int64_t j = c.offsets[r]; j < c.offsets[r + 1]; ++j) {
        size_t k = static_cast<size_t>(j);
        if (c.type == ColumnType::ListInt32) {
          a.push_back(c.i32[k]);
        } else {
          a.push_back(number_json(c.f32[k]));
        }
      }
      return a;
    }
  }
  return nullptr;
}

std::string cell_text(const Column& c, size_t r) {
  if (c.is_null(r)) return "NULL";
  switch (c.type) {
    case ColumnType::String:
      return c.str[r];
    case ColumnType::TimestampMicros:
      return format_timestamp_micros(c.i64[r]);
    default:
      return cell_json(c, r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

// Display width of UTF-8 text, counting code points.
size_t text_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

std::string clip(std::string s, size_t width) {
  for (char& ch : s) {
    if (ch == '\n' || ch == '\t' || ch == '\r') ch = ' ';
  }
  if (text_width(s) <= width) return s;
  size_t count = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (count == width - 3) break;
      ++count;
    }
  }
  return s.substr(0, i) + "...";
}

}  // namespace

std::string describe_file(const Reader& reader) {
  std::string out;
  out += fmt::format("file: {}\n", reader.path().string());
  out += fmt::format("created by: {}\n",
                     reader.created_by().empty() ? "(unknown)" : reader.created_by());
  out += fmt::format("rows: {}\nrow groups: {}\n", reader.num_rows(), reader.num_row_groups());
  out += "columns:\n";
  for (const ColumnDescription& c : reader.columns()) {
    if (c.supported) {
      out += fmt::format("  {:<24} {:<20} {:<9} ({})\n", c.name, to_string(c.type),
                         c.nullable ? "nullable" : "required", c.parquet_type);
    } else {
      out += fmt::format("  {:<24} {:<20} {:<9} ({}: {})\n", c.name, "UNSUPPORTED", "",
                         c.parquet_type, c.unsupported_reason);
    }
  }
  if (!reader.key_value_metadata().empty()) {
    out += "metadata:\n";
    for (const auto& [k, v] : reader.key_value_metadata()) {
      std::string value =
          v.size() > 200 ? v.substr(0, 200) + fmt::format("... ({} bytes)", v.size()) : v;
      for (char& ch : value) {
        if (ch == '\n') ch = ' ';
      }
      out += fmt::format("  {} = {}\n", k, value);
    }
  }
  for (int g = 0; g < reader.num_row_groups(); ++g) {
    const RowGroupInfo& rg = reader.row_group(g);
    int64_t comp = 0, raw = 0;
    for (const ColumnChunkInfo& c : rg.columns) {
      comp += c.compressed_bytes;
      raw += c.uncompressed_bytes;
    }
    out += fmt::format("row group {}: {} rows, {} compressed, {} uncompressed\n", g, rg.num_rows,
                       human_bytes(comp), human_bytes(raw));
    for (const ColumnChunkInfo& c : rg.columns) {
      out += fmt::format("  {:<24} {:<12} {:<22} {:>10} -> {:>10}", c.column, c.codec_name,
                         c.encodings, human_bytes(c.uncompressed_bytes),
                         human_bytes(c.compressed_bytes));
      if (c.null_count) out += fmt::format("  nulls={}", *c.null_count);
      if (c.min) out += fmt::format("  min={}", *c.min);
      if (c.max) out += fmt::format("  max={}", *c.max);
      out += "\n";
    }
  }
  return out;
}

RecordBatch read_head(const Reader& reader, int64_t n) {
  std::vector<std::string> names;
  for (const Field& f : reader.schema().fields) names.push_back(f.name);
  RecordBatch head;
  if (names.empty()) return head;
  int64_t have = 0;
  for (int g = 0; g < reader.num_row_groups() && (n < 0 || have < n); ++g) {
    if (reader.row_group(g).num_rows == 0) continue;
    RecordBatch b = reader.read_row_group(g, names);
    if (head.columns.empty()) {
      head = std::move(b);
    } else {
      // Append column by column (row groups after the first are rare in a head).
      for (size_t k = 0; k < b.columns.size(); ++k) {
        Column& d = head.columns[k];
        Column& s = b.columns[k];
        size_t drows = d.num_rows(), srows = s.num_rows();
        if (!d.validity.empty() || !s.validity.empty()) {
          d.validity.resize(drows, 1);
          if (s.validity.empty()) s.validity.assign(srows, 1);
          d.validity.insert(d.validity.end(), s.validity.begin(), s.validity.end());
        }
        if (!s.offsets.empty()) {
          int64_t base = d.offsets.back() - s.offsets.front();
          for (size_t i = 1; i < s.offsets.size(); ++i) d.offsets.push_back(s.offsets[i] + base);
        }
        d.b8.insert(d.b8.end(), s.b8.begin(), s.b8.end());
        d.i32.insert(d.i32.end(), s.i32.begin(), s.i32.end());
        d.i64.insert(d.i64.end(), s.i64.begin(), s.i64.end());
        d.f32.insert(d.f32.end(), s.f32.begin(), s.f32.end());
        d.f64.insert(d.f64.end(), s.f64.begin(), s.f64.end());
        d.str.insert(d.str.end(), s.str.begin(), s.str.end());
      }
    }
    have = static_cast<int64_t>(head.num_rows());
  }
  if (head.columns.empty()) {
    head.names = names;
    for (const Field& f : reader.schema().fields) {
      Column c;
      c.type = f.type;
      if (f.type == ColumnType::ListInt32 || f.type == ColumnType::ListFloat)
        c.offsets.push_back(0);
      head.columns.push_back(std::move(c));
    }
    return head;
  }
  if (n >= 0 && have > n) {
    size_t rows = static_cast<size_t>(n);
    for (Column& c : head.columns) {
      if (!c.validity.empty()) c.validity.resize(rows);
      switch (c.type) {
        case ColumnType::Bool:
          c.b8.resize(rows);
          break;
        case ColumnType::Int8:
        case ColumnType::Int16:
        case ColumnType::Int32:
          c.i32.resize(rows);
          break;
        case ColumnType::Int64:
        case ColumnType::TimestampMicros:
          c.i64.resize(rows);
          break;
        case ColumnType::Float:
          c.f32.resize(rows);
          break;
        case ColumnType::Double:
          c.f64.resize(rows);
          break;
        case ColumnType::String:
          c.str.resize(rows);
          break;
        case ColumnType::ListInt32:
        case ColumnType::ListFloat:
          c.offsets.resize(rows + 1);
          break;
      }
    }
  }
  return head;
}

std::string format_table(const RecordBatch& batch) {
  constexpr size_t kCell = 32;
  size_t rows = batch.num_rows();
  std::vector<std::vector<std::string>> cells(batch.columns.size());
  std::vector<size_t> width(batch.columns.size());
  for (size_t k = 0; k < batch.columns.size(); ++k) {
    width[k] = text_width(batch.names[k]);
    for (size_t r = 0; r < rows; ++r) {
      cells[k].push_back(clip(cell_text(batch.columns[k], r), kCell));
      width[k] = std::max(width[k], text_width(cells[k].back()));
    }
  }
  auto pad = [](const std::string& s, size_t w) {
    return s + std::string(w - std::min(w, text_width(s)), ' ');
  };
  std::string out;
  for (size_t k = 0; k < batch.columns.size(); ++k)
    out += (k ? " | " : "") + pad(clip(batch.names[k], kCell), width[k]);
  out += "\n";
  for (size_t k = 0; k < batch.columns.size(); ++k)
    out += (k ? "-+-" : "") + std::string(width[k], '-');
  out += "\n";
  for (size_t r = 0; r < rows; ++r) {
    for (size_t k = 0; k < batch.columns.size(); ++k)
      out += (k ? " | " : "") + pad(cells[k][r], width[k]);
    out += "\n";
  }
  return out;
}

std::string row_to_json(const RecordBatch& batch, size_t row) {
  // ordered_json keeps the file's column order.
  nlohmann::ordered_json obj = nlohmann::ordered_json::object();
  for (size_t k = 0; k < batch.columns.size(); ++k) {
    obj[batch.names[k]] = cell_json(batch.columns[k], row);
  }
  return obj.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace recsys::parquet
