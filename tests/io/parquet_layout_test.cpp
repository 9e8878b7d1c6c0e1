// File layout of written Parquet files: the first column of each row group is
// streamed to the file while later columns are buffered, so this checks that
// column chunks and row groups are packed back to back in schema order, that
// every offset and size in the footer matches the pages actually there, and
// that the rows read back are the rows written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "../common/scratch_dir.h"
#include "parquet_sample.h"
#include "recsys/io/parquet/inspect.h"
#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {
namespace {

namespace fs = std::filesystem;
using testing::Nulls;

fs::path temp_dir() {  // removed with the process's scratch root at exit
  fs::path dir = recsys::testing::scratch_root() / "parquet-layout";
  fs::create_directories(dir);
  return dir;
}

// The sample table with `first` moved to the front (the streamed column).
Schema schema_first(Nulls nulls, const std::string& first) {
  Schema s = testing::sample_schema(nulls);
  for (size_t i = 0; i < s.fields.size(); ++i) {
    if (s.fields[i].name != first) continue;
    auto at = s.fields.begin() + static_cast<std::ptrdiff_t>(i);
    std::rotate(s.fields.begin(), at, at + 1);
  }
  return s;
}

RecordBatch batch_first(size_t rows, Nulls nulls, size_t first_row, const std::string& first) {
  RecordBatch b = testing::sample_batch(rows, nulls, 5, first_row);
  for (size_t i = 0; i < b.names.size(); ++i) {
    if (b.names[i] != first) continue;
    const auto k = static_cast<std::ptrdiff_t>(i);
    std::rotate(b.names.begin(), b.names.begin() + k, b.names.begin() + k + 1);
    std::rotate(b.columns.begin(), b.columns.begin() + k, b.columns.begin() + k + 1);
  }
  return b;
}

class Layout : public ::testing::TestWithParam<std::tuple<Codec, Nulls, std::string>> {};

TEST_P(Layout, ChunksArePackedInOrderAndMatchTheirPages) {
  const auto [codec, nulls, first] = GetParam();
  const fs::path path = temp_dir() / ("layout_" + std::string(to_string(codec)) + "_" +
                                      testing::to_string(nulls) + "_" + first + ".parquet");
  WriterOptions opt;
  opt.codec = codec;
  opt.page_bytes = 1024;           // many pages; 3000 int64 rows are 23 whole pages (bulk path)
  opt.row_group_bytes = 48 << 10;  // several row groups, cut inside batches
  std::vector<std::string> want;
  {
    Writer w(path, schema_first(nulls, first), opt);
    size_t row = 0;
    for (size_t rows : {3000, 7, 1500, 4000, 1, 2600}) {
      RecordBatch b = batch_first(rows, nulls, row, first);
      w.write(b);
      for (size_t r = 0; r < rows; ++r) want.push_back(row_to_json(b, r));
      row += rows;
    }
    w.close();
  }

  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 12u);
  uint32_t footer_len = 0;
  std::memcpy(&footer_len, bytes.data() + bytes.size() - 8, 4);
  const size_t footer_at = bytes.size() - 8 - footer_len;
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const format::FileMetaData meta =
      format::parse_file_metadata(data + footer_at, footer_len, "footer");
  ASSERT_GE(meta.row_groups.size(), 3u);

  int64_t at = 4;  // after the leading magic
  int64_t rows = 0;
  for (size_t g = 0; g < meta.row_groups.size(); ++g) {
    const format::RowGroup& rg = meta.row_groups[g];
    ASSERT_TRUE(rg.file_offset.has_value());
    EXPECT_EQ(*rg.file_offset, at) << "row group " << g;
    int64_t group_bytes = 0;
    for (size_t c = 0; c < rg.columns.size(); ++c) {
      const format::ColumnMetaData& m = rg.columns[c].meta_data;
      SCOPED_TRACE("row group " + std::to_string(g) + " column " + std::to_string(c));
      EXPECT_EQ(m.data_page_offset, at);
      EXPECT_EQ(rg.columns[c].file_offset, at);
      // Walk the chunk's pages: their headers and bodies must fill it exactly.
      int64_t pos = m.data_page_offset, end = pos + m.total_compressed_size, values = 0;
      int64_t uncompressed = 0;
      ASSERT_LE(end, static_cast<int64_t>(footer_at));
      while (pos < end) {
        size_t header_size = 0;
        const format::PageHeader h = format::parse_page_header(
            data + pos, static_cast<size_t>(end - pos), "page", header_size);
        ASSERT_TRUE(h.data_page_header.has_value());
        values += h.data_page_header->num_values;
        uncompressed += static_cast<int64_t>(header_size) + h.uncompressed_page_size;
        pos += static_cast<int64_t>(header_size) + h.compressed_page_size;
      }
      EXPECT_EQ(pos, end);
      EXPECT_EQ(values, m.num_values);
      EXPECT_EQ(uncompressed, m.total_uncompressed_size);
      at = end;
      group_bytes += m.total_compressed_size;
    }
    EXPECT_EQ(rg.total_compressed_size.value_or(-1), group_bytes);
    rows += rg.num_rows;
  }
  EXPECT_EQ(at, static_cast<int64_t>(footer_at));  // nothing between the last chunk and the footer
  EXPECT_EQ(rows, static_cast<int64_t>(want.size()));

  const RecordBatch got = Reader(path).read_all();
  ASSERT_EQ(got.num_rows(), want.size());
  for (size_t r = 0; r < want.size(); ++r) ASSERT_EQ(row_to_json(got, r), want[r]) << "row " << r;
  fs::remove(path);
}

INSTANTIATE_TEST_SUITE_P(CodecsNullsAndFirstColumns, Layout,
                         ::testing::Combine(::testing::Values(Codec::Uncompressed, Codec::Snappy,
                                                              Codec::Zstd, Codec::Gzip),
                                            ::testing::Values(Nulls::None, Nulls::Some),
                                            ::testing::Values(std::string("i64"), std::string("lf"),
                                                              std::string("s"))),
                         [](const auto& info) {
                           return std::string(to_string(std::get<0>(info.param))) + "_" +
                                  testing::to_string(std::get<1>(info.param)) + "_" +
                                  std::get<2>(info.param);
                         });

}  // namespace
}  // namespace recsys::parquet
