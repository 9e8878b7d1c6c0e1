#include "recsys/recommend/recommend_json.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <vector>

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

}  // namespace recsys::recommend
