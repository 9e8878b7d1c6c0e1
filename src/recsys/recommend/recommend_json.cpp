#include "recsys/recommend/recommend_json.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
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

std::string explanation_text(const PlaceExplanation& e) {
  std::vector<std::string> parts;
  if (e.visitors >= 0) parts.push_back(fmt::format("popular: {} visitors", e.visitors));
  std::string match;
  if (!e.categories.empty())
    match = fmt::format("categor{} {}", e.categories.size() == 1 ? "y" : "ies", list(e.categories));
  if (!e.tags.empty())
    match += fmt::format("{}tag{} {}", match.empty() ? "" : " and ", e.tags.size() == 1 ? "" : "s",
                         list(e.tags));
  if (!match.empty())
    parts.push_back(e.similar_to >= 0 ? fmt::format("shares {} with place {}", match, e.similar_to)
                                      : fmt::format("matches your {}", match));
  if (e.same_neighborhood) parts.push_back("same neighborhood");
  if (e.friend_count > 0)
    parts.push_back(fmt::format(
        "{} friend{} went there ({}{})", e.friend_count, e.friend_count == 1 ? "" : "s",
        list(e.friends), e.friend_count > static_cast<int64_t>(e.friends.size()) ? ", ..." : ""));
  if (parts.empty())
    return e.similar_to >= 0
               ? fmt::format("close to place {} in the model's embedding space", e.similar_to)
               : "close to your taste in the model's embedding space";
  return fmt::format("{}", fmt::join(parts, "; "));
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
