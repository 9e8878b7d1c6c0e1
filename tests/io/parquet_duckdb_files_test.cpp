// Files written by DuckDB 1.5 (tests/io/data, made with COPY ... TO): v1 pages
// with snappy and gzip, v2 pages with zstd (dictionary, delta and
// byte-stream-split encodings). Values are checked against the SQL formulas
// that generated them:
//   id = i, b = NULL if i%7=0 else i%3=0, i8 = i%100-50, i64 = NULL if i%5=0 else i*1000003,
//   ts = 2024-01-02 03:04:05.000006 UTC + i*999983 us, s = NULL if i%6=0 else
//   'place_'||(i%40)||'_é', li = NULL if i%9=0 else [i, i+1, i%3], lf = [] if i%8=0 else [i/2, -i]
//   (i = 0..299)
// The gzip file's `tsl` column is a DATE, which has no ColumnType.
#include <gtest/gtest.h>

#include <filesystem>

#include "recsys/core/error.h"
#include "recsys/io/parquet/reader.h"

namespace recsys::parquet {
namespace {

std::filesystem::path data_file(const char* name) {
  return std::filesystem::path(RECSYS_SOURCE_DIR) / "tests/io/data" / name;
}

void check_values(const RecordBatch& b) {
  ASSERT_EQ(b.num_rows(), 300u);
  const Column& id = b.column("id");
  const Column& bl = b.column("b");
  const Column& i8 = b.column("i8");
  const Column& i64 = b.column("i64");
  const Column& ts = b.column("ts");
  const Column& s = b.column("s");
  const Column& li = b.column("li");
  const Column& lf = b.column("lf");
  for (int i = 0; i < 300; ++i) {
    size_t r = static_cast<size_t>(i);
    SCOPED_TRACE("row " + std::to_string(i));
    ASSERT_EQ(id.i32[r], i);
    ASSERT_EQ(bl.is_null(r), i % 7 == 0);
    if (!bl.is_null(r)) {
      ASSERT_EQ(bl.b8[r] != 0, i % 3 == 0);
    }
    ASSERT_EQ(i8.i32[r], i % 100 - 50);
    ASSERT_EQ(i64.is_null(r), i % 5 == 0);
    if (!i64.is_null(r)) {
      ASSERT_EQ(i64.i64[r], int64_t{i} * 1000003);
    }
    ASSERT_EQ(ts.i64[r], 1704164645000006LL + int64_t{i} * 999983);
    ASSERT_EQ(s.is_null(r), i % 6 == 0);
    if (!s.is_null(r)) {
      ASSERT_EQ(s.str[r], "place_" + std::to_string(i % 40) + "_é");
    }
    ASSERT_EQ(li.is_null(r), i % 9 == 0);
    if (!li.is_null(r)) {
      ASSERT_EQ(li.offsets[r + 1] - li.offsets[r], 3);
      size_t o = static_cast<size_t>(li.offsets[r]);
      ASSERT_EQ(li.i32[o], i);
      ASSERT_EQ(li.i32[o + 1], i + 1);
      ASSERT_EQ(li.i32[o + 2], i % 3);
    }
    ASSERT_FALSE(lf.is_null(r));
    size_t o = static_cast<size_t>(lf.offsets[r]);
    if (i % 8 == 0) {
      ASSERT_EQ(lf.offsets[r + 1], lf.offsets[r]);
    } else {
      ASSERT_EQ(lf.offsets[r + 1] - lf.offsets[r], 2);
      ASSERT_EQ(lf.f32[o], static_cast<float>(i) / 2.0f);
      ASSERT_EQ(lf.f32[o + 1], -static_cast<float>(i));
    }
  }
}

TEST(ParquetDuckDBFiles, SnappyDataPageV1) {
  Reader r(data_file("duckdb_v1_snappy.parquet"));
  EXPECT_NE(r.created_by().find("DuckDB"), std::string::npos);
  EXPECT_EQ(r.schema().fields[r.schema().index_of("ts")].type, ColumnType::TimestampMicros);
  EXPECT_EQ(r.schema().fields[r.schema().index_of("i8")].type, ColumnType::Int8);
  EXPECT_EQ(r.schema().fields[r.schema().index_of("li")].type, ColumnType::ListInt32);
  check_values(r.read_all());
}

TEST(ParquetDuckDBFiles, ZstdDataPageV2WithDeltaAndByteStreamSplit) {
  Reader r(data_file("duckdb_v2_zstd.parquet"));
  check_values(r.read_all());
}

TEST(ParquetDuckDBFiles, UnsupportedColumnIsListedAndErrorsByName) {
  Reader r(data_file("duckdb_v1_gzip.parquet"));
  EXPECT_EQ(r.schema().index_of("tsl"), -1);
  bool listed = false;
  for (const ColumnDescription& c : r.columns()) {
    if (c.name == "tsl") {
      listed = true;
      EXPECT_FALSE(c.supported);
      EXPECT_NE(c.parquet_type.find("DATE"), std::string::npos);
    }
  }
  EXPECT_TRUE(listed);
  try {
    r.read_all();
    FAIL() << "reading every column must fail on the DATE column";
  } catch (const FormatError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind(r.path().string(), 0), 0u) << msg;
    EXPECT_NE(msg.find("'tsl'"), std::string::npos) << msg;
  }
  std::vector<std::string> supported;
  for (const Field& f : r.schema().fields) supported.push_back(f.name);
  check_values(r.read_all(supported));
}

}  // namespace
}  // namespace recsys::parquet
