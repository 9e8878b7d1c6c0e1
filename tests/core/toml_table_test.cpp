#include "recsys/core/toml_table.h"

#include <gtest/gtest.h>

#include <functional>

#include "recsys/core/error.h"

using recsys::TomlTable;

namespace {
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const recsys::ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(TomlTable, FlattensSectionsAndTracksUnknownKeys) {
  auto t = TomlTable::parse_string(
      "a = 1\n[s]\nx = 2.5\nname = \"q\"\nv = [1, 2.5]\nextra = true\n", "t.toml");
  EXPECT_EQ(*t.get_integer("a"), 1);
  EXPECT_DOUBLE_EQ(*t.get_number("s.x"), 2.5);
  EXPECT_EQ(*t.get_string("s.name"), "q");
  EXPECT_EQ(t.get_number_array("s.v")->size(), 2u);
  EXPECT_FALSE(t.get_integer("missing").has_value());
  const std::string msg = message_of([&] { t.reject_unknown_keys(); });
  EXPECT_NE(msg.find("s.extra"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.toml:6"), std::string::npos) << msg;
}

TEST(TomlTable, WrongTypeAndSyntaxErrorsNameKeyAndLine) {
  auto t = TomlTable::parse_string("[s]\nn = \"ten\"\n", "c.toml");
  const std::string msg = message_of([&] { (void)t.get_integer("s.n"); });
  EXPECT_NE(msg.find("'s.n'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("integer"), std::string::npos) << msg;
  const std::string syntax =
      message_of([] { (void)TomlTable::parse_string("a = = 1\n", "bad.toml"); });
  EXPECT_NE(syntax.find("bad.toml:1"), std::string::npos) << syntax;
}
