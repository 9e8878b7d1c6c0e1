#pragma once
// Sample tables for the Parquet tests, the DuckDB interop writer and the fuzz
// seed corpus: every column type, with a chosen null pattern, extreme values,
// empty lists, long and non-ASCII strings. Deterministic for a given seed.
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "recsys/io/parquet/table.h"

namespace recsys::parquet::testing {

enum class Nulls { None, Some, All };

inline const char* to_string(Nulls n) {
  return n == Nulls::None ? "none" : n == Nulls::Some ? "some" : "all";
}

inline Schema sample_schema(Nulls nulls) {
  bool nullable = nulls != Nulls::None;
  return Schema{{{"b", ColumnType::Bool, nullable},
                 {"i8", ColumnType::Int8, nullable},
                 {"i16", ColumnType::Int16, nullable},
                 {"i32", ColumnType::Int32, nullable},
                 {"i64", ColumnType::Int64, nullable},
                 {"ts", ColumnType::TimestampMicros, nullable},
                 {"f32", ColumnType::Float, nullable},
                 {"f64", ColumnType::Double, nullable},
                 {"s", ColumnType::String, nullable},
                 {"li", ColumnType::ListInt32, nullable},
                 {"lf", ColumnType::ListFloat, nullable}}};
}

inline RecordBatch sample_batch(size_t rows, Nulls nulls, uint64_t seed, size_t first_row = 0) {
  std::mt19937_64 rng(seed * 1000003 + first_row);
  Schema schema = sample_schema(nulls);
  RecordBatch batch;
  for (const Field& f : schema.fields) {
    batch.names.push_back(f.name);
    Column c;
    c.type = f.type;
    batch.columns.push_back(std::move(c));
  }
  auto valid = [&](size_t r, size_t col) -> bool {
    if (nulls == Nulls::None) return true;
    if (nulls == Nulls::All) return false;
    return (r * 7 + col * 3) % 5 >= 2;  // ~60% present, different rows per column
  };
  static const char* words[] = {"café",    "bar", "Zürich",   "東京",      "naïve",
                                "😀 emoji", "",    "a\"quote", "tab\there", "line\nbreak"};
  for (size_t k = 0; k < batch.columns.size(); ++k) {
    Column& c = batch.columns[k];
    if (nulls != Nulls::None) c.validity.resize(rows);
    if (c.type == ColumnType::ListInt32 || c.type == ColumnType::ListFloat) c.offsets.push_back(0);
    for (size_t i = 0; i < rows; ++i) {
      size_t r = first_row + i;
      bool v = valid(r, k);
      if (!c.validity.empty()) c.validity[i] = v ? 1 : 0;
      uint64_t x = rng();
      switch (c.type) {
        case ColumnType::Bool:
          c.b8.push_back(v ? static_cast<uint8_t>(x & 1) : 0);
          break;
        case ColumnType::Int8: {
          int32_t val = r % 13 == 0 ? -128 : r % 13 == 1 ? 127 : static_cast<int8_t>(x);
          c.i32.push_back(v ? val : 0);
          break;
        }
        case ColumnType::Int16: {
          int32_t val = r % 11 == 0 ? -32768 : r % 11 == 1 ? 32767 : static_cast<int16_t>(x);
          c.i32.push_back(v ? val : 0);
          break;
        }
        case ColumnType::Int32: {
          int32_t val = r % 17 == 0   ? std::numeric_limits<int32_t>::min()
                        : r % 17 == 1 ? std::numeric_limits<int32_t>::max()
                                      : static_cast<int32_t>(x);
          c.i32.push_back(v ? val : 0);
          break;
        }
        case ColumnType::Int64: {
          int64_t val = r % 19 == 0   ? std::numeric_limits<int64_t>::min()
                        : r % 19 == 1 ? std::numeric_limits<int64_t>::max()
                                      : static_cast<int64_t>(x);
          c.i64.push_back(v ? val : 0);
          break;
        }
        case ColumnType::TimestampMicros: {
          // 1901 .. 2099, with microseconds, some before the epoch.
          int64_t span = 6'250'000'000'000'000LL;
          int64_t val =
              static_cast<int64_t>(x % static_cast<uint64_t>(span)) - 2'170'000'000'000'000LL;
          c.i64.push_back(v ? val : 0);
          break;
        }
        case ColumnType::Float: {
          float val =
              r % 23 == 0   ? -0.0f
              : r % 23 == 1 ? std::numeric_limits<float>::max()
              : r % 23 == 2
                  ? std::numeric_limits<float>::denorm_min()
                  : static_cast<float>(static_cast<int64_t>(x % 2000001) - 1000000) / 1024.0f;
          c.f32.push_back(v ? val : 0.0f);
          break;
        }
        case ColumnType::Double: {
          double val = r % 29 == 0 ? std::numeric_limits<double>::lowest()
                       : r % 29 == 1
                           ? 0.1
                           : (static_cast<double>(x >> 11) / 9007199254740992.0 - 0.5) * 1e6;
          c.f64.push_back(v ? val : 0.0);
          break;
        }
        case ColumnType::String: {
          std::string s;
          if (v) {
            if (r % 31 == 5) {
              s.assign(3000 + r % 100, 'x');  // long string
              s += "é";
            } else {
              s = words[x % 10];
              s += std::to_string(r);
            }
          }
          c.str.push_back(std::move(s));
          break;
        }
        case ColumnType::ListInt32:
        case ColumnType::ListFloat: {
          size_t len = v ? (x % 5 == 0 ? 0 : x % 7) : 0;  // some empty lists
          for (size_t j = 0; j < len; ++j) {
            uint64_t y = rng();
            if (c.type == ColumnType::ListInt32) {
              c.i32.push_back(static_cast<int32_t>(y));
            } else {
              c.f32.push_back(static_cast<float>(static_cast<int64_t>(y % 20001) - 10000) / 64.0f);
            }
          }
          c.offsets.push_back(
              static_cast<int64_t>(c.type == ColumnType::ListInt32 ? c.i32.size() : c.f32.size()));
          break;
        }
      }
    }
  }
  return batch;
}

}  // namespace recsys::parquet::testing
