#pragma once
// What the tests that drive the recsys program (RECSYS_BINARY) share: the scratch folder and
// read_text of scratch_dir.h; running the program with its stdout / stderr in log files. No *_test.cpp lives here, so tests/CMakeLists.txt
// makes no test program of this folder; include it as "../common/cli_run.h".
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "scratch_dir.h"

namespace recsys::testing {

namespace fs = std::filesystem;

struct RunOptions {
  fs::path working_dir;  // where the program runs; empty: the test's own working folder
  std::string env;       // "NAME=value ..." set for the program only; empty: none
};

// Runs `RECSYS_BINARY args` through the shell (args are shell words, quoted by the caller),
// with stdout in log_dir/log.out and stderr in log_dir/log.err. Returns the exit status, or -1
// when the program did not exit normally (a signal).
inline int run_recsys(const std::string& args, const fs::path& log_dir,
                      const RunOptions& options = {}) {
  // Appends only: GCC 12's -Wrestrict misfires on "literal" + std::string temporaries here.
  std::string cmd;
  const auto quoted = [&cmd](const std::string& s) { cmd.append("'").append(s).append("'"); };
  if (!options.working_dir.empty()) {
    cmd.append("cd ");
    quoted(options.working_dir.string());
    cmd.append(" && ");
  }
  if (!options.env.empty()) cmd.append(options.env).append(" ");
  quoted(RECSYS_BINARY);
  cmd.append(" ").append(args).append(" > ");
  quoted((log_dir / "log.out").string());
  cmd.append(" 2> ");
  quoted((log_dir / "log.err").string());
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The stdout / stderr of the last run_recsys(..., log_dir).
inline std::string log_out(const fs::path& log_dir) {
  return read_text(log_dir / "log.out");
}
inline std::string log_err(const fs::path& log_dir) {
  return read_text(log_dir / "log.err");
}

// For a test program that needs one scratch folder: fresh_dir("cli"), made on first use, with
// run / out / err running the program and reading its logs there. Shared by every file of the
// program: a second file that makes the same folder names takes its own fresh_dir().
inline const fs::path& scratch() {
  static const fs::path dir = fresh_dir("cli");
  return dir;
}
inline int run(const std::string& args) {
  return run_recsys(args, scratch());
}
inline std::string out() {
  return log_out(scratch());
}
inline std::string err() {
  return log_err(scratch());
}

}  // namespace recsys::testing
