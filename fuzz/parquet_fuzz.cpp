// libFuzzer target: the Parquet reader on arbitrary bytes — footer (thrift),
// schema mapping, page headers, decompression, levels and value decoding, and
// the inspect formatting. Any outcome other than success or recsys::Error
// (a crash, a sanitizer report, another exception, a hang) is a bug.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/io/parquet/inspect.h"
#include "recsys/io/parquet/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace recsys::parquet;
  ReaderOptions options;
  options.max_values_per_chunk = 1 << 16;  // bounds memory per column chunk
  try {
    Reader reader =
        Reader::from_bytes("fuzz.parquet", std::vector<uint8_t>(data, data + size), options);
    describe_file(reader);
    for (int g = 0; g < reader.num_row_groups(); ++g) {
      for (const Field& f : reader.schema().fields) {
        try {
          RecordBatch batch = reader.read_row_group(g, {f.name});
          for (size_t r = 0; r < batch.num_rows() && r < 4; ++r) row_to_json(batch, r);
        } catch (const recsys::Error&) {
        }
      }
    }
  } catch (const recsys::Error&) {
  }
  return 0;
}
