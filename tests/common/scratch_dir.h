#pragma once
// A scratch folder per test process, removed when the process exits, and reading a file back
// whole: for every test program (cli_run.h adds running the recsys program).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace recsys::testing {

namespace fs = std::filesystem;

// <temp>/recsys-test-<pid>: the folder every fresh_dir() of this process lives in. Made on
// first use; removed (with everything in it) when the process exits.
inline const fs::path& scratch_root() {
  struct Root {
    fs::path dir = fs::temp_directory_path() / ("recsys-test-" + std::to_string(::getpid()));
    Root() {
      fs::remove_all(dir);
      fs::create_directories(dir);
    }
    ~Root() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  };
  static const Root root;
  return root.dir;
}

// An empty folder scratch_root()/name (emptied when it exists already).
inline fs::path fresh_dir(const std::string& name) {
  const fs::path dir = scratch_root() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The whole content of a file; empty when it cannot be read.
inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace recsys::testing
