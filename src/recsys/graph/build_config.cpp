#include "recsys/graph/build_config.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <chrono>

#include "recsys/core/error.h"

namespace recsys::graph {

const char* to_string(SplitMode mode) {
  switch (mode) {
    case SplitMode::Auto:
      return "auto";
    case SplitMode::Temporal:
      return "temporal";
    case SplitMode::GlobalTime:
      return "global-time";
    case SplitMode::Predefined:
      return "predefined";
    case SplitMode::Random:
      return "random";
  }
  return "?";
}

SplitMode parse_split_mode(const std::string& name) {
  for (SplitMode m : {SplitMode::Auto, SplitMode::Temporal, SplitMode::GlobalTime,
                      SplitMode::Predefined, SplitMode::Random})
    if (name == to_string(m)) return m;
  throw ConfigError(fmt::format(
      "--split: '{}' is not one of auto, temporal, global-time, predefined, random", name));
}

namespace {
bool parse_int(const std::string& s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  out = std::stoi(s.substr(pos, len));
  return true;
}
}  // namespace

int64_t parse_cutoff(const std::string& text) {
  const auto bad = [&] {
    return ConfigError(fmt::format(
        "--cutoff: '{}' is not a date (YYYY-MM-DD), a UTC time (YYYY-MM-DDTHH:MM:SS[Z]) or "
        "microseconds since 1970",
        text));
  };
  if (text.empty()) throw bad();
  if (text.find('-', 1) == std::string::npos) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) throw bad();
    return v;
  }
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!parse_int(text, 0, 4, y) || text[4] != '-' || !parse_int(text, 5, 2, mo) ||
      text.size() < 10 || text[7] != '-' || !parse_int(text, 8, 2, d))
    throw bad();
  size_t end = 10;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != ' ') || !parse_int(text, 11, 2, h) || text.size() < 19 ||
        text[13] != ':' || !parse_int(text, 14, 2, mi) || text[16] != ':' ||
        !parse_int(text, 17, 2, s))
      throw bad();
    end = 19;
    if (text.size() > end && text[end] == 'Z') ++end;
  }
  if (end != text.size() || h > 23 || mi > 59 || s > 59) throw bad();
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(mo)},
                                        std::chrono::day{unsigned(d)}};
  if (!ymd.ok()) throw bad();
  const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  return ((static_cast<int64_t>(days) * 24 + h) * 60 + mi) * 60'000'000LL + s * 1'000'000LL;
}

void GraphBuildConfig::validate() const {
  const auto fraction = [](const char* name, double v) {
    if (!(v >= 0.0 && v < 1.0)) throw ConfigError(fmt::format("{}: {} is outside [0, 1)", name, v));
  };
  fraction("--val-fraction", val_fraction);
  fraction("--test-fraction", test_fraction);
  if (val_fraction + test_fraction >= 1.0)
    throw ConfigError(fmt::format("--val-fraction + --test-fraction = {} must be below 1",
                                  val_fraction + test_fraction));
  if (cold_start_fraction) fraction("--cold-start-fraction", *cold_start_fraction);
  fraction("--social-val-fraction", social_val_fraction);
  fraction("--social-test-fraction", social_test_fraction);
  if (social_val_fraction + social_test_fraction >= 1.0)
    throw ConfigError("--social-val-fraction + --social-test-fraction must be below 1");
  if (split == SplitMode::GlobalTime && !cutoff_us)
    throw ConfigError("--split global-time needs --cutoff");
  if (split != SplitMode::GlobalTime && cutoff_us)
    throw ConfigError(fmt::format("--cutoff applies only to --split global-time (got --split {})",
                                  to_string(split)));
}

}  // namespace recsys::graph
