#pragma once
// Exact comparison of record batches for the Parquet tests: names, types, row
// counts, nulls, and values of present rows (floats bit for bit, so -0.0 and
// NaN are checked too).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "recsys/io/parquet/table.h"

namespace recsys::parquet::testing {

inline bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}
inline bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

inline void expect_same(const RecordBatch& want, const RecordBatch& got) {
  ASSERT_EQ(want.names, got.names);
  ASSERT_EQ(want.columns.size(), got.columns.size());
  for (size_t k = 0; k < want.columns.size(); ++k) {
    const Column& a = want.columns[k];
    const Column& b = got.columns[k];
    SCOPED_TRACE("column " + want.names[k]);
    ASSERT_EQ(a.type, b.type);
    ASSERT_EQ(a.num_rows(), b.num_rows());
    bool a_nulls = false;
    for (uint8_t v : a.validity) a_nulls |= v == 0;
    // The reader drops an all-present validity.
    if (!a_nulls) {
      EXPECT_TRUE(b.validity.empty());
    }
    for (size_t r = 0; r < a.num_rows(); ++r) {
      ASSERT_EQ(a.is_null(r), b.is_null(r)) << "row " << r;
      if (a.is_null(r)) continue;
      switch (a.type) {
        case ColumnType::Bool:
          ASSERT_EQ(a.b8[r] != 0, b.b8[r] != 0) << "row " << r;
          break;
        case ColumnType::Int8:
        case ColumnType::Int16:
        case ColumnType::Int32:
          ASSERT_EQ(a.i32[r], b.i32[r]) << "row " << r;
          break;
        case ColumnType::Int64:
        case ColumnType::TimestampMicros:
          ASSERT_EQ(a.i64[r], b.i64[r]) << "row " << r;
          break;
        case ColumnType::Float:
          ASSERT_TRUE(same_bits(a.f32[r], b.f32[r])) << "row " << r;
          break;
        case ColumnType::Double:
          ASSERT_TRUE(same_bits(a.f64[r], b.f64[r])) << "row " << r;
          break;
        case ColumnType::String:
          ASSERT_EQ(a.str[r], b.str[r]) << "row " << r;
          break;
        case ColumnType::ListInt32:
        case ColumnType::ListFloat: {
          int64_t la = a.offsets[r + 1] - a.offsets[r];
          int64_t lb = b.offsets[r + 1] - b.offsets[r];
          ASSERT_EQ(la, lb) << "row " << r;
          for (int64_t j = 0; j < la; ++j) {
            size_t ia = static_cast<size_t>(a.offsets[r] + j);
            size_t ib = static_cast<size_t>(b.offsets[r] + j);
            if (a.type == ColumnType::ListInt32) {
              ASSERT_EQ(a.i32[ia], b.i32[ib]) << "row " << r;
            } else {
              ASSERT_TRUE(same_bits(a.f32[ia], b.f32[ib])) << "row " << r;
            }
          }
          break;
        }
      }
    }
  }
}

}  // namespace recsys::parquet::testing
