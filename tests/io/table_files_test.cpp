// A table as one file or as a folder of part files (io/parquet/table_files.h):
// the parts read as one table equal the same rows written as one file, for every
// column type and null pattern; row groups are numbered across parts; hidden
// files are not parts; ambiguous or empty layouts are errors naming the path.
#include "recsys/io/parquet/table_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

fs::path fresh(const std::string& name) { return recsys::testing::fresh_dir("table-files-" + name); }

void write(const fs::path& path, const Schema& schema, const std::vector<RecordBatch>& batches) {
  Writer w(path, schema);
  for (const auto& b : batches) w.write(b);
  w.close();
}

class PartFiles : public ::testing::TestWithParam<Nulls> {};

TEST_P(PartFiles, PartsReadAsOneTableEqualOneFileOfTheSameRows) {
  const Nulls nulls = GetParam();
  const fs::path dir = fresh(std::string("parts-") + testing::to_string(nulls));
  const Schema schema = testing::sample_schema(nulls);
  const RecordBatch a = testing::sample_batch(300, nulls, 7, 0);
  const RecordBatch empty = testing::sample_batch(0, nulls, 7, 300);
  const RecordBatch b = testing::sample_batch(200, nulls, 7, 300);
  write(dir / "single.parquet", schema, {a, b});
  fs::create_directories(dir / "table");
  write(dir / "table" / part_file_name(0), schema, {a});
  write(dir / "table" / part_file_name(1), schema, {empty});
  write(dir / "table" / part_file_name(2), schema, {b});
  std::ofstream(dir / "table" / ".part-00003.parquet.tmp-1") << "not parquet";
  std::ofstream(dir / "table" / "_SUCCESS") << "";

  const auto files = table_files(dir, "table");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].filename(), "part-00000.parquet");
  const auto t = TableReader::open(dir, "table");
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->is_partitioned());
  EXPECT_EQ(t->num_rows(), 500);
  const Reader single(dir / "single.parquet");
  testing::expect_same(single.read_all(), t->read_all());
  // Projection keeps its order across parts too.
  testing::expect_same(single.read_all({"s", "i32"}), t->read_all({"s", "i32"}));
  // Row groups: part 0's, none of the empty part, part 2's.
  ASSERT_EQ(t->num_row_groups(), t->parts()[0].num_row_groups() + t->parts()[2].num_row_groups());
  int64_t rows = 0;
  for (int g = 0; g < t->num_row_groups(); ++g) rows += t->read_row_group(g).num_rows();
  EXPECT_EQ(rows, 500);
  EXPECT_THROW(t->read_row_group(t->num_row_groups()), InvalidArgument);

  const auto one = TableReader::open(dir, "single");
  ASSERT_TRUE(one.has_value());
  EXPECT_FALSE(one->is_partitioned());
  EXPECT_EQ(one->num_rows(), 500);
}

INSTANTIATE_TEST_SUITE_P(Nulls, PartFiles, ::testing::Values(Nulls::None, Nulls::Some, Nulls::All));

TEST(TableFiles, AbsentEmptyAmbiguousAndMismatchedLayouts) {
  const fs::path dir = fresh("layouts");
  EXPECT_TRUE(table_files(dir, "nothing").empty());
  EXPECT_FALSE(TableReader::open(dir, "nothing").has_value());
  try {
    TableReader::open_required(dir, "nothing");
    ADD_FAILURE() << "no throw";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("nothing.parquet"), std::string::npos) << e.what();
  }

  fs::create_directories(dir / "hollow");
  EXPECT_THROW(table_files(dir, "hollow"), IoError);

  const Schema schema = testing::sample_schema(Nulls::None);
  write(dir / "both.parquet", schema, {testing::sample_batch(5, Nulls::None, 1)});
  fs::create_directories(dir / "both");
  write(dir / "both" / part_file_name(0), schema, {testing::sample_batch(5, Nulls::None, 1)});
  EXPECT_THROW(table_files(dir, "both"), IoError);

  fs::create_directories(dir / "mixed");
  write(dir / "mixed" / part_file_name(0), schema, {testing::sample_batch(5, Nulls::None, 1)});
  const Schema other{{{"x", ColumnType::Int32, false}}};
  write(dir / "mixed" / part_file_name(1), other, {make_batch(other, {int32_column({1, 2, 3})})});
  try {
    TableReader::open(dir, "mixed");
    ADD_FAILURE() << "no throw";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("part-00001.parquet"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recsys::parquet
