// Writes the seed corpus of parquet_fuzz into a folder: small valid files of
// every column type, codec and null pattern written by our writer, plus the
// DuckDB-written files in tests/io/data (dictionaries, data page v2, delta
// encodings). Usage: parquet_fuzz_seeds OUTPUT_DIR [EXTRA_SEED_FILES...]
#include <cstdio>
#include <filesystem>
#include <string>

#include "../tests/io/parquet_sample.h"
#include "recsys/core/error.h"
#include "recsys/io/parquet/writer.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  using namespace recsys::parquet;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR [EXTRA_SEED_FILES...]\n", argv[0]);
    return 2;
  }
  try {
    fs::path dir = argv[1];
    fs::create_directories(dir);
    for (Codec codec : {Codec::Uncompressed, Codec::Snappy, Codec::Zstd, Codec::Gzip}) {
      for (testing::Nulls nulls :
           {testing::Nulls::None, testing::Nulls::Some, testing::Nulls::All}) {
        WriterOptions opt;
        opt.codec = codec;
        opt.page_bytes = 256;
        opt.row_group_rows = 12;
        fs::path p = dir / (std::string("seed_") + to_string(codec) + "_" +
                            testing::to_string(nulls) + ".parquet");
        Writer w(p, testing::sample_schema(nulls), opt);
        w.write(testing::sample_batch(30, nulls, 9));
        w.close();
      }
    }
    for (int i = 2; i < argc; ++i) {
      fs::copy_file(argv[i], dir / fs::path(argv[i]).filename(),
                    fs::copy_options::overwrite_existing);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parquet_fuzz_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
