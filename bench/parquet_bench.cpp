// Parquet write/read throughput (MB/s of raw values) for INT64, FLOAT and
// LIST<FLOAT> columns with snappy, zstd and uncompressed pages. The values
// follow the same formulas as bench/parquet-duckdb-copy.mjs so that DuckDB's
// COPY of the same data can be timed next to it (bench/parquet-vs-duckdb.sh).
//   parquet_bench [--rows N] [--list-rows N] [--repeats R] [--dir DIR] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/writer.h"

namespace {

using namespace recsys::parquet;
namespace fs = std::filesystem;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

RecordBatch make_batch(const std::string& kind, int64_t rows) {
  RecordBatch b;
  b.names = {"v"};
  Column c;
  if (kind == "int64") {
    c.type = ColumnType::Int64;
    c.i64.resize(static_cast<size_t>(rows));
    for (int64_t i = 0; i < rows; ++i)
      c.i64[static_cast<size_t>(i)] = (i * 2654435761LL) % 1000000007LL;
  } else if (kind == "float") {
    c.type = ColumnType::Float;
    c.f32.resize(static_cast<size_t>(rows));
    for (int64_t i = 0; i < rows; ++i) {
      c.f32[static_cast<size_t>(i)] =
          static_cast<float>(static_cast<double>((i * 48271) % 2147483647) / 2147483647.0);
    }
  } else {
    c.type = ColumnType::ListFloat;
    c.offsets.push_back(0);
    for (int64_t i = 0; i < rows; ++i) {
      int64_t len = 8 + i % 9;
      for (int64_t j = 0; j < len; ++j)
        c.f32.push_back(static_cast<float>(static_cast<double>((i * 31 + j) % 1000) / 1000.0));
      c.offsets.push_back(static_cast<int64_t>(c.f32.size()));
    }
  }
  b.columns.push_back(std::move(c));
  return b;
}

int64_t raw_bytes(const RecordBatch& b) {
  const Column& c = b.columns[0];
  return static_cast<int64_t>(c.i64.size() * 8 + c.f32.size() * 4);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 10'000'000, list_rows = 2'000'000;
  int repeats = 5;
  bool json = false;
  fs::path dir = fs::temp_directory_path() / "recsys-parquet-bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--rows")
      rows = std::stoll(next());
    else if (a == "--list-rows")
      list_rows = std::stoll(next());
    else if (a == "--repeats")
      repeats = std::stoi(next());
    else if (a == "--dir")
      dir = next();
    else if (a == "--json")
      json = true;
    else {
      std::fprintf(stderr,
                   "usage: %s [--rows N] [--list-rows N] [--repeats R] [--dir DIR] [--json]\n",
                   argv[0]);
      return 2;
    }
  }
  fs::create_directories(dir);
  if (!json) {
    std::printf("%-11s %-13s %12s %12s %12s %10s\n", "column", "codec", "raw MB", "write MB/s",
                "read MB/s", "file MB");
  }
  for (const std::string kind : {"int64", "float", "list_float"}) {
    RecordBatch batch = make_batch(kind, kind == "list_float" ? list_rows : rows);
    double mb = static_cast<double>(raw_bytes(batch)) / 1e6;
    Schema schema{{{"v", batch.columns[0].type, false}}};
    for (Codec codec : {Codec::Snappy, Codec::Zstd, Codec::Uncompressed}) {
      fs::path path = dir / ("bench_" + kind + "_" + to_string(codec) + ".parquet");
      std::vector<double> wt, rt;
      for (int r = 0; r < repeats; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        WriterOptions opt;
        opt.codec = codec;
        Writer w(path, schema, opt);
        w.write(batch);
        w.close();
        auto t1 = std::chrono::steady_clock::now();
        Reader reader(path);
        RecordBatch back = reader.read_all();
        auto t2 = std::chrono::steady_clock::now();
        if (back.num_rows() != batch.num_rows()) {
          std::fprintf(stderr, "row count mismatch\n");
          return 1;
        }
        wt.push_back(std::chrono::duration<double>(t1 - t0).count());
        rt.push_back(std::chrono::duration<double>(t2 - t1).count());
      }
      double file_mb = static_cast<double>(fs::file_size(path)) / 1e6;
      double w_mbs = mb / median(wt), r_mbs = mb / median(rt);
      if (json) {
        std::printf(
            "{\"column\":\"%s\",\"codec\":\"%s\",\"rows\":%zu,\"raw_mb\":%.3f,\"write_s\":%.4f,"
            "\"read_s\":%.4f,\"write_mbs\":%.1f,\"read_mbs\":%.1f,\"file_mb\":%.3f}\n",
            kind.c_str(), to_string(codec), batch.num_rows(), mb, median(wt), median(rt), w_mbs,
            r_mbs, file_mb);
      } else {
        std::printf("%-11s %-13s %12.1f %12.1f %12.1f %10.2f\n", kind.c_str(), to_string(codec), mb,
                    w_mbs, r_mbs, file_mb);
      }
      std::fflush(stdout);
      fs::remove(path);
    }
  }
  return 0;
}
