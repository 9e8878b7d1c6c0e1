#include "recsys/recommend/recommend_json.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <string_view>
#include <vector>

#include "recsys/core/error.h"

namespace recsys::recommend {
namespace {

double rounded(double x) {
  if (x == 0 || !std::isfinite(x)) return x;
  const double scale = std::pow(10.0, 5 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
  return std::round(x * scale) / scale;
}

template <typename T>
std::string list(const std::vector<T>& v) {
  return fmt::format("{}", fmt::join(v, ", "));
}

nlohmann::ordered_json place_items(const std::vector<PlaceItem>& items) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& it : items)
    out.push_back({{"place_id", it.place_id},
                   {"score", rounded(it.score)},
                   {"explanation", explanation_text(it.explanation)}});
  return out;
}

nlohmann::ordered_json int_or_null(int64_t v) {
  return v >= 0 ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json ids(std::span<const int32_t> v) {
  return nlohmann::ordered_json(std::vector<int32_t>(v.begin(), v.end()));
}

// Latest interaction time of the user with each place of a split (INT64_MIN when unknown).
void add_last_times(const graph::GraphArtifact& g, const std::string& split, int32_t user,
                    std::map<int32_t, int64_t>& last) {
  if (split != "train" && !g.has_relation("user_place." + split)) return;
  const graph::InteractionsView v = g.interactions(split);
  if (user >= v.csr.n_rows()) return;
  const auto places = v.csr.row(user);
  const auto begin = static_cast<size_t>(v.csr.offsets[static_cast<size_t>(user)]);
  for (size_t i = 0; i < places.size(); ++i) {
    const int64_t t = v.last_timestamp.empty() ? std::numeric_limits<int64_t>::min() : v.last_timestamp[begin + i];
    auto [it, inserted] = last.emplace(places[i], t);
    if (!inserted) it->second = std::max(it->second, t);
  }
}

}  // namespace

namespace {

// The sentence explaining a place, appended to `b`; what explanation_text returns.
void append_explanation(fmt::memory_buffer& b, const PlaceExplanation& e) {
  const size_t start = b.size();
  auto out = std::back_inserter(b);
  auto part = [&] {
    if (b.size() > start) fmt::format_to(out, FMT_COMPILE("; "));
  };
  if (e.visitors >= 0) fmt::format_to(out, FMT_COMPILE("popular: {} visitors"), e.visitors);
  if (!e.categories.empty() || !e.tags.empty()) {
    part();
    fmt::format_to(out, FMT_COMPILE("{}"), e.similar_to >= 0 ? "shares " : "matches your ");
    if (!e.categories.empty())
      fmt::format_to(out, FMT_COMPILE("categor{} {}"), e.categories.size() == 1 ? "y" : "ies",
                     fmt::join(e.categories, ", "));
    if (!e.tags.empty())
      fmt::format_to(out, FMT_COMPILE("{}tag{} {}"), e.categories.empty() ? "" : " and ",
                     e.tags.size() == 1 ? "" : "s", fmt::join(e.tags, ", "));
    if (e.similar_to >= 0) fmt::format_to(out, FMT_COMPILE(" with place {}"), e.similar_to);
  }
  if (e.same_neighborhood) part(), fmt::format_to(out, FMT_COMPILE("same neighborhood"));
  if (e.friend_count > 0) {
    part();
    fmt::format_to(out, FMT_COMPILE("{} friend{} went there ({}{})"), e.friend_count,
                   e.friend_count == 1 ? "" : "s", fmt::join(e.friends, ", "),
                   e.friend_count > static_cast<int64_t>(e.friends.size()) ? ", ..." : "");
  }
  if (b.size() > start) return;
  if (e.similar_to >= 0)
    fmt::format_to(out, FMT_COMPILE("close to place {} in the model's embedding space"), e.similar_to);
  else
    fmt::format_to(out, FMT_COMPILE("close to your taste in the model's embedding space"));
}

// `s` as a JSON string literal, escaped as nlohmann::json escapes (other bytes are copied).
void append_json_string(fmt::memory_buffer& b, std::string_view s) {
  b.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      b.push_back('\\');
      b.push_back(ch);
    } else if (c < 0x20) {
      constexpr std::string_view kShort = "\b\f\n\r\t", kLetter = "bfnrt";
      const auto k = kShort.find(ch);
      if (k != std::string_view::npos)
        b.push_back('\\'), b.push_back(kLetter[k]);
      else
        fmt::format_to(std::back_inserter(b), "\\u{:04x}", c);
    } else {
      b.push_back(ch);
    }
  }
  b.push_back('"');
}

}  // namespace

std::string explanation_text(const PlaceExplanation& e) {
  fmt::memory_buffer b;
  append_explanation(b, e);
  return fmt::to_string(b);
}

std::string place_list_text(const PlaceList& l) {
  fmt::memory_buffer b;
  auto out = std::back_inserter(b);
  if (l.user_id) {
    fmt::format_to(out, FMT_COMPILE("{{\"user_id\":{},\"places\":["), *l.user_id);
  } else {
    fmt::format_to(out, FMT_COMPILE("{{\"user_id\":null,\"source\":"));
    append_json_string(b, l.source);
    fmt::format_to(out, FMT_COMPILE(",\"places\":["));
  }
  fmt::memory_buffer sentence;
  for (size_t i = 0; i < l.places.size(); ++i) {
    const PlaceItem& it = l.places[i];
    fmt::format_to(out, FMT_COMPILE("{}{{\"place_id\":{},\"score\":"), i ? "," : "", it.place_id);
    if (std::isfinite(it.score)) {
      // Shortest round-trip digits, with ".0" on integral values, as nlohmann::json prints.
      const size_t number = b.size();
      fmt::format_to(out, FMT_COMPILE("{}"), rounded(it.score));
      const std::string_view digits(b.data() + number, b.size() - number);
      if (digits.find_first_of(".e") == std::string_view::npos) fmt::format_to(out, FMT_COMPILE(".0"));
    } else {
      fmt::format_to(out, FMT_COMPILE("null"));  // as nlohmann::json prints a non-finite number
    }
    fmt::format_to(out, FMT_COMPILE(",\"explanation\":"));
    sentence.clear();
    append_explanation(sentence, it.explanation);
    append_json_string(b, std::string_view(sentence.data(), sentence.size()));
    b.push_back('}');
  }
  fmt::format_to(out, FMT_COMPILE("]}}"));
  return fmt::to_string(b);
}

std::string explanation_text(const FriendExplanation& e) {
  std::vector<std::string> parts;
  if (e.mutual_friend_count > 0)
    parts.push_back(fmt::format(
        "{} mutual friend{} ({}{})", e.mutual_friend_count, e.mutual_friend_count == 1 ? "" : "s",
        list(e.mutual_friends),
        e.mutual_friend_count > static_cast<int64_t>(e.mutual_friends.size()) ? ", ..." : ""));
  if (e.co_attended_places > 0)
    parts.push_back(fmt::format("{} place{} you both went to", e.co_attended_places,
                                e.co_attended_places == 1 ? "" : "s"));
  if (e.same_city) parts.push_back("same city");
  if (parts.empty()) return "similar taste";
  return fmt::format("{}", fmt::join(parts, "; "));
}

nlohmann::ordered_json to_json(const PlaceList& l) {
  nlohmann::ordered_json j;
  j["user_id"] = l.user_id ? nlohmann::ordered_json(*l.user_id) : nlohmann::ordered_json(nullptr);
  if (!l.user_id) j["source"] = l.source;
  j["places"] = place_items(l.places);
  return j;
}

nlohmann::ordered_json to_json(const FriendList& l) {
  auto friends = nlohmann::ordered_json::array();
  for (const auto& f : l.friends)
    friends.push_back({{"user_id", f.user_id},
                       {"score", rounded(f.score)},
                       {"explanation", explanation_text(f.explanation)},
                       {"mutual_friends", f.explanation.mutual_friend_count},
                       {"co_attended_places", f.explanation.co_attended_places},
                       {"same_city", f.explanation.same_city}});
  return {{"user_id", l.user_id}, {"friends", friends}};
}

nlohmann::ordered_json to_json(const SimilarPlaces& l) {
  return {{"place_id", l.place_id}, {"places", place_items(l.places)}};
}

nlohmann::ordered_json to_json(const AttendanceAnswer& a) {
  nlohmann::ordered_json j{{"user_id", a.user_id},
                           {"friend_id", a.friend_id},
                           {"probability", rounded(a.probability)},
                           {"friends", a.friends}};
  if (a.place)
    j["place"] = {{"place_id", a.place->place_id},
                  {"user_score", rounded(a.place->user_score)},
                  {"friend_score", rounded(a.place->friend_score)},
                  {"user_percentile", rounded(a.place->user_percentile)},
                  {"friend_percentile", rounded(a.place->friend_percentile)}};
  return j;
}

nlohmann::ordered_json user_profile_json(const Recommender& rec, int64_t user_id,
                                         std::span<const int64_t> live_places, int max_interests,
                                         int max_recent) {
  const PlaceCatalogue& cat = rec.catalogue();
  const int32_t user = cat.users().find(user_id);
  if (user < 0 && live_places.empty()) throw NotFound(fmt::format("user {} does not exist", user_id));

  // Seen places, newest first: live events (newest last in `live_places`), then the graph's
  // history by latest interaction time (unknown times last).
  struct Seen {
    int32_t row;
    bool live;
    int64_t time;
  };
  constexpr int64_t kUnknown = std::numeric_limits<int64_t>::min();
  std::vector<Seen> seen;
  std::map<int32_t, int64_t> last;  // place row -> latest time, history only
  for (auto it = live_places.rbegin(); it != live_places.rend(); ++it) {
    const int32_t row = cat.places().find(*it);
    if (row >= 0) {
      seen.push_back({row, true, kUnknown});
      last.emplace(row, kUnknown);  // listed once
    }
  }
  const size_t n_live = seen.size();
  if (user >= 0) {
    std::map<int32_t, int64_t> times;
    add_last_times(*rec.artifacts().graph, "train", user, times);
    if (rec.history().seen_splits() == SeenSplits::kTrainValid)
      add_last_times(*rec.artifacts().graph, "valid", user, times);
    for (int32_t row : rec.history().seen_places(user)) {
      if (last.count(row)) continue;
      const auto t = times.find(row);
      seen.push_back({row, false, t == times.end() ? kUnknown : t->second});
    }
    std::stable_sort(seen.begin() + static_cast<std::ptrdiff_t>(n_live), seen.end(),
                     [](const Seen& a, const Seen& b) { return a.time > b.time; });
  }

  std::map<int32_t, int64_t> counts;
  for (const Seen& s : seen)
    for (int32_t c : cat.categories(s.row)) ++counts[c];
  std::vector<std::pair<int32_t, int64_t>> by_count(counts.begin(), counts.end());
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  auto interests = nlohmann::ordered_json::array();
  for (size_t i = 0; i < by_count.size() && static_cast<int64_t>(i) < max_interests; ++i)
    interests.push_back({{"category", by_count[i].first}, {"count", by_count[i].second}});

  auto recent = nlohmann::ordered_json::array();
  for (size_t i = 0; i < seen.size() && static_cast<int64_t>(i) < max_recent; ++i) {
    const Seen& s = seen[i];
    recent.push_back({{"place_id", cat.places().raw(s.row)},
                      {"city", int_or_null(cat.city(s.row))},
                      {"categories", ids(cat.categories(s.row))},
                      {"live", s.live},
                      {"last_timestamp", s.time == kUnknown ? nlohmann::ordered_json(nullptr)
                                                            : nlohmann::ordered_json(s.time)}});
  }
  return {{"user_id", user_id},
          {"known", user >= 0},
          {"home_city", user >= 0 ? int_or_null(cat.home_city(user)) : nlohmann::ordered_json(nullptr)},
          {"friends", user >= 0 ? rec.history().friends(user).size() : 0},
          {"seen_places", seen.size()},
          {"interests", interests},
          {"recent_places", recent}};
}

nlohmann::ordered_json place_json(const Recommender& rec, int64_t place_id) {
  const PlaceCatalogue& cat = rec.catalogue();
  const int32_t row = cat.places().row(place_id);
  return {{"place_id", place_id},
          {"city", int_or_null(cat.city(row))},
          {"neighborhood", int_or_null(cat.neighborhood(row))},
          {"price_band", int_or_null(cat.price_band(row))},
          {"time_slot", int_or_null(cat.time_slot(row))},
          {"categories", ids(cat.categories(row))},
          {"tags", ids(cat.tags(row))},
          {"lat", number_or_null(cat.lat(row))},
          {"lon", number_or_null(cat.lon(row))},
          {"visitors", rec.history().place_visitors(row).size()}};
}

}  // namespace recsys::recommend
