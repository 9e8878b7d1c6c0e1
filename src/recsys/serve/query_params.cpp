#include "recsys/serve/query_params.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

#include "recsys/serve/http_error.h"

namespace recsys::serve {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

HttpError bad(std::string_view name, std::string_view value, std::string_view expected) {
  return HttpError(400, fmt::format("query parameter '{}': '{}' is not {}", name, value, expected));
}

}  // namespace

std::string percent_decode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      const int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw HttpError(400, fmt::format("{}: bad percent-encoding", what));
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

QueryParams QueryParams::parse(std::string_view query) {
  QueryParams p;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    std::string name = percent_decode(item.substr(0, eq), "query parameter name");
    if (name.empty()) throw HttpError(400, "query string: a parameter without a name");
    std::string value = eq == std::string_view::npos
                            ? std::string()
                            : percent_decode(item.substr(eq + 1), fmt::format("query parameter '{}'", name));
    if (p.has(name)) throw HttpError(400, fmt::format("query parameter '{}' given twice", name));
    p.values_.emplace_back(std::move(name), std::move(value));
  }
  return p;
}

void QueryParams::allow_only(std::initializer_list<std::string_view> known) const {
  for (const auto& [name, value] : values_) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == name;
    if (!ok) throw HttpError(400, fmt::format("unknown query parameter '{}'", name));
  }
}

bool QueryParams::has(std::string_view name) const { return text(name).has_value(); }

std::optional<std::string> QueryParams::text(std::string_view name) const {
  for (const auto& [n, v] : values_)
    if (n == name) return v;
  return std::nullopt;
}

std::optional<int64_t> parse_int64(std::string_view text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  if (text.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view text) {
  double v = 0;
  const char* end = text.data() + text.size();
  if (text.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> QueryParams::integer(std::string_view name, int64_t lo, int64_t hi) const {
  const auto t = text(name);
  if (!t) return std::nullopt;
  const auto v = parse_int64(*t);
  if (!v) throw bad(name, *t, "an integer");
  if (*v < lo || *v > hi)
    throw HttpError(422, fmt::format("query parameter '{}': {} is outside [{}, {}]", name, *v, lo, hi));
  return v;
}

int64_t QueryParams::integer(std::string_view name, int64_t fallback, int64_t lo, int64_t hi) const {
  return integer(name, lo, hi).value_or(fallback);
}

std::optional<double> QueryParams::number(std::string_view name, double lo, double hi) const {
  const auto t = text(name);
  if (!t) return std::nullopt;
  const auto v = parse_double(*t);
  if (!v) throw bad(name, *t, "a number");
  if (*v < lo || *v > hi)
    throw HttpError(422, fmt::format("query parameter '{}': {} is outside [{}, {}]", name, *v, lo, hi));
  return v;
}

bool QueryParams::boolean(std::string_view name, bool fallback) const {
  const auto t = text(name);
  if (!t) return fallback;
  if (*t == "true" || *t == "1") return true;
  if (*t == "false" || *t == "0") return false;
  throw bad(name, *t, "true, false, 1 or 0");
}

}  // namespace recsys::serve
