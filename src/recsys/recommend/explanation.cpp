#include "recsys/recommend/explanation.h"

#include <algorithm>

namespace recsys::recommend {
namespace {

// Elements of both ascending lists: the total count and the first `keep` of them. A short list
// against a long one (a light user's places against a heavy user's) binary-searches.
template <typename F>
int64_t intersect(std::span<const int32_t> a, std::span<const int32_t> b, size_t keep, F&& take) {
  int64_t n = 0;
  if (a.size() * 4 < b.size() || b.size() * 4 < a.size()) {
    const auto small = a.size() < b.size() ? a : b, large = a.size() < b.size() ? b : a;
    for (int32_t x : small)
      if (std::binary_search(large.begin(), large.end(), x)) {
        if (static_cast<size_t>(n) < keep) take(x);
        ++n;
      }
    return n;
  }
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      if (static_cast<size_t>(n) < keep) take(a[i]);
      ++n, ++i, ++j;
    }
  }
  return n;
}

// Ids with a positive weight, largest weight first (ties: lower id), at most `keep`.
std::vector<int32_t> ranked(std::span<const int32_t> ids, const std::vector<int32_t>& weight,
                            size_t keep) {
  std::vector<int32_t> out;
  out.reserve(ids.size());
  for (int32_t id : ids)
    if (id >= 0 && static_cast<size_t>(id) < weight.size() && weight[static_cast<size_t>(id)] > 0)
      out.push_back(id);
  std::sort(out.begin(), out.end(), [&](int32_t x, int32_t y) {
    const auto wx = weight[static_cast<size_t>(x)], wy = weight[static_cast<size_t>(y)];
    return wx != wy ? wx > wy : x < y;
  });
  if (out.size() > keep) out.resize(keep);
  return out;
}

}  // namespace

Taste Taste::of(const PlaceCatalogue& c, std::span<const int32_t> places,
                std::span<const int32_t> interests) {
  Taste t;
  t.category_count.assign(static_cast<size_t>(c.n_categories()), 0);
  t.tag_count.assign(static_cast<size_t>(c.n_tags()), 0);
  t.interest.assign(static_cast<size_t>(c.n_categories()), 0);
  for (int32_t p : places) {
    for (int32_t k : c.categories(p))
      if (k >= 0 && k < c.n_categories()) ++t.category_count[static_cast<size_t>(k)];
    for (int32_t k : c.tags(p))
      if (k >= 0 && k < c.n_tags()) ++t.tag_count[static_cast<size_t>(k)];
  }
  for (int32_t k : interests)
    if (k >= 0 && k < c.n_categories()) t.interest[static_cast<size_t>(k)] = 1;
  // Interests count like more visits than any history, so they come first.
  t.category_weight = t.category_count;
  for (size_t k = 0; k < t.category_weight.size(); ++k)
    if (t.interest[k]) t.category_weight[k] += 1 << 20;
  return t;
}

FriendSet::FriendSet(std::span<const int32_t> friends, int64_t n_users) {
  if (friends.empty()) return;
  bits_.assign(static_cast<size_t>((n_users + 63) / 64), 0);
  for (int32_t u : friends)
    if (u >= 0 && u < n_users) bits_[static_cast<size_t>(u) / 64] |= uint64_t{1} << (u % 64);
}

PlaceExplanation explain_place(const PlaceCatalogue& c, const InteractionHistory& h,
                               const Taste& taste, const FriendSet& friends, int32_t place) {
  PlaceExplanation e;
  e.categories = ranked(c.categories(place), taste.category_weight, kExplanationItems);
  e.tags = ranked(c.tags(place), taste.tag_count, kExplanationItems);
  if (friends.empty()) return e;
  // Visitors are ascending rows, so the listed friends are the lowest rows. The bitmap is read
  // through a local span: pushing to e.friends could otherwise alias it for the compiler.
  const std::span<const uint64_t> bits = friends.bits();
  for (int32_t u : h.place_visitors(place)) {
    const auto row = static_cast<uint32_t>(u);
    if (row / 64 >= bits.size() || !(bits[row / 64] >> (row % 64) & 1)) continue;
    if (e.friends.size() < kExplanationItems) e.friends.push_back(c.users().raw(u));
    ++e.friend_count;
  }
  return e;
}

FriendExplanation explain_friend(const PlaceCatalogue& c, const InteractionHistory& h, int32_t user,
                                 int32_t candidate) {
  FriendExplanation e;
  e.mutual_friend_count =
      intersect(h.friends(user), h.friends(candidate), kExplanationItems,
                [&](int32_t u) { e.mutual_friends.push_back(c.users().raw(u)); });
  e.co_attended_places =
      intersect(h.seen_places(user), h.seen_places(candidate), 0, [](int32_t) {});
  const int32_t a = c.home_city(user), b = c.home_city(candidate);
  e.same_city = a >= 0 && a == b;
  return e;
}

}  // namespace recsys::recommend
