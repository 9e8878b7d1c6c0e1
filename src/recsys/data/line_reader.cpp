#include "recsys/data/line_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <system_error>

#include "recsys/core/error.h"

namespace recsys::data {

namespace {

// Renders a token for an error message: at most 40 characters, control and non-ASCII bytes
// escaped (ids and numbers are ASCII; the message stays one printable line).
std::string quote(std::string_view token) {
  std::string out = "'";
  const size_t n = std::min<size_t>(token.size(), 40);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(token[i]);
    if (c < 0x20 || c >= 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  if (token.size() > n) out += "...";
  return out + "'";
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

LineReader::LineReader(const std::filesystem::path& path) : name_(path.string()) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw IoError(name_ + ": is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(name_ + ": cannot open file: " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw IoError(name_ + ": cannot read file size");
  in.seekg(0, std::ios::beg);
  text_.resize(static_cast<size_t>(size));
  if (size > 0 && !in.read(text_.data(), size)) throw IoError(name_ + ": read error");
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a UTF-8 byte order mark
}

bool LineReader::next(std::vector<std::string_view>& tokens) {
  const char* data = text_.data();
  const size_t n = text_.size();
  while (pos_ < n) {
    const void* nl = std::memchr(data + pos_, '\n', n - pos_);
    const size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : n;
    const size_t begin = pos_;
    pos_ = nl ? end + 1 : n;
    ++line_;
    tokens.clear();
    size_t i = begin;
    while (i < end) {
      while (i < end && is_space(data[i])) ++i;
      if (i == end) break;
      const size_t start = i;
      while (i < end && !is_space(data[i])) ++i;
      tokens.emplace_back(data + start, i - start);
    }
    if (!tokens.empty()) return true;
  }
  return false;
}

std::string LineReader::where() const {
  return fmt::format("{}:{}", name_, line_);
}

void LineReader::fail(const std::string& what) const {
  throw FormatError(fmt::format("{}:{}: {}", name_, line_, what));
}

int32_t LineReader::parse_id(std::string_view token, const char* what) const {
  const int64_t v = parse_count(token, what);
  if (v > std::numeric_limits<int32_t>::max())
    fail(fmt::format("{} {} is out of range (at most {})", what, quote(token),
                     std::numeric_limits<int32_t>::max()));
  return static_cast<int32_t>(v);
}

int64_t LineReader::parse_count(std::string_view token, const char* what) const {
  int64_t v = 0;
  if (!token.empty() && token.front() == '-') {
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
    if (ptr == token.data() + token.size() &&
        (ec == std::errc() || ec == std::errc::result_out_of_range))
      fail(fmt::format("{} {} is negative", what, quote(token)));
    fail(fmt::format("{} {} is not a non-negative integer", what, quote(token)));
  }
  const char* first = token.data();
  const char* last = first + token.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec == std::errc::result_out_of_range)
    fail(fmt::format("{} {} is out of range", what, quote(token)));
  if (ec != std::errc() || ptr != last || first == last)
    fail(fmt::format("{} {} is not a non-negative integer", what, quote(token)));
  return v;
}

double LineReader::parse_double(std::string_view token, const char* what) const {
  double v = 0;
  const char* first = token.data();
  const char* last = first + token.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || first == last || !std::isfinite(v))
    fail(fmt::format("{} {} is not a finite number", what, quote(token)));
  return v;
}

}  // namespace recsys::data
