// Writes the files DuckDB must read (interop test `io_duckdb_reads_ours`): for
// every codec x null pattern, the sample table of every column type in several
// row groups, plus the expected rows as JSON lines (from the in-memory batch,
// independently of our reader), and an empty file.
// Usage: parquet_interop_write OUTPUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "parquet_sample.h"
#include "recsys/io/parquet/inspect.h"
#include "recsys/io/parquet/writer.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  using namespace recsys::parquet;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    fs::path dir = argv[1];
    fs::create_directories(dir);
    for (Codec codec : {Codec::Uncompressed, Codec::Snappy, Codec::Zstd, Codec::Gzip}) {
      for (testing::Nulls nulls :
           {testing::Nulls::None, testing::Nulls::Some, testing::Nulls::All}) {
        std::string stem =
            std::string("ours_") + to_string(codec) + "_" + testing::to_string(nulls);
        WriterOptions opt;
        opt.codec = codec;
        opt.row_group_rows = 400;
        opt.page_bytes = 4096;
        Writer w(dir / (stem + ".parquet"), testing::sample_schema(nulls), opt);
        w.set_metadata("recsys.test", stem);
        std::ofstream expected(dir / (stem + ".jsonl"));
        for (int b = 0; b < 3; ++b) {
          RecordBatch batch = testing::sample_batch(350, nulls, 17, static_cast<size_t>(b) * 350);
          w.write(batch);
          for (size_t r = 0; r < batch.num_rows(); ++r) expected << row_to_json(batch, r) << "\n";
        }
        w.close();
      }
    }
    Writer empty(dir / "ours_empty.parquet", testing::sample_schema(testing::Nulls::Some));
    empty.close();
    std::ofstream(dir / "ours_empty.jsonl").flush();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parquet_interop_write: %s\n", e.what());
    return 1;
  }
  return 0;
}
