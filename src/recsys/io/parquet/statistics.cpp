#include "recsys/io/parquet/statistics.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace recsys::parquet {
namespace {

template <class T>
bool load(const std::string& bytes, T& out) {
  if (bytes.size() != sizeof(T)) return false;
  std::memcpy(&out, bytes.data(), sizeof(T));
  return true;
}

template <class T>
std::string shortest(T v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

std::string format_timestamp_micros(int64_t micros) {
  // Split into days and microseconds of the day, flooring towards -infinity.
  constexpr int64_t kDay = 86400LL * 1000000;
  int64_t days = micros / kDay;
  int64_t rem = micros % kDay;
  if (rem < 0) {
    rem += kDay;
    --days;
  }
  // Civil date from days since 1970-01-01 (proleptic Gregorian).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  int64_t secs = rem / 1000000;
  int64_t us = rem % 1000000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60), static_cast<long long>(us));
  return buf;
}

std::string render_statistic(ColumnType type, int64_t timestamp_scale, const std::string& bytes) {
  switch (type) {
    case ColumnType::Bool:
      if (bytes.size() == 1) return bytes[0] ? "true" : "false";
      break;
    case ColumnType::Int8:
    case ColumnType::Int16:
    case ColumnType::Int32:
    case ColumnType::ListInt32: {
      int32_t v;
      if (load(bytes, v)) return std::to_string(v);
      break;
    }
    case ColumnType::Int64: {
      int64_t v;
      if (load(bytes, v)) return std::to_string(v);
      break;
    }
    case ColumnType::TimestampMicros: {
      int64_t v;
      if (load(bytes, v)) {
        if (timestamp_scale != 1) {
          if (__builtin_mul_overflow(v, timestamp_scale, &v)) return "(out of range)";
        }
        return format_timestamp_micros(v);
      }
      break;
    }
    case ColumnType::Float:
    case ColumnType::ListFloat: {
      float v;
      if (load(bytes, v)) return shortest(v);
      break;
    }
    case ColumnType::Double: {
      double v;
      if (load(bytes, v)) return shortest(v);
      break;
    }
    case ColumnType::String: {
      std::string s("\"");
      s.append(bytes, 0, std::min<size_t>(bytes.size(), 40));
      if (bytes.size() > 40) s.append("...");
      s.push_back('"');
      return s;
    }
  }
  std::string text = std::to_string(bytes.size());
  text.insert(0, 1, '(');
  text.append(" bytes)");
  return text;
}

}  // namespace recsys::parquet
