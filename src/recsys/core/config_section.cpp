#include "recsys/core/config_section.h"

#include <fmt/format.h>

#include <cstdint>

#include "recsys/core/error.h"

namespace recsys {
namespace {

template <typename T>
void check_range(const std::string& key, T value, T lo, T hi) {
  if (value < lo || value > hi)
    throw ConfigError(
        fmt::format("config key {} = {} is out of range [{}, {}]", key, value, lo, hi));
}

}  // namespace

void ConfigSection::read(const char* name, int& field, int lo, int hi) {
  if (auto v = table_.get_integer(key(name))) {
    check_range<int64_t>(key(name), *v, lo, hi);
    field = static_cast<int>(*v);
  }
}

void ConfigSection::read(const char* name, double& field, double lo, double hi) {
  if (auto v = table_.get_number(key(name))) {
    check_range<double>(key(name), *v, lo, hi);
    field = *v;
  }
}

}  // namespace recsys
