#include "recsys/core/toml_table.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "recsys/core/error.h"

namespace recsys {

namespace {

std::string location_of(const std::string& source, const toml::source_region& region) {
  return source + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

std::string type_name_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    default:
      return "nothing";
  }
}

void flatten(const toml::table& table, const std::string& prefix, const std::string& source,
             std::map<std::string, TomlTable::Value>& out) {
  for (const auto& [k, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      flatten(*sub, key, source, out);
      continue;
    }
    TomlTable::Value v;
    v.location = location_of(source, node.source());
    v.type_name = type_name_of(node);
    using T = TomlTable::Value::Type;
    if (auto i = node.value_exact<int64_t>()) {
      v.type = T::Integer;
      v.integer = *i;
      v.number = static_cast<double>(*i);
    } else if (auto d = node.value_exact<double>()) {
      v.type = T::Float;
      v.number = *d;
    } else if (auto b = node.value_exact<bool>()) {
      v.type = T::Bool;
      v.boolean = *b;
    } else if (auto s = node.value_exact<std::string>()) {
      v.type = T::String;
      v.text = *s;
    } else if (const auto* arr = node.as_array()) {
      bool numeric = true;
      for (const auto& e : *arr) {
        if (auto x = e.value<double>()) {
          v.numbers.push_back(*x);
        } else {
          numeric = false;
          break;
        }
      }
      v.type = numeric ? T::NumberArray : T::Other;
      if (!numeric) v.type_name = "array of non-numbers";
    }
    out[key] = std::move(v);
  }
}

}  // namespace

TomlTable TomlTable::parse_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open the file for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError(path.string() + ": read error");
  return parse_string(text.str(), path.string());
}

TomlTable TomlTable::parse_string(const std::string& text, const std::string& source_name) {
  TomlTable result;
  result.source_ = source_name;
  try {
    const toml::table table = toml::parse(text, source_name);
    flatten(table, "", source_name, result.values_);
  } catch (const toml::parse_error& e) {
    throw ConfigError(location_of(source_name, e.source()) +
                      ": TOML syntax error: " + std::string(e.description()));
  }
  return result;
}

const TomlTable::Value* TomlTable::find(const std::string& key) {
  const auto it = values_.find(key);
  if (it == values_.end()) return nullptr;
  used_.insert(key);
  return &it->second;
}

void TomlTable::type_error(const std::string& key, const Value& v, const char* expected) const {
  throw ConfigError(v.location + ": key '" + key + "': expected " + expected + ", got " +
                    v.type_name);
}

std::optional<int64_t> TomlTable::get_integer(const std::string& key) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != Value::Type::Integer) type_error(key, *v, "an integer");
  return v->integer;
}

std::optional<double> TomlTable::get_number(const std::string& key) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != Value::Type::Integer && v->type != Value::Type::Float)
    type_error(key, *v, "a number");
  return v->number;
}

std::optional<bool> TomlTable::get_bool(const std::string& key) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != Value::Type::Bool) type_error(key, *v, "true or false");
  return v->boolean;
}

std::optional<std::string> TomlTable::get_string(const std::string& key) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != Value::Type::String) type_error(key, *v, "a string");
  return v->text;
}

std::optional<std::vector<double>> TomlTable::get_number_array(const std::string& key) {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != Value::Type::NumberArray) type_error(key, *v, "an array of numbers");
  return v->numbers;
}

void TomlTable::reject_unknown_keys() const {
  for (const auto& [key, value] : values_) {
    if (!used_.count(key)) throw ConfigError(value.location + ": unknown key '" + key + "'");
  }
}

bool TomlTable::contains_section(const std::string& section) const {
  const std::string prefix = section + ".";
  auto it = values_.lower_bound(prefix);
  return it != values_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace recsys
