#pragma once
// Helpers of the importer tests: a per-process scratch folder, small input
// files, reading whole files and Parquet tables back.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "recsys/io/parquet/reader.h"

namespace recsys::data::testing {

namespace fs = std::filesystem;

inline const fs::path& scratch() {
  static const fs::path dir = [] {
    fs::path p = fs::temp_directory_path() / ("recsys_data_test_" + std::to_string(getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
  }();
  return dir;
}

// A fresh, empty folder under the scratch folder.
inline fs::path fresh_dir(const std::string& name) {
  const fs::path p = scratch() / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

inline fs::path write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  return path;
}

inline std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline parquet::RecordBatch read_table(const fs::path& p,
                                       const std::vector<std::string>& cols = {}) {
  return parquet::Reader(p).read_all(cols);
}

inline const fs::path& shared_data() {
  static const fs::path p = RECSYS_SHARED_DATA_DIR;
  return p;
}

// Files (relative paths) in a folder, sorted; empty when it does not exist.
inline std::vector<std::string> list_files(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out.push_back(fs::relative(e.path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace recsys::data::testing
