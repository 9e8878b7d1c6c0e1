#include "recsys/serve/query_params.h"

#include <gtest/gtest.h>

#include "recsys/serve/http_error.h"

namespace recsys::serve {
namespace {

int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    return e.status();
  }
  return 0;
}

TEST(QueryParams, ParsesDecodesAndTypes) {
  const auto q = QueryParams::parse("k=20&city=3&name=caf%C3%A9+bar&exclude_seen=false&x=&&d=0.5");
  EXPECT_EQ(q.integer("k", 10, 1, 100), 20);
  EXPECT_EQ(q.integer("missing", 10, 1, 100), 10);
  EXPECT_EQ(*q.text("name"), "caf\xC3\xA9 bar");
  EXPECT_FALSE(q.boolean("exclude_seen", true));
  EXPECT_TRUE(q.boolean("absent", true));
  EXPECT_EQ(*q.text("x"), "");
  EXPECT_DOUBLE_EQ(*q.number("d", 0, 1), 0.5);
}

TEST(QueryParams, MalformedIs400AndOutOfRangeIs422) {
  const auto q = QueryParams::parse("k=abc&n=1000&b=maybe&f=nan");
  EXPECT_EQ(status_of([&] { q.integer("k", 10, 1, 100); }), 400);
  EXPECT_EQ(status_of([&] { q.integer("n", 10, 1, 100); }), 422);
  EXPECT_EQ(status_of([&] { q.boolean("b", true); }), 400);
  EXPECT_EQ(status_of([&] { q.number("f", 0, 1); }), 400);
  EXPECT_EQ(status_of([&] { QueryParams::parse("a=%G1"); }), 400);
  EXPECT_EQ(status_of([&] { QueryParams::parse("a=%4"); }), 400);
  EXPECT_EQ(status_of([&] { QueryParams::parse("a=1&a=2"); }), 400);
  EXPECT_EQ(status_of([&] { QueryParams::parse("=1"); }), 400);
  EXPECT_EQ(status_of([&] { QueryParams::parse("k=1&cty=2").allow_only({"k", "city"}); }), 400);
  try {
    q.integer("k", 10, 1, 100);
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find("'k'"), std::string::npos) << e.what();
  }
}

TEST(QueryParams, ParseNumbers) {
  EXPECT_EQ(parse_int64("42"), 42);
  EXPECT_EQ(parse_int64("-3"), -3);
  EXPECT_FALSE(parse_int64("4 2"));
  EXPECT_FALSE(parse_int64(""));
  EXPECT_FALSE(parse_int64("99999999999999999999"));
  EXPECT_FALSE(parse_double("inf"));
}

}  // namespace
}  // namespace recsys::serve
