#pragma once
// The one place the library prints: log lines and per-stage progress, on stderr.
//   - text mode on a terminal: a progress bar with rate and ETA, redrawn in place;
//   - text mode otherwise (pipes, CI logs): one line every few seconds per stage;
//   - json mode: one JSON object per line ({"event": "progress" | "stage_done" | "log", ...});
//   - quiet: nothing but warnings and errors.
// Thread-safe: ProgressTask::advance may be called from any thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace recsys {

enum class LogFormat { Text, Json };

struct ProgressOptions {
  bool quiet = false;
  LogFormat format = LogFormat::Text;
  double line_interval_seconds = 5.0;  // non-terminal text mode: seconds between lines
};

// Sets the process-wide output options (the CLI calls this once from its flags).
void configure_progress(const ProgressOptions& options);
const ProgressOptions& progress_options();
// Parses "text" or "json"; throws ConfigError naming --log-format otherwise.
LogFormat parse_log_format(const std::string& name);

void log_info(const std::string& message);
void log_warning(const std::string& message);

// Progress of one stage with a known amount of work (items).
class ProgressTask {
 public:
  ProgressTask(std::string stage, int64_t total, std::string unit = "items");
  ~ProgressTask();
  ProgressTask(const ProgressTask&) = delete;
  ProgressTask& operator=(const ProgressTask&) = delete;

  void advance(int64_t n = 1);
  // Prints the final state with the elapsed time (called by the destructor if not before).
  void finish();
  double elapsed_seconds() const;

 private:
  void report(bool final_report);

  std::string stage_;
  std::string unit_;
  int64_t total_;
  std::atomic<int64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_report_;
  std::mutex report_mutex_;
  bool finished_ = false;
  bool terminal_ = false;
};

}  // namespace recsys
