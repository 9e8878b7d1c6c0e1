// Unit tests of the building blocks: thrift compact protocol, RLE / bit-packed
// hybrid, codecs, timestamps, statistics and the atomic file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "recsys/core/error.h"
#include "recsys/io/atomic_file.h"
#include "recsys/io/parquet/codec.h"
#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/rle.h"
#include "recsys/io/parquet/statistics.h"
#include "recsys/io/parquet/thrift_compact.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {
namespace {

namespace fs = std::filesystem;

TEST(ParquetRle, RoundTripsMixedRunsAtEveryWidth) {
  std::mt19937 rng(1);
  for (int width = 1; width <= 8; ++width) {
    std::vector<uint8_t> values;
    for (int block = 0; block < 200; ++block) {
      uint8_t v = static_cast<uint8_t>(rng() % (1u << width));
      size_t len = rng() % 3 == 0 ? rng() % 40 : 1 + rng() % 3;
      bool random = rng() % 2;
      for (size_t i = 0; i < len; ++i)
        values.push_back(random ? static_cast<uint8_t>(rng() % (1u << width)) : v);
    }
    std::vector<uint8_t> enc;
    rle_encode(values.data(), values.size(), width, enc);
    std::vector<uint8_t> dec(values.size());
    std::string ctx = "test";
    RleDecoder d(enc.data(), enc.size(), width, ctx);
    d.decode(dec.data(), dec.size());
    EXPECT_EQ(values, dec) << "width " << width;
  }
}

TEST(ParquetRle, KnownEncodingAndTruncation) {
  // 8 copies of 1 at width 1: one RLE run (header 16, value 1).
  std::vector<uint8_t> v(8, 1), enc;
  rle_encode(v.data(), v.size(), 1, enc);
  EXPECT_EQ(enc, (std::vector<uint8_t>{16, 1}));
  // Bit-packed [0..7] at width 3, as in the Parquet spec.
  std::vector<uint8_t> seq = {0, 1, 2, 3, 4, 5, 6, 7};
  enc.clear();
  rle_encode(seq.data(), seq.size(), 3, enc);
  EXPECT_EQ(enc, (std::vector<uint8_t>{3, 0x88, 0xC6, 0xFA}));
  std::string ctx = "ctx";
  std::vector<uint8_t> out(9);
  RleDecoder d(enc.data(), enc.size(), 3, ctx);
  EXPECT_THROW(d.decode(out.data(), 9), FormatError);
}

TEST(ParquetThrift, FieldsRoundTripAndDepthIsBounded) {
  std::vector<uint8_t> buf;
  thrift::CompactWriter w(buf);
  w.field_i32(1, -5);
  w.field_i64(20, int64_t{1} << 40);  // long-form field header
  w.field_string(21, "hello");
  w.begin_struct(22);
  w.field_bool(1, true);
  w.end_struct();
  w.stop();
  thrift::CompactReader r(buf.data(), buf.size(), "t");
  r.begin_struct();
  int16_t id;
  uint8_t type;
  ASSERT_TRUE(r.next_field(id, type));
  EXPECT_EQ(id, 1);
  EXPECT_EQ(r.read_i32(type), -5);
  ASSERT_TRUE(r.next_field(id, type));
  EXPECT_EQ(id, 20);
  EXPECT_EQ(r.read_i64(type), int64_t{1} << 40);
  ASSERT_TRUE(r.next_field(id, type));
  EXPECT_EQ(r.read_binary(type), "hello");
  ASSERT_TRUE(r.next_field(id, type));
  r.skip(type);
  EXPECT_FALSE(r.next_field(id, type));
  EXPECT_EQ(r.position(), buf.size());

  std::vector<uint8_t> deep(1000, 0x1C);  // field 1, struct, nested forever
  thrift::CompactReader rd(deep.data(), deep.size(), "deep");
  rd.begin_struct();
  ASSERT_TRUE(rd.next_field(id, type));
  EXPECT_THROW(rd.skip(type), FormatError);
  std::vector<uint8_t> big_list = {0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0x0F};  // list of 2^32-1 structs
  thrift::CompactReader rl(big_list.data(), big_list.size(), "list");
  rl.begin_struct();
  ASSERT_TRUE(rl.next_field(id, type));
  EXPECT_THROW(rl.skip(type), FormatError);
}

TEST(ParquetCodec, EveryCodecRoundTripsAndRejectsGarbage) {
  std::vector<uint8_t> data;
  for (int i = 0; i < 100000; ++i) data.push_back(static_cast<uint8_t>(i % 251 < 100 ? 7 : i));
  for (Codec c : {Codec::Uncompressed, Codec::Snappy, Codec::Zstd, Codec::Gzip}) {
    std::vector<uint8_t> comp, scratch;
    compress(c, 0, data.data(), data.size(), comp);
    const uint8_t* out =
        decompress(format_codec(c), comp.data(), comp.size(), data.size(), scratch, "ctx");
    EXPECT_EQ(std::vector<uint8_t>(out, out + data.size()), data) << to_string(c);
    // Wrong declared size and garbage are errors, never crashes.
    EXPECT_THROW(
        decompress(format_codec(c), comp.data(), comp.size(), data.size() + 1, scratch, "ctx"),
        FormatError);
    if (c != Codec::Uncompressed) {
      std::vector<uint8_t> bad = comp;
      for (size_t i = 0; i < bad.size(); i += 3) bad[i] ^= 0x5A;
      try {
        decompress(format_codec(c), bad.data(), bad.size(), data.size(), scratch, "ctx");
      } catch (const FormatError&) {
      }
    }
  }
  std::vector<uint8_t> scratch;
  EXPECT_THROW(decompress(format::kLz4, data.data(), 10, 10, scratch, "ctx"), FormatError);
}

TEST(ParquetCodec, CompressToWritesWhatCompressDoesIntoACallersBuffer) {
  std::vector<uint8_t> data;
  for (int i = 0; i < 70000; ++i) data.push_back(static_cast<uint8_t>(i % 7 == 0 ? i : i % 5));
  for (Codec c : {Codec::Uncompressed, Codec::Snappy, Codec::Zstd, Codec::Gzip}) {
    std::vector<uint8_t> want;
    compress(c, 0, data.data(), data.size(), want);
    const size_t bound = max_compressed_size(c, data.size());
    EXPECT_GE(bound, want.size()) << to_string(c);
    std::vector<uint8_t> buffer(bound + 16, 0xEE);
    const size_t n = compress_to(c, 0, data.data(), data.size(), buffer.data(), bound);
    EXPECT_EQ(std::vector<uint8_t>(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n)),
              want)
        << to_string(c);
    EXPECT_EQ(buffer[bound], 0xEE) << to_string(c);  // nothing written past the capacity
    EXPECT_THROW(compress_to(c, 0, data.data(), data.size(), buffer.data(), bound - 1),
                 InvalidArgument)
        << to_string(c);
  }
}

TEST(ParquetStatistics, TimestampsAndFloatOrdering) {
  EXPECT_EQ(format_timestamp_micros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_timestamp_micros(1704164645000006), "2024-01-02T03:04:05.000006Z");
  EXPECT_EQ(format_timestamp_micros(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_timestamp_micros(951782400000000), "2000-02-29T00:00:00.000000Z");
  MinMax<float> f;
  std::vector<float> v = {NAN, 3.0f, -0.0f, -2.5f, NAN};
  f.update(v.data(), v.size());
  EXPECT_EQ(f.min, -2.5f);
  EXPECT_EQ(f.max, 3.0f);
  MinMax<float> allnan;
  std::vector<float> n = {NAN, NAN};
  allnan.update(n.data(), n.size());
  EXPECT_FALSE(allnan.any);
  float z;
  std::string minzero = stat_bytes(0.0f, false);
  std::memcpy(&z, minzero.data(), 4);
  EXPECT_TRUE(std::signbit(z));  // a min of +0 is written as -0
}

TEST(ParquetStatistics, WrittenStatisticsAreSignedAndCountNulls) {
  fs::path path =
      fs::temp_directory_path() / ("recsys-stats-" + std::to_string(::getpid()) + ".parquet");
  Schema schema{{{"i", ColumnType::Int32, true},
                 {"s", ColumnType::String, false},
                 {"f", ColumnType::Float, false}}};
  RecordBatch b;
  b.names = {"i", "s", "f"};
  Column i;
  i.type = ColumnType::Int32;
  i.i32 = {5, -7, 100, 0};
  i.validity = {1, 1, 0, 1};
  Column s;
  s.type = ColumnType::String;
  s.str = {"b", "ä", "a", "Z"};
  Column f;
  f.type = ColumnType::Float;
  f.f32 = {1.5f, NAN, -3.0f, 2.0f};
  b.columns = {i, s, f};
  {
    Writer w(path, schema);
    w.write(b);
    w.close();
  }
  Reader r(path);
  const RowGroupInfo& g = r.row_group(0);
  EXPECT_EQ(g.columns[0].min, "-7");
  EXPECT_EQ(g.columns[0].max, "5");  // 100 is null
  EXPECT_EQ(g.columns[0].null_count, 1);
  EXPECT_EQ(g.columns[1].min, "\"Z\"");  // unsigned byte order
  EXPECT_EQ(g.columns[1].max, "\"ä\"");
  EXPECT_EQ(g.columns[2].min, "-3");
  EXPECT_EQ(g.columns[2].max, "2");
  fs::remove(path);
}

TEST(AtomicFile, CommitRenamesAndDiscardRemoves) {
  fs::path dir = fs::temp_directory_path() / ("recsys-atomic-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    io::AtomicFile f(dir / "a.bin");
    f.write("abc", 3);
    EXPECT_TRUE(fs::exists(f.temporary()));
    EXPECT_FALSE(fs::exists(dir / "a.bin"));
    f.commit();
  }
  EXPECT_EQ(fs::file_size(dir / "a.bin"), 3u);
  {
    io::AtomicFile f(dir / "b.bin");
    f.write("abc", 3);
  }
  EXPECT_FALSE(fs::exists(dir / "b.bin"));
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  EXPECT_EQ(n, 1u);
  EXPECT_THROW(io::AtomicFile(dir / "missing" / "c.bin"), IoError);
  fs::remove_all(dir);
}

TEST(AtomicFile, WritebackBetweenWritesKeepsEveryByte) {
  fs::path dir = fs::temp_directory_path() / ("recsys-atomic-wb-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string want;
  {
    io::AtomicFile f(dir / "w.bin");
    for (int i = 0; i < 50; ++i) {
      std::string chunk(static_cast<size_t>(1000 + i * 37), static_cast<char>('a' + i % 26));
      f.write(chunk.data(), chunk.size());
      want += chunk;
      f.start_writeback(i % 2 == 0 ? 0 : 1 << 20);  // now, or not yet (under 1 MB pending)
    }
    EXPECT_EQ(f.size(), static_cast<int64_t>(want.size()));
    f.commit();
    f.start_writeback();  // after commit: nothing to do, no error
  }
  std::ifstream in(dir / "w.bin", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), want);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace recsys::parquet
