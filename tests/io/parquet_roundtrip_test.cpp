// Writer -> reader round trips for every column type x codec x null pattern,
// plus row groups, projection, empty files and key-value metadata.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../common/scratch_dir.h"
#include "parquet_compare.h"
#include "parquet_sample.h"
#include "recsys/core/error.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {
namespace {

namespace fs = std::filesystem;
using testing::Nulls;

fs::path temp_dir() {  // removed with the process's scratch root at exit
  fs::path dir = recsys::testing::scratch_root() / "parquet-roundtrip";
  fs::create_directories(dir);
  return dir;
}

class RoundTrip : public ::testing::TestWithParam<std::tuple<Codec, Nulls>> {};

TEST_P(RoundTrip, EveryTypeSurvivesWriteAndRead) {
  auto [codec, nulls] = GetParam();
  fs::path path = temp_dir() / (std::string("rt_") + to_string(codec) + "_" +
                                testing::to_string(nulls) + ".parquet");
  RecordBatch batch = testing::sample_batch(1000, nulls, 7);
  {
    WriterOptions opt;
    opt.codec = codec;
    Writer w(path, testing::sample_schema(nulls), opt);
    w.write(batch);
    w.close();
    EXPECT_EQ(w.rows_written(), 1000);
  }
  Reader r(path);
  EXPECT_EQ(r.num_rows(), 1000);
  ASSERT_EQ(r.schema().fields.size(), batch.columns.size());
  for (size_t i = 0; i < batch.columns.size(); ++i) {
    EXPECT_EQ(r.schema().fields[i].name, batch.names[i]);
    EXPECT_EQ(r.schema().fields[i].type, batch.columns[i].type);
    EXPECT_EQ(r.schema().fields[i].nullable, nulls != Nulls::None);
  }
  testing::expect_same(batch, r.read_all());
  for (int g = 0; g < r.num_row_groups(); ++g) {
    for (const ColumnChunkInfo& c : r.row_group(g).columns) EXPECT_EQ(c.codec, codec);
  }
  // Also through the in-memory path.
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  Reader m = Reader::from_bytes("memory", std::move(bytes));
  testing::expect_same(batch, m.read_all());
  fs::remove(path);
}

INSTANTIATE_TEST_SUITE_P(AllCodecsAndNulls, RoundTrip,
                         ::testing::Combine(::testing::Values(Codec::Uncompressed, Codec::Snappy,
                                                              Codec::Zstd, Codec::Gzip),
                                            ::testing::Values(Nulls::None, Nulls::Some,
                                                              Nulls::All)),
                         [](const auto& info) {
                           return std::string(to_string(std::get<0>(info.param))) + "_" +
                                  testing::to_string(std::get<1>(info.param));
                         });

TEST(ParquetRoundTrip, ManyRowGroupsAndPagesAcrossBatches) {
  fs::path path = temp_dir() / "groups.parquet";
  WriterOptions opt;
  opt.row_group_rows = 700;
  opt.page_bytes = 2048;  // many pages per chunk
  RecordBatch all;
  {
    Writer w(path, testing::sample_schema(Nulls::Some), opt);
    for (int b = 0; b < 5; ++b) {
      RecordBatch batch = testing::sample_batch(613, Nulls::Some, 3, static_cast<size_t>(b) * 613);
      w.write(batch);
    }
    w.close();
  }
  Reader r(path);
  EXPECT_EQ(r.num_rows(), 5 * 613);
  EXPECT_EQ(r.num_row_groups(), (5 * 613 + 699) / 700);
  int64_t rows = 0;
  for (int g = 0; g < r.num_row_groups(); ++g) {
    RecordBatch part = r.read_row_group(g);
    EXPECT_EQ(static_cast<int64_t>(part.num_rows()), r.row_group(g).num_rows);
    rows += static_cast<int64_t>(part.num_rows());
  }
  EXPECT_EQ(rows, 5 * 613);
  // Concatenated content equals the batches written.
  RecordBatch got = r.read_all();
  for (int b = 0; b < 5; ++b) {
    RecordBatch want = testing::sample_batch(613, Nulls::Some, 3, static_cast<size_t>(b) * 613);
    RecordBatch slice;
    slice.names = got.names;
    for (size_t k = 0; k < got.columns.size(); ++k) {
      const Column& c = got.columns[k];
      Column s;
      s.type = c.type;
      size_t from = static_cast<size_t>(b) * 613, to = from + 613;
      if (!c.validity.empty())
        s.validity.assign(c.validity.begin() + from, c.validity.begin() + to);
      switch (c.type) {
        case ColumnType::Bool:
          s.b8.assign(c.b8.begin() + from, c.b8.begin() + to);
          break;
        case ColumnType::Int8:
        case ColumnType::Int16:
        case ColumnType::Int32:
          s.i32.assign(c.i32.begin() + from, c.i32.begin() + to);
          break;
        case ColumnType::Int64:
        case ColumnType::TimestampMicros:
          s.i64.assign(c.i64.begin() + from, c.i64.begin() + to);
          break;
        case ColumnType::Float:
          s.f32.assign(c.f32.begin() + from, c.f32.begin() + to);
          break;
        case ColumnType::Double:
          s.f64.assign(c.f64.begin() + from, c.f64.begin() + to);
          break;
        case ColumnType::String:
          s.str.assign(c.str.begin() + from, c.str.begin() + to);
          break;
        case ColumnType::ListInt32:
        case ColumnType::ListFloat:
          s.offsets.assign(c.offsets.begin() + from, c.offsets.begin() + to + 1);
          s.i32 = c.i32;
          s.f32 = c.f32;
          break;
      }
      slice.columns.push_back(std::move(s));
    }
    testing::expect_same(want, slice);
  }
  fs::remove(path);
}

TEST(ParquetRoundTrip, RowGroupsCutBySize) {
  fs::path path = temp_dir() / "bysize.parquet";
  WriterOptions opt;
  opt.row_group_bytes = 64 * 1024;
  Schema schema{{{"x", ColumnType::Int64, false}}};
  RecordBatch batch;
  batch.names = {"x"};
  Column c;
  c.type = ColumnType::Int64;
  for (int64_t i = 0; i < 100000; ++i) c.i64.push_back(i * 3);
  batch.columns.push_back(c);
  {
    Writer w(path, schema, opt);
    w.write(batch);
    w.close();
  }
  Reader r(path);
  EXPECT_GE(r.num_row_groups(), 10);  // 800 KB of values in 64 KB groups
  testing::expect_same(batch, r.read_all());
  fs::remove(path);
}

TEST(ParquetRoundTrip, ProjectionSelectsAndOrdersColumns) {
  fs::path path = temp_dir() / "proj.parquet";
  RecordBatch batch = testing::sample_batch(300, Nulls::Some, 11);
  {
    Writer w(path, testing::sample_schema(Nulls::Some));
    w.write(batch);
    w.close();
  }
  Reader r(path);
  RecordBatch got = r.read_all({"lf", "i64", "s"});
  RecordBatch want;
  for (const char* n : {"lf", "i64", "s"}) {
    want.names.push_back(n);
    want.columns.push_back(batch.column(n));
  }
  testing::expect_same(want, got);
  try {
    r.read_all({"nope"});
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).rfind(path.string(), 0), 0u);
  }
  fs::remove(path);
}

TEST(ParquetRoundTrip, EmptyFileWithZeroRows) {
  fs::path path = temp_dir() / "empty.parquet";
  {
    Writer w(path, testing::sample_schema(Nulls::Some));
    w.close();
  }
  Reader r(path);
  EXPECT_EQ(r.num_rows(), 0);
  EXPECT_EQ(r.num_row_groups(), 0);
  RecordBatch got = r.read_all();
  EXPECT_EQ(got.columns.size(), 11u);
  EXPECT_EQ(got.num_rows(), 0u);
  fs::remove(path);
}

TEST(ParquetRoundTrip, EmptyBatchesAndEmptyLists) {
  fs::path path = temp_dir() / "emptylists.parquet";
  Schema schema{{{"l", ColumnType::ListFloat, false}, {"n", ColumnType::ListInt32, true}}};
  RecordBatch batch;
  batch.names = {"l", "n"};
  Column l;
  l.type = ColumnType::ListFloat;
  l.offsets = {0, 0, 0, 0};
  Column n;
  n.type = ColumnType::ListInt32;
  n.offsets = {0, 0, 0, 0};
  n.validity = {0, 1, 0};
  batch.columns = {l, n};
  RecordBatch empty;
  empty.names = {"l", "n"};
  Column e1;
  e1.type = ColumnType::ListFloat;
  Column e2;
  e2.type = ColumnType::ListInt32;
  empty.columns = {e1, e2};
  {
    Writer w(path, schema);
    w.write(empty);
    w.write(batch);
    w.close();
  }
  Reader r(path);
  testing::expect_same(batch, r.read_all());
  fs::remove(path);
}

TEST(ParquetRoundTrip, RowLargerThanAPage) {
  fs::path path = temp_dir() / "bigrow.parquet";
  Schema schema{{{"l", ColumnType::ListFloat, false}, {"s", ColumnType::String, true}}};
  RecordBatch batch;
  batch.names = {"l", "s"};
  Column l;
  l.type = ColumnType::ListFloat;
  l.offsets = {0, 3, 20003, 20004};  // the middle row alone is 80 KB
  for (int i = 0; i < 20004; ++i) l.f32.push_back(static_cast<float>(i) * 0.5f);
  Column s;
  s.type = ColumnType::String;
  s.str = {std::string(50000, 'a'), "", "b"};
  s.validity = {1, 0, 1};
  batch.columns = {l, s};
  {
    WriterOptions opt;
    opt.page_bytes = 1024;
    Writer w(path, schema, opt);
    w.write(batch);
    w.write(batch);
    w.close();
  }
  Reader r(path);
  RecordBatch got = r.read_all();
  ASSERT_EQ(got.num_rows(), 6u);
  RecordBatch first;
  first.names = got.names;
  for (size_t k = 0; k < 2; ++k) first.columns.push_back(got.columns[k]);
  first.columns[0].offsets.resize(4);
  first.columns[1].str.resize(3);
  first.columns[1].validity.resize(3);
  testing::expect_same(batch, first);
  EXPECT_EQ(got.columns[0].offsets[6], 2 * 20004);
  EXPECT_EQ(got.columns[1].str[3].size(), 50000u);
  fs::remove(path);
}

TEST(ParquetRoundTrip, KeyValueMetadataAndCreatedBy) {
  fs::path path = temp_dir() / "kv.parquet";
  {
    WriterOptions opt;
    opt.key_value_metadata = {{"schema_version", "3"}};
    Writer w(path, Schema{{{"x", ColumnType::Int32, false}}}, opt);
    w.set_metadata("config", "{\"seed\": 42}");
    w.set_metadata("schema_version", "4");
    w.close();
  }
  Reader r(path);
  EXPECT_EQ(r.metadata("schema_version"), "4");
  EXPECT_EQ(r.metadata("config"), "{\"seed\": 42}");
  EXPECT_FALSE(r.metadata("absent").has_value());
  EXPECT_EQ(r.key_value_metadata().size(), 2u);
  EXPECT_EQ(r.created_by().rfind("recsys", 0), 0u);
  fs::remove(path);
}

}  // namespace
}  // namespace recsys::parquet

namespace recsys::parquet {
namespace {

// Large appends of required fixed-width columns take a bulk path (whole pages
// encoded in parallel); small appends go page by page. Both must write the same
// bytes, statistics included (NaN skipped, -0/+0 per the spec's rule).
TEST(ParquetRoundTrip, BulkPageEncodingWritesTheSameBytesAsRowByRowAppends) {
  const size_t rows = 50'000;
  Schema schema{{{"i16", ColumnType::Int16, false},
                 {"i64", ColumnType::Int64, false},
                 {"ts", ColumnType::TimestampMicros, false},
                 {"f", ColumnType::Float, false},
                 {"d", ColumnType::Double, false}}};
  std::vector<int32_t> i16(rows);
  std::vector<int64_t> i64(rows), ts(rows);
  std::vector<float> f(rows);
  std::vector<double> d(rows);
  for (size_t r = 0; r < rows; ++r) {
    i16[r] = static_cast<int32_t>(r % 60'000) - 30'000;
    i64[r] = static_cast<int64_t>(r * 7919 % 100'003) - 50'000;
    ts[r] = 1'700'000'000'000'000 + static_cast<int64_t>(r) * 1'000'003;
    f[r] = r % 97 == 0 ? std::nanf("") : (r == 11 ? -0.0f : static_cast<float>(r % 1000) - 400.5f);
    d[r] = static_cast<double>(r) * 0.25 - 1000.0;
  }
  // Rows [begin, end) of the columns above, as one batch.
  auto rows_of = [&](size_t begin, size_t end) {
    return make_batch(
        schema, {int32_column({i16.begin() + begin, i16.begin() + end}, ColumnType::Int16),
                 int64_column({i64.begin() + begin, i64.begin() + end}),
                 int64_column({ts.begin() + begin, ts.begin() + end}, ColumnType::TimestampMicros),
                 float_column({f.begin() + begin, f.begin() + end}),
                 double_column({d.begin() + begin, d.begin() + end})});
  };
  auto write = [&](const fs::path& path, size_t step) {
    WriterOptions opt;
    opt.page_bytes = 4096;
    opt.row_group_rows = 30'000;
    opt.codec = Codec::Zstd;
    Writer w(path, schema, opt);
    for (size_t begin = 0; begin < rows; begin += step) {
      w.write(rows_of(begin, std::min(rows, begin + step)));
    }
    w.close();
  };
  const fs::path bulk = temp_dir() / "bulk.parquet", small = temp_dir() / "small.parquet";
  write(bulk, rows);  // one batch: whole pages in bulk
  write(small, 100);  // appends far smaller than a page: never the bulk path
  auto bytes = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string a = bytes(bulk), b = bytes(small);
  ASSERT_EQ(a.size(), b.size());
  const auto diff = std::mismatch(a.begin(), a.end(), b.begin());
  EXPECT_TRUE(diff.first == a.end()) << "files differ from byte " << (diff.first - a.begin());
  Reader r(bulk);
  RecordBatch got = r.read_all();
  testing::expect_same(rows_of(0, rows), got);
  EXPECT_EQ(r.row_group(0).columns[1].min, "-50000");
  fs::remove(bulk);
  fs::remove(small);
}

}  // namespace
}  // namespace recsys::parquet
