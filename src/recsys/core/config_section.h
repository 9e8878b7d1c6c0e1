#pragma once
// Reads one TOML section's keys into typed fields with range checks, for the config readers of
// registered models: `section.read("dim", c.dim, 1, 4096)` overrides c.dim when
// "<section>.dim" is present and throws ConfigError
// "config key <section>.dim = <value> is out of range [lo, hi]" when it is out of range.
#include <string>

#include "recsys/core/toml_table.h"

namespace recsys {

class ConfigSection {
 public:
  ConfigSection(TomlTable& table, std::string name) : table_(table), name_(std::move(name)) {}

  void read(const char* key, int& field, int lo, int hi);
  void read(const char* key, double& field, double lo, double hi);
  std::string key(const char* key) const { return name_ + "." + key; }
  TomlTable& table() { return table_; }

 private:
  TomlTable& table_;
  std::string name_;
};

}  // namespace recsys
