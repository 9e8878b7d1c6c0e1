#include "recsys/data/event_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "recsys/core/error.h"

namespace recsys::data {
namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("recsys_event_log_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(EventLog, AppendsAndReplays) {
  const auto dir = fresh_dir("replay");
  const auto file = dir / "events" / "events.jsonl";
  {
    EventLog log(file);
    EXPECT_TRUE(log.replayed().empty());
    log.append({{1, 2, EventType::kLike, 100, ""}, {1, 3, EventType::kAttend, 200, "request-9"}});
    log.append({{5, 2, EventType::kView, 300, ""}});
    EXPECT_EQ(log.appended(), 3);
  }
  EventLog again(file);
  ASSERT_EQ(again.replayed().size(), 3u);
  EXPECT_EQ(again.replayed()[1].place_id, 3);
  EXPECT_EQ(again.replayed()[1].type, EventType::kAttend);
  EXPECT_EQ(again.replayed()[2].timestamp_ms, 300);
  EXPECT_EQ(again.replayed()[0].key, "");  // a request's idempotency key, only when it had one
  EXPECT_EQ(again.replayed()[1].key, "request-9");
  std::filesystem::remove_all(dir);
}

TEST(EventLog, TornLastLineIsDroppedAndCutBeforeTheNextAppend) {
  const auto dir = fresh_dir("torn");
  const auto file = dir / "events.jsonl";
  { EventLog(file).append({{1, 2, EventType::kLike, 100, ""}}); }
  { std::ofstream(file, std::ios::app) << R"({"user_id": 7, "place_)"; }  // a crash mid-write
  {
    EventLog log(file);
    EXPECT_EQ(log.replayed().size(), 1u);
    log.append({{3, 4, EventType::kSave, 5, ""}});
  }
  const auto events = read_event_log(file);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].user_id, 3);
  std::filesystem::remove_all(dir);
}

TEST(EventLog, CorruptCompleteLineNamesFileAndLine) {
  const auto dir = fresh_dir("corrupt");
  std::filesystem::create_directories(dir);
  const auto file = dir / "events.jsonl";
  { std::ofstream(file) << R"({"user_id": 1, "place_id": 2, "type": "like", "timestamp": 1})" << "\nnot json\n"; }
  try {
    EventLog log(file);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("events.jsonl:2"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(EventLog, EventFromJsonNamesTheField) {
  using nlohmann::json;
  const Event e = event_from_json(json{{"user_id", 1}, {"place_id", 2}, {"type", "share"}}, "events[0]", 99);
  EXPECT_EQ(e.type, EventType::kShare);
  EXPECT_EQ(e.timestamp_ms, 99);
  try {
    event_from_json(json{{"user_id", "x"}, {"place_id", 2}, {"type", "share"}}, "events[3]", 0);
    FAIL();
  } catch (const InvalidArgument& err) {
    EXPECT_NE(std::string(err.what()).find("events[3]: 'user_id'"), std::string::npos) << err.what();
  }
  EXPECT_THROW(event_from_json(json{{"user_id", 1}, {"place_id", 2}, {"type", "buy"}}, "e", 0), InvalidArgument);
  EXPECT_THROW(event_from_json(json::array(), "e", 0), InvalidArgument);
}

}  // namespace
}  // namespace recsys::data
