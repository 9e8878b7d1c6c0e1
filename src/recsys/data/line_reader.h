#pragma once
// Fast reader for whitespace-separated text data files (the LightGCN and LBSN
// formats): the whole file is read into memory at once, lines are split on
// '\n' with an optional '\r' stripped (CRLF files), blank lines are skipped and
// tokens are separated by runs of spaces or tabs. A leading UTF-8 byte order
// mark is skipped. Every parse error throws
// FormatError with a "file:line: what is wrong" message.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace recsys::data {

class LineReader {
 public:
  // Reads the whole file; throws IoError naming the path when it cannot.
  explicit LineReader(const std::filesystem::path& path);

  // Advances to the next non-blank line and splits it into tokens; false at the end.
  bool next(std::vector<std::string_view>& tokens);

  // The path as given (used in messages), the current 1-based line number and "path:line".
  const std::string& name() const { return name_; }
  int64_t line_number() const { return line_; }
  std::string where() const;
  int64_t size_bytes() const { return static_cast<int64_t>(text_.size()); }

  // Throws FormatError("path:line: <what>").
  [[noreturn]] void fail(const std::string& what) const;

  // Parses a token of the current line; `what` names the field in the message
  // ("user id", "latitude", ...). Ids are non-negative and fit an int32.
  int32_t parse_id(std::string_view token, const char* what) const;
  int64_t parse_count(std::string_view token, const char* what) const;  // non-negative int64
  double parse_double(std::string_view token, const char* what) const;  // finite

 private:
  std::string name_;
  std::string text_;
  size_t pos_ = 0;
  int64_t line_ = 0;
};

}  // namespace recsys::data
