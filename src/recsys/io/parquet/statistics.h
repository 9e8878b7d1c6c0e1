#pragma once
// Column chunk statistics: min/max in the type's order (signed integers, IEEE
// floats without NaN, strings as unsigned bytes) and the null count, encoded
// as Parquet min_value/max_value (PLAIN bytes of one value).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "recsys/io/parquet/table.h"

namespace recsys::parquet {

template <class T>
struct MinMax {
  bool any = false;
  T min{};
  T max{};

  void update(const T* v, size_t n) {
    size_t i = 0;
    if constexpr (std::is_floating_point_v<T>) {
      if (!any) {
        while (i < n && std::isnan(v[i])) ++i;
        if (i == n) return;
        min = max = v[i];
        any = true;
      }
      T lo = min, hi = max;
      for (; i < n; ++i) {
        T x = v[i];
        lo = x < lo ? x : lo;  // NaN compares false: skipped
        hi = x > hi ? x : hi;
      }
      min = lo;
      max = hi;
    } else {
      if (n == 0) return;
      if (!any) {
        min = max = v[0];
        any = true;
      }
      T lo = min, hi = max;
      for (; i < n; ++i) {
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
      }
      min = lo;
      max = hi;
    }
  }

  void update_one(const T& x) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(x)) return;
    }
    if (!any) {
      min = max = x;
      any = true;
    } else {
      if (x < min) min = x;
      if (max < x) max = x;
    }
  }
};

// PLAIN bytes of a statistics value. Floats follow the spec's zero rule
// (a min of +0 is written as -0, a max of -0 as +0).
template <class T>
std::string stat_bytes(T v, bool is_max) {
  if constexpr (std::is_floating_point_v<T>) {
    if (v == T(0)) v = is_max ? T(0) : -T(0);
  }
  std::string s(sizeof(T), '\0');
  std::memcpy(s.data(), &v, sizeof(T));
  return s;
}

// Renders a min/max statistic (PLAIN bytes) of a column of this type as text.
std::string render_statistic(ColumnType type, int64_t timestamp_scale, const std::string& bytes);

// ISO-8601 text of microseconds since the epoch: 2024-01-02T03:04:05.000006Z.
std::string format_timestamp_micros(int64_t micros);

}  // namespace recsys::parquet
