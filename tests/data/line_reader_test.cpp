// LineReader: tokenisation (spaces, tabs, CRLF, blank lines) and file:line errors.
#include "recsys/data/line_reader.h"

#include <gtest/gtest.h>

#include "import_test_files.h"
#include "recsys/core/error.h"

namespace recsys::data {
namespace {

using testing::scratch;
using testing::write_file;

std::vector<std::vector<std::string>> all_lines(LineReader& r,
                                                std::vector<int64_t>* numbers = nullptr) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string_view> tokens;
  while (r.next(tokens)) {
    out.emplace_back(tokens.begin(), tokens.end());
    if (numbers) numbers->push_back(r.line_number());
  }
  return out;
}

TEST(LineReader, SplitsOnSpacesAndTabsSkipsBlankLinesAndStripsCarriageReturns) {
  const auto p = write_file(scratch() / "lr1.txt", "1 2\t3  \r\n\r\n   \n\t4\n5 6");
  LineReader r(p);
  std::vector<int64_t> numbers;
  const auto lines = all_lines(r, &numbers);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(lines[1], (std::vector<std::string>{"4"}));
  EXPECT_EQ(lines[2], (std::vector<std::string>{"5", "6"}));  // no final newline
  EXPECT_EQ(numbers, (std::vector<int64_t>{1, 4, 5}));
}

TEST(LineReader, SkipsAUtf8ByteOrderMark) {
  const auto p = write_file(scratch() / "lr_bom.txt",
                            "\xEF\xBB\xBF"
                            "7 8\n");
  LineReader r(p);
  const auto lines = all_lines(r);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], (std::vector<std::string>{"7", "8"}));
}

TEST(LineReader, EmptyFileHasNoLines) {
  const auto p = write_file(scratch() / "lr_empty.txt", "");
  LineReader r(p);
  EXPECT_TRUE(all_lines(r).empty());
}

TEST(LineReader, ParsesIdsAndNumbers) {
  const auto p = write_file(scratch() / "lr2.txt", "x\n");
  LineReader r(p);
  std::vector<std::string_view> tokens;
  ASSERT_TRUE(r.next(tokens));
  EXPECT_EQ(r.parse_id("0", "id"), 0);
  EXPECT_EQ(r.parse_id("2147483647", "id"), 2147483647);
  EXPECT_EQ(r.parse_count("9000000000", "count"), 9000000000LL);
  EXPECT_DOUBLE_EQ(r.parse_double("-97.7951395833", "lon"), -97.7951395833);
  EXPECT_DOUBLE_EQ(r.parse_double("1185638400.0", "t"), 1185638400.0);
  EXPECT_DOUBLE_EQ(r.parse_double("1e3", "t"), 1000.0);
}

TEST(LineReader, BadTokensNameFileLineAndToken) {
  const auto p = write_file(scratch() / "lr3.txt", "\n\nfoo\n");
  LineReader r(p);
  std::vector<std::string_view> tokens;
  ASSERT_TRUE(r.next(tokens));
  const std::string where = p.string() + ":3: ";
  const auto message = [&](auto&& fn) {
    try {
      fn();
    } catch (const FormatError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { r.parse_id("abc", "user id"); }),
            where + "user id 'abc' is not a non-negative integer");
  EXPECT_EQ(message([&] { r.parse_id("-3", "item id"); }), where + "item id '-3' is negative");
  EXPECT_EQ(message([&] { r.parse_id("2147483648", "item id"); }),
            where + "item id '2147483648' is out of range (at most 2147483647)");
  EXPECT_EQ(message([&] { r.parse_id("12x", "user id"); }),
            where + "user id '12x' is not a non-negative integer");
  EXPECT_EQ(message([&] { r.parse_id("1.5", "user id"); }),
            where + "user id '1.5' is not a non-negative integer");
  EXPECT_EQ(message([&] { r.parse_count("99999999999999999999", "count"); }),
            where + "count '99999999999999999999' is out of range");
  EXPECT_EQ(message([&] { r.parse_double("nan", "latitude"); }),
            where + "latitude 'nan' is not a finite number");
  EXPECT_EQ(message([&] { r.parse_double("inf", "latitude"); }),
            where + "latitude 'inf' is not a finite number");
  EXPECT_EQ(message([&] { r.parse_double("4O.1", "latitude"); }),
            where + "latitude '4O.1' is not a finite number");
  EXPECT_EQ(message([&] { r.parse_id("-", "user id"); }),
            where + "user id '-' is not a non-negative integer");
  EXPECT_EQ(message([&] { r.parse_id("-99999999999999999999", "user id"); }),
            where + "user id '-99999999999999999999' is negative");
  EXPECT_EQ(message([&] {
              r.parse_count(
                  "\xff"
                  "1",
                  "count");
            }),
            where + "count '\\xff1' is not a non-negative integer");
  EXPECT_EQ(message([&] { r.parse_id(std::string_view("a\x01", 2), "user id"); }),
            where + "user id 'a\\x01' is not a non-negative integer");
}

TEST(LineReader, MissingFileIsAnIoErrorNamingThePath) {
  try {
    LineReader r(scratch() / "does_not_exist.txt");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("does_not_exist.txt"), std::string::npos) << e.what();
  }
  EXPECT_THROW(LineReader r(scratch()), IoError);  // a folder
}

}  // namespace
}  // namespace recsys::data
