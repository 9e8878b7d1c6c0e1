// Randomized corruption: valid files (ours with every codec, and DuckDB's with
// dictionaries, data page v2 and delta encodings) have bytes flipped,
// overwritten or cut off, many times over. Every read must either succeed or
// throw recsys::Error: never crash, hang or throw anything else. Also runs
// under ASan/UBSan (ctest label `sanitize`).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "parquet_sample.h"
#include "recsys/core/error.h"
#include "recsys/io/parquet/inspect.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

std::vector<std::pair<std::string, std::vector<uint8_t>>> valid_files() {
  std::vector<std::pair<std::string, std::vector<uint8_t>>> files;
  fs::path dir = fs::temp_directory_path() / ("recsys-corrupt-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (Codec codec : {Codec::Uncompressed, Codec::Snappy, Codec::Zstd, Codec::Gzip}) {
    fs::path p = dir / (std::string(to_string(codec)) + ".parquet");
    WriterOptions opt;
    opt.codec = codec;
    opt.page_bytes = 1024;
    opt.row_group_rows = 60;
    Writer w(p, testing::sample_schema(testing::Nulls::Some), opt);
    w.write(testing::sample_batch(150, testing::Nulls::Some, 5));
    w.close();
    files.emplace_back(p.string(), read_bytes(p));
  }
  fs::remove_all(dir);
  for (const char* name :
       {"duckdb_v1_snappy.parquet", "duckdb_v2_zstd.parquet", "duckdb_v1_gzip.parquet"}) {
    fs::path p = fs::path(RECSYS_SOURCE_DIR) / "tests/io/data" / name;
    files.emplace_back(p.string(), read_bytes(p));
  }
  return files;
}

// Reads everything readable; returns normally or throws recsys::Error.
void read_everything(const std::vector<uint8_t>& bytes) {
  ReaderOptions opt;
  opt.max_values_per_chunk = 1 << 20;
  Reader r = Reader::from_bytes("corrupt.parquet", bytes, opt);
  describe_file(r);
  std::vector<std::string> names;
  for (const Field& f : r.schema().fields) names.push_back(f.name);
  for (int g = 0; g < r.num_row_groups(); ++g) {
    for (const std::string& n : names) {
      try {
        RecordBatch b = r.read_row_group(g, {n});
        for (size_t row = 0; row < std::min<size_t>(b.num_rows(), 3); ++row) row_to_json(b, row);
      } catch (const Error&) {
        // keep going: other columns may still decode
      }
    }
  }
}

TEST(ParquetCorruption, RandomDamageNeverCrashes) {
  auto files = valid_files();
  for (const auto& [name, bytes] : files) {
    ASSERT_NO_THROW(read_everything(bytes)) << name;  // the originals are valid
  }
  std::mt19937_64 rng(20240101);
  int ok = 0, rejected = 0;
  const int kRounds = 400;  // per file and kind of damage
  for (const auto& [name, original] : files) {
    SCOPED_TRACE(name);
    for (int round = 0; round < kRounds * 4; ++round) {
      std::vector<uint8_t> b = original;
      int kind = round % 4;
      size_t n = b.size();
      if (kind == 0) {  // flip 1..4 random bits
        for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k)
          b[rng() % n] ^= static_cast<uint8_t>(1u << (rng() % 8));
      } else if (kind == 1) {  // overwrite a few bytes, biased to the footer
        size_t footer = n > 200 ? n - 200 : 0;
        for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) {
          size_t at = rng() % 2 ? footer + rng() % (n - footer) : rng() % n;
          b[at] = static_cast<uint8_t>(rng());
        }
      } else if (kind == 2) {  // truncate, keeping a valid-looking tail
        size_t cut = rng() % n;
        std::vector<uint8_t> tail(b.end() - 8, b.end());
        b.resize(cut);
        if (rng() % 2) b.insert(b.end(), tail.begin(), tail.end());
      } else {  // write an extreme 32-bit value somewhere (lengths, counts, offsets)
        static const uint32_t extremes[] = {0, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0xFFFFu, 1};
        size_t at = rng() % (n - 4);
        uint32_t v = extremes[rng() % 6];
        std::memcpy(b.data() + at, &v, 4);
      }
      try {
        read_everything(b);
        ++ok;
      } catch (const Error&) {
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_GT(ok, 0);
  RecordProperty("accepted", ok);
  RecordProperty("rejected", rejected);
}

}  // namespace
}  // namespace recsys::parquet
