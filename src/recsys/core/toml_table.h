#pragma once
// A TOML document flattened to dotted keys ("interactions.temperature"), with
// typed getters that record which keys were read, so a config loader can reject
// unknown keys afterwards. Every error names the source (file:line:column) and
// the key. toml++ stays inside the .cpp.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace recsys {

class TomlTable {
 public:
  struct Value {
    enum class Type { Integer, Float, Bool, String, NumberArray, Other };
    Type type = Type::Other;
    int64_t integer = 0;
    double number = 0.0;
    bool boolean = false;
    std::string text;
    std::vector<double> numbers;
    std::string location;   // "file:line:column"
    std::string type_name;  // TOML type name, for messages
  };

  // Throws IoError (unreadable file) or ConfigError (syntax error, with file:line:column).
  static TomlTable parse_file(const std::filesystem::path& path);
  static TomlTable parse_string(const std::string& text, const std::string& source_name);

  bool contains(const std::string& key) const { return values_.count(key) != 0; }
  // Whether any key lies in the section ("section.<key>...").
  bool contains_section(const std::string& section) const;
  // Each getter returns nothing when the key is absent and throws ConfigError
  // naming the key when its value has the wrong type.
  std::optional<int64_t> get_integer(const std::string& key);
  std::optional<double> get_number(const std::string& key);  // integers accepted
  std::optional<bool> get_bool(const std::string& key);
  std::optional<std::string> get_string(const std::string& key);
  std::optional<std::vector<double>> get_number_array(const std::string& key);

  // Throws ConfigError naming the first key that no getter asked for.
  void reject_unknown_keys() const;
  const std::string& source() const { return source_; }

 private:
  const Value* find(const std::string& key);
  [[noreturn]] void type_error(const std::string& key, const Value& v, const char* expected) const;

  std::string source_;
  std::map<std::string, Value> values_;
  std::set<std::string> used_;
};

}  // namespace recsys
