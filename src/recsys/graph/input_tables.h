#pragma once
// The tables a graph is built from, read from a data folder by column name.
// Generated data sets carry every column; importers of real data write the same
// file names with a subset of the columns. Required: interactions.parquet with
// user_id and place_id. Everything else is optional and simply absent (recorded
// in `present`); a column that is there with the wrong type, a null id, or an id
// that the users/places table does not list throws FormatError naming the file,
// the column and the row.
//
// Users and places become dense node indices 0..n-1 in ascending raw-id order;
// `user_ids` / `place_ids` keep the raw ids. Category-like ids (city,
// neighborhood, tag, category, vibe) are kept as they are: small non-negative
// integers, n = largest id + 1 over every table that mentions them.
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace recsys::graph {

inline constexpr int64_t kNoTimestamp = INT64_MIN;

enum InteractionFlag : uint8_t { kLiked = 1, kSaved = 2, kShared = 4, kAttended = 8 };
enum class EventSplit : int8_t { None = -1, Train = 0, Valid = 1, Test = 2 };

struct InteractionEvents {         // one row per interactions.parquet row
  std::vector<int32_t> user;       // dense user index
  std::vector<int32_t> place;      // dense place index
  std::vector<int64_t> timestamp;  // microseconds, kNoTimestamp when null / absent
  std::vector<float> rating;       // implicit_rating, 0 when absent
  std::vector<uint8_t> flags;      // InteractionFlag bits
  std::vector<int8_t> split;       // EventSplit, only when the `split` column exists
  size_t size() const { return user.size(); }
};

// A list column as CSR over the rows of its table (empty offsets = column absent).
struct ListColumn {
  std::vector<int64_t> offsets;
  std::vector<int32_t> ids;
  std::vector<float> values;  // for float lists
  bool present() const { return !offsets.empty(); }
};

struct UserTable {
  // Per dense user; -1 / NaN when unknown. Float vectors are empty when absent.
  std::vector<int32_t> home_city, home_neighborhood;
  std::vector<double> home_lat, home_lon;
  ListColumn frequent_neighborhoods, vibes;  // ids
  ListColumn category_pref, tag_pref;        // values (fixed width per row)
  // Behaviour statistics from the profile (NaN when unknown), column name -> values.
  std::vector<std::pair<std::string, std::vector<float>>> behaviour;
};

struct PlaceTable {
  std::vector<int32_t> city, neighborhood, price_band, time_slot;  // -1 when unknown
  std::vector<double> lat, lon;                                    // NaN when unknown
  ListColumn categories, tags;                                     // ids
  ListColumn tag_vector;                                           // values
};

struct PairTable {                        // user_user_edges.parquet / friend_labels.parquet rows
  std::vector<int32_t> a, b;              // dense user indices
  std::vector<int8_t> label;              // friend labels only
  std::vector<float> attend_probability;  // friend labels only (NaN when absent)
};

struct InputTables {
  std::filesystem::path data_dir;
  std::vector<int32_t> user_ids, place_ids;  // raw ids by dense index
  InteractionEvents events;
  UserTable users;
  PlaceTable places;
  PairTable social_edges;
  PairTable friend_labels;
  bool has_social_edges = false, has_friend_labels = false;
  int32_t n_cities = 0, n_neighborhoods = 0, n_tags = 0, n_categories = 0, n_vibes = 0;
  std::vector<int32_t> tag_category;  // per tag id, -1 unknown (tags.parquet)
  // "file:column" for every optional column found; the manifest records it.
  std::set<std::string> present;
  bool has(const std::string& key) const { return present.count(key) > 0; }
};

InputTables read_input_tables(const std::filesystem::path& data_dir);

}  // namespace recsys::graph
