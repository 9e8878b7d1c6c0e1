#pragma once
// The durable log of interactions that clients report (POST /v1/events): one JSON object per
// line, appended and fdatasync'ed before the request is acknowledged, so an acknowledged event
// survives a crash or a restart. On open the log is replayed (the server re-applies the events to
// exclude_seen and cold-start profiles). A crash can only leave an unacknowledged, incomplete last
// line: it is ignored on replay and cut off before the next append.
//   {"user_id": 17, "place_id": 42, "type": "like", "timestamp": 1764115200000}
// (timestamp: Unix milliseconds, set by the server when the client gives none; "key": the
// Idempotency-Key of the request that reported it, only when it had one). `recsys
// build-graph` can read the same file (docs/data-contract.md, "Events log").
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace recsys::data {

enum class EventType { kView, kLike, kSave, kShare, kAttend };

std::string_view to_string(EventType type);

struct Event {
  int64_t user_id = 0;
  int64_t place_id = 0;
  EventType type = EventType::kView;
  int64_t timestamp_ms = 0;
  std::string key;  // the reporting request's idempotency key ("" when none)
};

// An event from a JSON object (a request body item, a log line); InvalidArgument naming `where`
// and the field when malformed (serving answers it with 400).
Event event_from_json(const nlohmann::json& j, const std::string& where, int64_t now_ms);
nlohmann::json event_to_json(const Event& e);

class EventLog {
 public:
  // Opens (creating it and its folder if needed) and replays the log. FormatError naming
  // file:line for a complete line that is not an event; IoError when it cannot be opened.
  explicit EventLog(std::filesystem::path file);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The events found on open, in log order.
  const std::vector<Event>& replayed() const { return replayed_; }
  // Appends the events as one write and syncs the file; returns when they are durable.
  // Thread-safe. IoError when the write or the sync fails (nothing is acknowledged then).
  void append(const std::vector<Event>& events);
  int64_t appended() const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<Event> replayed_;
  mutable std::mutex mutex_;
  int64_t appended_ = 0;
};

// Reads a log file (the replay of EventLog, for build-graph and tests).
std::vector<Event> read_event_log(const std::filesystem::path& file);

}  // namespace recsys::data
