#pragma once
// Why an item was recommended, as data (the text is made by recommend_json.h). For a place:
// its categories and tags that also occur in the user's history (or interests, or the source
// place of a similar-places query), and the user's friends who went there in training. For a
// suggested friend: mutual friends, places both went to, same home city.
#include <cstdint>
#include <span>
#include <vector>

#include "recsys/recommend/interaction_history.h"
#include "recsys/recommend/place_catalogue.h"

namespace recsys::recommend {

inline constexpr size_t kExplanationItems = 3;  // ids listed per reason (counts are complete)

// How often each category / tag occurs in a set of places (a user's history, a profile's liked
// places, one source place), plus categories picked explicitly (interests).
struct Taste {
  std::vector<int32_t> category_count, tag_count;
  std::vector<uint8_t> interest;         // per category: picked as an interest
  std::vector<int32_t> category_weight;  // count, interests ranked above any count

  static Taste of(const PlaceCatalogue& catalogue, std::span<const int32_t> places,
                  std::span<const int32_t> interest_categories = {});
};

struct PlaceExplanation {
  std::vector<int32_t> categories;  // the place's categories in the taste (most frequent first)
  std::vector<int32_t> tags;        // up to kExplanationItems of its tags in the taste
  std::vector<int64_t> friends;     // raw ids of up to kExplanationItems friends who went there
  int64_t friend_count = 0;         // all such friends
  int64_t similar_to = -1;          // similar places: the source place's raw id (else -1)
  bool same_neighborhood = false;   // similar places: in the source place's neighborhood
  int64_t visitors = -1;            // popularity answers: training visitors (else -1)
};

// The user rows whose visits count for an answer (a user's friends), as a bitmap over all user
// rows: counting them among a place's visitors is then one predictable pass over the visitors,
// for every item of the answer.
class FriendSet {
 public:
  FriendSet() = default;
  FriendSet(std::span<const int32_t> friends, int64_t n_users);
  bool contains(int32_t user) const {
    const auto u = static_cast<uint32_t>(user);
    return u / 64 < bits_.size() && (bits_[u / 64] >> (u % 64) & 1);
  }
  bool empty() const { return bits_.empty(); }
  std::span<const uint64_t> bits() const { return bits_; }  // bit u of word u / 64: user row u

 private:
  std::vector<uint64_t> bits_;  // empty when there are no friends
};

PlaceExplanation explain_place(const PlaceCatalogue& catalogue, const InteractionHistory& history,
                               const Taste& taste, const FriendSet& friends, int32_t place);

struct FriendExplanation {
  std::vector<int64_t> mutual_friends;  // raw ids, up to kExplanationItems
  int64_t mutual_friend_count = 0;
  int64_t co_attended_places = 0;  // places both users have seen
  bool same_city = false;
};

FriendExplanation explain_friend(const PlaceCatalogue& catalogue, const InteractionHistory& history,
                                 int32_t user, int32_t candidate);

}  // namespace recsys::recommend
