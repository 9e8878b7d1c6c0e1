#pragma once
// Query-string parameters ("k=20&city=3&exclude_seen=false") with typed getters whose errors are
// HttpErrors naming the parameter: 400 for a malformed value (not a number, bad percent-encoding,
// a repeated or unknown parameter), 422 for a well-formed value outside what the route accepts.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace recsys::serve {

// Decodes %XX escapes and '+' (as a space); HttpError 400 naming `what` on a bad escape.
std::string percent_decode(std::string_view text, std::string_view what);

class QueryParams {
 public:
  static QueryParams parse(std::string_view query);

  // 400 naming the first parameter that is not in `known`.
  void allow_only(std::initializer_list<std::string_view> known) const;

  bool has(std::string_view name) const;
  std::optional<std::string> text(std::string_view name) const;
  // Integer in [lo, hi]: 400 when not an integer, 422 when outside the range.
  std::optional<int64_t> integer(std::string_view name, int64_t lo, int64_t hi) const;
  int64_t integer(std::string_view name, int64_t fallback, int64_t lo, int64_t hi) const;
  std::optional<double> number(std::string_view name, double lo, double hi) const;
  // true / false / 1 / 0.
  bool boolean(std::string_view name, bool fallback) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// Parses a whole string as a decimal integer (no sign for ids, no spaces); nullopt otherwise.
std::optional<int64_t> parse_int64(std::string_view text);
std::optional<double> parse_double(std::string_view text);

}  // namespace recsys::serve
