#include "recsys/data/event_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "recsys/core/error.h"

namespace recsys::data {

namespace {

constexpr std::string_view kTypes[] = {"view", "like", "save", "share", "attend"};

int64_t integer_field(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw InvalidArgument(fmt::format("{}: missing '{}'", where, key));
  const auto& v = j[key];
  if (!v.is_number_integer()) throw InvalidArgument(fmt::format("{}: '{}' must be an integer", where, key));
  return v.get<int64_t>();
}

// Length of the prefix made of complete lines (through the last '\n').
size_t complete_prefix(const std::string& text) {
  const size_t last = text.rfind('\n');
  return last == std::string::npos ? 0 : last + 1;
}

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot open the events log", file.string()));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<Event> parse_log(const std::filesystem::path& file, const std::string& text) {
  std::vector<Event> events;
  size_t line_no = 0, pos = 0;
  const size_t end = complete_prefix(text);
  while (pos < end) {
    const size_t nl = text.find('\n', pos);
    const std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty()) continue;
    const std::string where = fmt::format("{}:{}", file.string(), line_no);
    try {
      events.push_back(event_from_json(nlohmann::json::parse(line), where, 0));
    } catch (const nlohmann::json::exception& e) {
      throw FormatError(fmt::format("{}: not a JSON event ({})", where, e.what()));
    } catch (const InvalidArgument& e) {
      throw FormatError(e.what());
    }
  }
  return events;
}

}  // namespace

std::string_view to_string(EventType type) { return kTypes[static_cast<int>(type)]; }

Event event_from_json(const nlohmann::json& j, const std::string& where, int64_t now_ms) {
  if (!j.is_object()) throw InvalidArgument(fmt::format("{}: an event must be an object", where));
  Event e;
  e.user_id = integer_field(j, "user_id", where);
  e.place_id = integer_field(j, "place_id", where);
  if (!j.contains("type") || !j["type"].is_string())
    throw InvalidArgument(fmt::format("{}: 'type' must be one of view, like, save, share, attend", where));
  const std::string type = j["type"].get<std::string>();
  bool known = false;
  for (size_t t = 0; t < std::size(kTypes); ++t)
    if (kTypes[t] == type) {
      e.type = static_cast<EventType>(t);
      known = true;
    }
  if (!known)
    throw InvalidArgument(fmt::format("{}: unknown event type '{}' (view, like, save, share, attend)", where, type));
  e.timestamp_ms = j.contains("timestamp") ? integer_field(j, "timestamp", where) : now_ms;
  if (j.contains("key")) {
    if (!j["key"].is_string()) throw InvalidArgument(fmt::format("{}: 'key' must be a string", where));
    e.key = j["key"].get<std::string>();
  }
  return e;
}

nlohmann::json event_to_json(const Event& e) {
  nlohmann::json j = {{"user_id", e.user_id}, {"place_id", e.place_id}, {"type", std::string(to_string(e.type))},
                      {"timestamp", e.timestamp_ms}};
  if (!e.key.empty()) j["key"] = e.key;
  return j;
}

std::vector<Event> read_event_log(const std::filesystem::path& file) { return parse_log(file, read_all(file)); }

EventLog::EventLog(std::filesystem::path file) : path_(std::move(file)) {
  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  const bool existed = std::filesystem::exists(path_, ec);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(fmt::format("{}: cannot open the events log: {}", path_.string(), std::strerror(errno)));
  if (!existed) {
    // A new file's directory entry must be durable too before any event is acknowledged.
    const std::filesystem::path dir = path_.has_parent_path() ? path_.parent_path() : ".";
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  const std::string text = read_all(path_);
  replayed_ = parse_log(path_, text);
  // An incomplete last line was never acknowledged: cut it off so the next append starts clean.
  const size_t keep = complete_prefix(text);
  if (keep != text.size() && ::ftruncate(fd_, static_cast<off_t>(keep)) != 0)
    throw IoError(fmt::format("{}: cannot truncate a torn last line: {}", path_.string(), std::strerror(errno)));
}

EventLog::~EventLog() {
  if (fd_ >= 0) ::close(fd_);
}

void EventLog::append(const std::vector<Event>& events) {
  std::string text;
  for (const Event& e : events) {
    text += event_to_json(e).dump();
    text.push_back('\n');
  }
  std::lock_guard lock(mutex_);
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  // On failure, cut what was written so that the log never holds a partial line in the middle.
  auto fail = [&](const char* what) {
    const int err = errno;
    if (before >= 0 && ::ftruncate(fd_, before) != 0) { /* the torn tail is cut on the next open */ }
    throw IoError(fmt::format("{}: cannot {} the events log: {}", path_.string(), what, std::strerror(err)));
  };
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("append to");
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) fail("sync");
  appended_ += static_cast<int64_t>(events.size());
}

int64_t EventLog::appended() const {
  std::lock_guard lock(mutex_);
  return appended_;
}

}  // namespace recsys::data
