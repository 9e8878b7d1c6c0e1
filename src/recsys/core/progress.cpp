#include "recsys/core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "recsys/core/error.h"

namespace recsys {

namespace {

ProgressOptions& options_storage() {
  static ProgressOptions options;
  return options;
}

std::mutex& output_mutex() {
  static std::mutex m;
  return m;
}

void emit(const std::string& line) {
  std::lock_guard<std::mutex> lock(output_mutex());
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

std::string format_duration(double seconds) {
  if (seconds < 60) return fmt::format("{:.1f}s", seconds);
  const auto s = static_cast<int64_t>(seconds);
  return fmt::format("{}m{:02d}s", s / 60, s % 60);
}

std::string format_count(int64_t n) {
  if (n >= 10'000'000) return fmt::format("{:.1f}M", n / 1e6);
  if (n >= 100'000) return fmt::format("{:.0f}k", n / 1e3);
  return fmt::format("{}", n);
}

void log_line(const char* level, const std::string& message) {
  const auto& o = options_storage();
  if (o.format == LogFormat::Json) {
    nlohmann::json j = {{"event", "log"}, {"level", level}, {"message", message}};
    emit(j.dump() + "\n");
  } else {
    emit(std::string(level) == "info" ? message + "\n" : fmt::format("{}: {}\n", level, message));
  }
}

}  // namespace

void configure_progress(const ProgressOptions& options) {
  options_storage() = options;
}
const ProgressOptions& progress_options() {
  return options_storage();
}

LogFormat parse_log_format(const std::string& name) {
  if (name == "text") return LogFormat::Text;
  if (name == "json") return LogFormat::Json;
  throw ConfigError("--log-format: expected 'text' or 'json', got '" + name + "'");
}

void log_info(const std::string& message) {
  if (options_storage().quiet) return;
  log_line("info", message);
}

void log_warning(const std::string& message) {
  log_line("warning", message);
}

ProgressTask::ProgressTask(std::string stage, int64_t total, std::string unit)
    : stage_(std::move(stage)), unit_(std::move(unit)), total_(total) {
  start_ = last_report_ = std::chrono::steady_clock::now();
  terminal_ = options_storage().format == LogFormat::Text && isatty(STDERR_FILENO) == 1;
}

ProgressTask::~ProgressTask() {
  try {
    finish();
  } catch (...) {
  }
}

double ProgressTask::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressTask::advance(int64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (options_storage().quiet) return;
  const auto now = std::chrono::steady_clock::now();
  const double interval = terminal_ ? 0.1 : options_storage().line_interval_seconds;
  std::unique_lock<std::mutex> lock(report_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;
  if (std::chrono::duration<double>(now - last_report_).count() < interval) return;
  last_report_ = now;
  report(false);
}

void ProgressTask::finish() {
  std::lock_guard<std::mutex> lock(report_mutex_);
  if (finished_) return;
  finished_ = true;
  if (!options_storage().quiet) report(true);
}

void ProgressTask::report(bool final_report) {
  const int64_t done = done_.load(std::memory_order_relaxed);
  const double elapsed = elapsed_seconds();
  const double fraction = total_ > 0 ? std::min(1.0, static_cast<double>(done) / total_) : 1.0;
  const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
  if (options_storage().format == LogFormat::Json) {
    nlohmann::json j = {{"event", final_report ? "stage_done" : "progress"},
                        {"stage", stage_},
                        {"done", done},
                        {"total", total_},
                        {"unit", unit_},
                        {"elapsed_s", elapsed}};
    if (!final_report) j["eta_s"] = eta;
    emit(j.dump() + "\n");
    return;
  }
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kWidth - filled), '.');
    std::string line = fmt::format("\r{:<14} [{}] {:3.0f}% {}/{} {} ", stage_, bar, fraction * 100,
                                   format_count(done), format_count(total_), unit_);
    line += final_report ? fmt::format("in {}\n", format_duration(elapsed))
                         : fmt::format("ETA {}\x1b[K", format_duration(eta));
    emit(line);
    return;
  }
  if (final_report) {
    emit(fmt::format("{}: done, {} {} in {}\n", stage_, format_count(done), unit_,
                     format_duration(elapsed)));
  } else {
    emit(fmt::format("{}: {:.0f}% ({}/{} {}), ETA {}\n", stage_, fraction * 100, format_count(done),
                     format_count(total_), unit_, format_duration(eta)));
  }
}

}  // namespace recsys
