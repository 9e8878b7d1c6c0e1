// Bad input on both sides: unwritable paths, batches that do not match the
// schema (clear error naming the column, and no file left behind, not even a
// temporary one), and files that are not Parquet.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "parquet_sample.h"
#include "recsys/core/error.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {
namespace {

namespace fs = std::filesystem;

class ParquetBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("recsys-parquet-bad-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  size_t files_in_dir() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++n;
    return n;
  }
  static Schema schema() {
    return Schema{{{"id", ColumnType::Int64, false}, {"name", ColumnType::String, true}}};
  }
  static RecordBatch batch(size_t ids, size_t names) {
    RecordBatch b;
    b.names = {"id", "name"};
    Column id;
    id.type = ColumnType::Int64;
    id.i64.assign(ids, 7);
    Column name;
    name.type = ColumnType::String;
    name.str.assign(names, "x");
    b.columns = {id, name};
    return b;
  }
  template <class E, class F>
  static std::string error_of(F&& f) {
    try {
      f();
    } catch (const E& e) {
      return e.what();
    }
    ADD_FAILURE() << "no exception";
    return "";
  }
  fs::path dir_;
};

TEST_F(ParquetBadInput, PathUnderMissingDirectory) {
  fs::path path = dir_ / "missing" / "out.parquet";
  std::string msg = error_of<IoError>([&] { Writer w(path, schema()); });
  EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
}

TEST_F(ParquetBadInput, UnwritablePathUnderProc) {
  std::string msg = error_of<IoError>([&] { Writer w("/proc/recsys-test.parquet", schema()); });
  EXPECT_NE(msg.find("/proc/recsys-test.parquet"), std::string::npos) << msg;
}

TEST_F(ParquetBadInput, RowCountMismatchNamesTheColumnAndLeavesNoFile) {
  fs::path path = dir_ / "out.parquet";
  {
    Writer w(path, schema());
    w.write(batch(3, 3));
    std::string msg = error_of<InvalidArgument>([&] { w.write(batch(3, 2)); });
    EXPECT_NE(msg.find("'name'"), std::string::npos) << msg;
    EXPECT_EQ(msg.rfind(path.string(), 0), 0u) << msg;
    EXPECT_EQ(files_in_dir(), 0u);  // the temporary file is gone already
    EXPECT_THROW(w.close(), InvalidArgument);
  }
  EXPECT_EQ(files_in_dir(), 0u);
}

TEST_F(ParquetBadInput, TypeNameAndNullabilityMismatches) {
  fs::path path = dir_ / "out.parquet";
  {
    Writer w(path, schema());
    RecordBatch b = batch(2, 2);
    b.columns[0].type = ColumnType::Int32;
    b.columns[0].i32 = {1, 2};
    std::string msg = error_of<InvalidArgument>([&] { w.write(b); });
    EXPECT_NE(msg.find("'id'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("int64"), std::string::npos) << msg;
  }
  {
    Writer w(path, schema());
    RecordBatch b = batch(2, 2);
    b.names[1] = "title";
    std::string msg = error_of<InvalidArgument>([&] { w.write(b); });
    EXPECT_NE(msg.find("title"), std::string::npos) << msg;
  }
  {
    Writer w(path, schema());
    RecordBatch b = batch(2, 2);
    b.columns[0].validity = {1, 0};
    std::string msg = error_of<InvalidArgument>([&] { w.write(b); });
    EXPECT_NE(msg.find("'id'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not nullable"), std::string::npos) << msg;
  }
  {
    Schema s{{{"l", ColumnType::ListInt32, true}}};
    Writer w(path, s);
    RecordBatch b;
    b.names = {"l"};
    Column l;
    l.type = ColumnType::ListInt32;
    l.offsets = {0, 2, 1};
    l.i32 = {1, 2};
    b.columns = {l};
    std::string msg = error_of<InvalidArgument>([&] { w.write(b); });
    EXPECT_NE(msg.find("'l'"), std::string::npos) << msg;
    l.offsets = {0, 2, 5};
    b.columns = {l};
    Writer w2(path, s);
    msg = error_of<InvalidArgument>([&] { w2.write(b); });
    EXPECT_NE(msg.find("'l'"), std::string::npos) << msg;
  }
  EXPECT_EQ(files_in_dir(), 0u);
}

TEST_F(ParquetBadInput, DestructorWithoutCloseRemovesTemporaryAndKeepsOldFile) {
  fs::path path = dir_ / "out.parquet";
  { std::ofstream(path) << "old content"; }
  {
    Writer w(path, schema());
    w.write(batch(10, 10));
    EXPECT_EQ(files_in_dir(), 2u);  // old file + temporary
  }
  EXPECT_EQ(files_in_dir(), 1u);
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "old content");
}

TEST_F(ParquetBadInput, InvalidSchemaAndOptions) {
  fs::path path = dir_ / "out.parquet";
  EXPECT_THROW(Writer(path, Schema{}), InvalidArgument);
  EXPECT_THROW(
      Writer(path, Schema{{{"a", ColumnType::Int32, false}, {"a", ColumnType::Int64, false}}}),
      InvalidArgument);
  WriterOptions o;
  o.codec = Codec::Zstd;
  o.compression_level = 40;
  EXPECT_THROW(Writer(path, schema(), o), InvalidArgument);
  EXPECT_THROW(parse_codec("lz4"), ConfigError);
  EXPECT_EQ(files_in_dir(), 0u);
}

TEST_F(ParquetBadInput, ReaderRejectsNonParquetFilesNamingThem) {
  fs::path text = dir_ / "notes.parquet";
  std::ofstream(text) << "this is not a parquet file at all";
  std::string msg = error_of<FormatError>([&] { Reader r(text); });
  EXPECT_EQ(msg.rfind(text.string(), 0), 0u) << msg;
  fs::path empty = dir_ / "empty.parquet";
  std::ofstream(empty).flush();
  msg = error_of<FormatError>([&] { Reader r(empty); });
  EXPECT_EQ(msg.rfind(empty.string(), 0), 0u) << msg;
  msg = error_of<IoError>([&] { Reader r(dir_ / "absent.parquet"); });
  EXPECT_NE(msg.find("absent.parquet"), std::string::npos) << msg;
  EXPECT_THROW(Reader r(dir_), IoError);
}

TEST_F(ParquetBadInput, TruncatedFileNamesTheFile) {
  fs::path path = dir_ / "t.parquet";
  {
    Writer w(path, testing::sample_schema(testing::Nulls::Some));
    w.write(testing::sample_batch(200, testing::Nulls::Some, 1));
    w.close();
  }
  auto size = fs::file_size(path);
  fs::resize_file(path, size / 2);
  std::string msg = error_of<FormatError>([&] { Reader r(path); });
  EXPECT_EQ(msg.rfind(path.string(), 0), 0u) << msg;
}

}  // namespace
}  // namespace recsys::parquet
