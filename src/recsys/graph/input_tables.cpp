#include "recsys/graph/input_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "recsys/core/error.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/io/parquet/table_files.h"

namespace recsys::graph {

namespace {
namespace fs = std::filesystem;
using parquet::Column;
using parquet::ColumnType;
using parquet::TableReader;

constexpr int64_t kMaxCategoricalId = int64_t{1} << 22;
const std::vector<ColumnType> kIntTypes = {ColumnType::Int8, ColumnType::Int16, ColumnType::Int32,
                                           ColumnType::Int64};
const std::vector<ColumnType> kNumTypes = {ColumnType::Int8,  ColumnType::Int16,
                                           ColumnType::Int32, ColumnType::Int64,
                                           ColumnType::Float, ColumnType::Double};

struct Table {
  std::string file;  // as in messages: the path
  std::string name;  // e.g. "places.parquet"
  std::optional<TableReader> reader;
};

// `name` is "<table>.parquet"; the table may also be a folder of part files
// (<table>/part-*.parquet, a sharded `recsys generate`).
Table open_table(const fs::path& dir, const std::string& name) {
  Table t;
  t.name = name;
  t.file = (dir / name).string();
  const std::string table = fs::path(name).stem().string();
  t.reader = TableReader::open(dir, table);
  if (t.reader) t.file = t.reader->display_name();
  return t;
}

std::string type_list(const std::vector<ColumnType>& types) {
  std::string s;
  for (auto t : types) s += (s.empty() ? "" : " or ") + std::string(parquet::to_string(t));
  return s;
}

// The column, or nullopt when the table or column is absent and not required.
std::optional<Column> read_column(const Table& t, const std::string& name,
                                  const std::vector<ColumnType>& allowed, bool required,
                                  std::set<std::string>* present) {
  if (!t.reader) return std::nullopt;
  for (const auto& c : t.reader->columns()) {
    if (c.name != name) continue;
    if (!c.supported || std::find(allowed.begin(), allowed.end(), c.type) == allowed.end())
      throw FormatError(fmt::format("{}: column '{}' has type {}, expected {}", t.file, name,
                                    c.parquet_type, type_list(allowed)));
    auto batch = t.reader->read_all({name});
    if (present) present->insert(t.name + ":" + name);
    return std::move(batch.columns.front());
  }
  if (required) {
    std::string names;
    for (const auto& c : t.reader->columns()) names += (names.empty() ? "" : ", ") + c.name;
    throw FormatError(fmt::format("{}: required column '{}' ({}) is missing; the file has: {}",
                                  t.file, name, type_list(allowed), names));
  }
  return std::nullopt;
}

int64_t int_at(const Column& c, size_t row) {
  return c.type == ColumnType::Int64 ? c.i64[row] : static_cast<int64_t>(c.i32[row]);
}

double num_at(const Column& c, size_t row) {
  switch (c.type) {
    case ColumnType::Int64:
      return static_cast<double>(c.i64[row]);
    case ColumnType::Float:
      return c.f32[row];
    case ColumnType::Double:
      return c.f64[row];
    default:
      return c.i32[row];
  }
}

// Raw int32 ids of a required id column: no nulls, within int32.
std::vector<int32_t> read_ids(const Table& t, const std::string& name) {
  auto c = read_column(t, name, kIntTypes, true, nullptr);
  std::vector<int32_t> out(c->num_rows());
  for (size_t r = 0; r < out.size(); ++r) {
    if (c->is_null(r))
      throw FormatError(fmt::format("{}: column '{}' is null in row {}", t.file, name, r));
    const int64_t v = int_at(*c, r);
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
      throw FormatError(
          fmt::format("{}: column '{}' row {}: id {} does not fit in int32", t.file, name, r, v));
    out[r] = static_cast<int32_t>(v);
  }
  return out;
}

void check_categorical(const Table& t, const std::string& name, size_t row, int64_t v) {
  if (v < 0 || v >= kMaxCategoricalId)
    throw FormatError(fmt::format("{}: column '{}' row {}: id {} outside [0, {})", t.file, name,
                                  row, v, kMaxCategoricalId));
}

// Optional categorical id column: -1 for null or absent; `max_id` tracks the largest id.
std::vector<int32_t> read_categorical(const Table& t, const std::string& name, size_t rows,
                                      int32_t& n_ids, std::set<std::string>& present) {
  std::vector<int32_t> out(rows, -1);
  auto c = read_column(t, name, kIntTypes, false, &present);
  if (!c) return out;
  for (size_t r = 0; r < rows; ++r) {
    if (c->is_null(r)) continue;
    const int64_t v = int_at(*c, r);
    check_categorical(t, name, r, v);
    out[r] = static_cast<int32_t>(v);
    n_ids = std::max(n_ids, static_cast<int32_t>(v + 1));
  }
  return out;
}

template <typename T>
std::vector<T> read_numeric(const Table& t, const std::string& name, size_t rows,
                            std::set<std::string>& present, bool* found = nullptr) {
  std::vector<T> out(rows, std::numeric_limits<T>::quiet_NaN());
  auto c = read_column(t, name, kNumTypes, false, &present);
  if (found) *found = c.has_value();
  if (!c) return out;
  for (size_t r = 0; r < rows; ++r)
    if (!c->is_null(r)) out[r] = static_cast<T>(num_at(*c, r));
  return out;
}

ListColumn read_id_list(const Table& t, const std::string& name, int32_t& n_ids,
                        std::set<std::string>& present) {
  ListColumn out;
  auto c = read_column(t, name, {ColumnType::ListInt32}, false, &present);
  if (!c) return out;
  out.offsets = std::move(c->offsets);
  out.ids = std::move(c->i32);
  for (size_t r = 0; r + 1 < out.offsets.size(); ++r)
    for (int64_t k = out.offsets[r]; k < out.offsets[r + 1]; ++k) {
      check_categorical(t, name, r, out.ids[static_cast<size_t>(k)]);
      n_ids = std::max(n_ids, out.ids[static_cast<size_t>(k)] + 1);
    }
  return out;
}

// A list<float> column whose non-null rows all have the same length (returned in `width`).
ListColumn read_vector(const Table& t, const std::string& name, int32_t& width,
                       std::set<std::string>& present) {
  ListColumn out;
  auto c = read_column(t, name, {ColumnType::ListFloat}, false, &present);
  if (!c) return out;
  int64_t w = -1;
  for (size_t r = 0; r + 1 < c->offsets.size(); ++r) {
    if (c->is_null(r)) continue;
    const int64_t len = c->offsets[r + 1] - c->offsets[r];
    if (w >= 0 && len != w)
      throw FormatError(fmt::format("{}: column '{}' row {} has {} values, earlier rows {}", t.file,
                                    name, r, len, w));
    w = len;
  }
  out.offsets = std::move(c->offsets);
  out.values = std::move(c->f32);
  width = static_cast<int32_t>(std::max<int64_t>(w, 0));
  for (size_t i = 0; i < out.values.size(); ++i)
    if (!std::isfinite(out.values[i]))
      throw FormatError(fmt::format("{}: column '{}' holds a non-finite value", t.file, name));
  return out;
}

// Sorted unique raw ids -> dense index.
struct IdIndex {
  std::vector<int32_t> sorted;
  int32_t find(int32_t raw) const {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), raw);
    return it != sorted.end() && *it == raw ? static_cast<int32_t>(it - sorted.begin()) : -1;
  }
};

IdIndex index_from_table(const Table& t, const std::vector<int32_t>& ids, const std::string& col) {
  IdIndex idx;
  idx.sorted = ids;
  std::sort(idx.sorted.begin(), idx.sorted.end());
  auto dup = std::adjacent_find(idx.sorted.begin(), idx.sorted.end());
  if (dup != idx.sorted.end())
    throw FormatError(fmt::format("{}: {} {} appears more than once", t.file, col, *dup));
  return idx;
}

IdIndex index_from_references(std::initializer_list<const std::vector<int32_t>*> lists) {
  IdIndex idx;
  for (const auto* l : lists) idx.sorted.insert(idx.sorted.end(), l->begin(), l->end());
  std::sort(idx.sorted.begin(), idx.sorted.end());
  idx.sorted.erase(std::unique(idx.sorted.begin(), idx.sorted.end()), idx.sorted.end());
  return idx;
}

std::vector<int32_t> map_ids(const IdIndex& idx, const std::vector<int32_t>& raw, const Table& t,
                             const std::string& col, const std::string& defining_file) {
  std::vector<int32_t> out(raw.size());
  for (size_t r = 0; r < raw.size(); ++r) {
    out[r] = idx.find(raw[r]);
    if (out[r] < 0)
      throw FormatError(
          fmt::format("{}: row {}: {} {} is not in {}", t.file, r, col, raw[r], defining_file));
  }
  return out;
}

// Rows of `values` (per table row) reordered to dense-index order.
template <typename T>
std::vector<T> by_dense(const std::vector<T>& values, const std::vector<int32_t>& dense) {
  std::vector<T> out(values.size());
  for (size_t r = 0; r < values.size(); ++r) out[static_cast<size_t>(dense[r])] = values[r];
  return out;
}

ListColumn list_by_dense(const ListColumn& in, const std::vector<int32_t>& dense) {
  if (!in.present()) return in;
  const size_t n = dense.size();
  std::vector<size_t> row_of(n);
  for (size_t r = 0; r < n; ++r) row_of[static_cast<size_t>(dense[r])] = r;
  ListColumn out;
  out.offsets.assign(1, 0);
  for (size_t d = 0; d < n; ++d) {
    const size_t r = row_of[d];
    for (int64_t k = in.offsets[r]; k < in.offsets[r + 1]; ++k) {
      if (!in.ids.empty()) out.ids.push_back(in.ids[static_cast<size_t>(k)]);
      if (!in.values.empty()) out.values.push_back(in.values[static_cast<size_t>(k)]);
    }
    out.offsets.push_back(static_cast<int64_t>(std::max(out.ids.size(), out.values.size())));
  }
  return out;
}

EventSplit parse_split(const std::string& s, const Table& t, size_t row) {
  if (s == "train") return EventSplit::Train;
  if (s == "valid" || s == "validation" || s == "val") return EventSplit::Valid;
  if (s == "test") return EventSplit::Test;
  throw FormatError(fmt::format("{}: column 'split' row {}: '{}' is not one of train, valid, test",
                                t.file, row, s));
}

uint8_t read_flag(const std::optional<Column>& c, size_t row) {
  if (!c || c->is_null(row)) return 0;
  return c->type == ColumnType::Bool ? c->b8[row] != 0 : int_at(*c, row) != 0;
}
}  // namespace

InputTables read_input_tables(const fs::path& data_dir) {
  if (!fs::is_directory(data_dir))
    throw IoError(fmt::format("--data {}: not a folder", data_dir.string()));
  InputTables in;
  in.data_dir = data_dir;
  const Table inter = open_table(data_dir, "interactions.parquet");
  if (!inter.reader) throw IoError(fmt::format("{}: required table is missing", inter.file));
  const Table users = open_table(data_dir, "users.parquet");
  const Table places = open_table(data_dir, "places.parquet");
  const Table social = open_table(data_dir, "user_user_edges.parquet");
  const Table labels = open_table(data_dir, "friend_labels.parquet");
  const Table tags = open_table(data_dir, "tags.parquet");
  const Table cities = open_table(data_dir, "cities.parquet");
  const Table hoods = open_table(data_dir, "neighborhoods.parquet");
  for (const Table* t : {&users, &places, &social, &labels, &tags, &cities, &hoods})
    if (t->reader) in.present.insert(t->name);
  in.present.insert(inter.name);

  // Raw ids first: they define the node sets.
  const auto inter_user = read_ids(inter, "user_id");
  const auto inter_place = read_ids(inter, "place_id");
  std::vector<int32_t> table_user, table_place, social_a, social_b, label_a, label_b;
  if (users.reader) table_user = read_ids(users, "user_id");
  if (places.reader) table_place = read_ids(places, "place_id");
  if (social.reader) social_a = read_ids(social, "user_a"), social_b = read_ids(social, "user_b");
  if (labels.reader) label_a = read_ids(labels, "user_a"), label_b = read_ids(labels, "user_b");

  const IdIndex user_index =
      users.reader ? index_from_table(users, table_user, "user_id")
                   : index_from_references({&inter_user, &social_a, &social_b, &label_a, &label_b});
  const IdIndex place_index = places.reader ? index_from_table(places, table_place, "place_id")
                                            : index_from_references({&inter_place});
  in.user_ids = user_index.sorted;
  in.place_ids = place_index.sorted;
  const size_t n_users = in.user_ids.size(), n_places = in.place_ids.size();
  const std::string user_def = users.reader ? users.file : "the user set";
  const std::string place_def = places.reader ? places.file : "the place set";

  // Interactions.
  auto& ev = in.events;
  ev.user = map_ids(user_index, inter_user, inter, "user_id", user_def);
  ev.place = map_ids(place_index, inter_place, inter, "place_id", place_def);
  const size_t n_events = ev.user.size();
  ev.timestamp.assign(n_events, kNoTimestamp);
  if (auto c = read_column(inter, "timestamp", {ColumnType::TimestampMicros, ColumnType::Int64},
                           false, &in.present)) {
    for (size_t r = 0; r < n_events; ++r)
      if (!c->is_null(r)) ev.timestamp[r] = c->i64[r];
  }
  bool has_rating = false;
  const auto rating =
      read_numeric<float>(inter, "implicit_rating", n_events, in.present, &has_rating);
  ev.rating.assign(n_events, 0.0f);
  if (has_rating)
    for (size_t r = 0; r < n_events; ++r) {
      if (std::isnan(rating[r])) continue;
      if (!std::isfinite(rating[r]))
        throw FormatError(
            fmt::format("{}: column 'implicit_rating' row {} is not finite", inter.file, r));
      ev.rating[r] = rating[r];
    }
  ev.flags.assign(n_events, 0);
  const std::vector<ColumnType> flag_types = {ColumnType::Bool, ColumnType::Int8, ColumnType::Int16,
                                              ColumnType::Int32};
  const std::pair<const char*, uint8_t> flag_columns[] = {
      {"liked", kLiked}, {"saved", kSaved}, {"shared", kShared}, {"attended", kAttended}};
  for (const auto& [name, bit] : flag_columns) {
    auto c = read_column(inter, name, flag_types, false, &in.present);
    if (!c) continue;
    for (size_t r = 0; r < n_events; ++r)
      if (read_flag(c, r)) ev.flags[r] |= bit;
  }
  if (auto c = read_column(inter, "split", {ColumnType::String}, false, &in.present)) {
    ev.split.resize(n_events);
    for (size_t r = 0; r < n_events; ++r) {
      if (c->is_null(r))
        throw FormatError(fmt::format("{}: column 'split' is null in row {}", inter.file, r));
      ev.split[r] = static_cast<int8_t>(parse_split(c->str[r], inter, r));
    }
  }

  // Users (rows reordered to dense order).
  auto& u = in.users;
  u.home_city.assign(n_users, -1);
  u.home_neighborhood.assign(n_users, -1);
  u.home_lat.assign(n_users, std::numeric_limits<double>::quiet_NaN());
  u.home_lon = u.home_lat;
  int32_t category_width = 0, tag_width = 0, place_tag_width = 0;
  if (users.reader) {
    const auto dense = map_ids(user_index, table_user, users, "user_id", users.file);
    const size_t rows = dense.size();
    u.home_city =
        by_dense(read_categorical(users, "home_city_id", rows, in.n_cities, in.present), dense);
    u.home_neighborhood = by_dense(
        read_categorical(users, "home_neighborhood_id", rows, in.n_neighborhoods, in.present),
        dense);
    u.home_lat = by_dense(read_numeric<double>(users, "home_lat", rows, in.present), dense);
    u.home_lon = by_dense(read_numeric<double>(users, "home_lon", rows, in.present), dense);
    u.frequent_neighborhoods = list_by_dense(
        read_id_list(users, "frequent_neighborhood_ids", in.n_neighborhoods, in.present), dense);
    u.vibes = list_by_dense(read_id_list(users, "vibe_ids", in.n_vibes, in.present), dense);
    u.category_pref =
        list_by_dense(read_vector(users, "category_pref", category_width, in.present), dense);
    u.tag_pref = list_by_dense(read_vector(users, "tag_pref", tag_width, in.present), dense);
    for (const char* name :
         {"sessions", "views_per_session", "like_rate", "save_rate", "share_rate", "attend_rate"}) {
      bool found = false;
      auto values = read_numeric<float>(users, name, rows, in.present, &found);
      if (found) u.behaviour.emplace_back(name, by_dense(values, dense));
    }
  }

  // Places.
  auto& p = in.places;
  p.city.assign(n_places, -1);
  p.neighborhood = p.price_band = p.time_slot = p.city;
  p.lat.assign(n_places, std::numeric_limits<double>::quiet_NaN());
  p.lon = p.lat;
  if (places.reader) {
    const auto dense = map_ids(place_index, table_place, places, "place_id", places.file);
    const size_t rows = dense.size();
    int32_t n_price = 0, n_slot = 0;
    p.city = by_dense(read_categorical(places, "city_id", rows, in.n_cities, in.present), dense);
    p.neighborhood = by_dense(
        read_categorical(places, "neighborhood_id", rows, in.n_neighborhoods, in.present), dense);
    p.price_band =
        by_dense(read_categorical(places, "price_band", rows, n_price, in.present), dense);
    p.time_slot =
        by_dense(read_categorical(places, "typical_time_slot", rows, n_slot, in.present), dense);
    p.lat = by_dense(read_numeric<double>(places, "lat", rows, in.present), dense);
    p.lon = by_dense(read_numeric<double>(places, "lon", rows, in.present), dense);
    p.categories =
        list_by_dense(read_id_list(places, "category_ids", in.n_categories, in.present), dense);
    p.tags = list_by_dense(read_id_list(places, "tag_ids", in.n_tags, in.present), dense);
    p.tag_vector =
        list_by_dense(read_vector(places, "tag_vector", place_tag_width, in.present), dense);
  }

  // Social edges and friend labels.
  if (social.reader) {
    in.has_social_edges = true;
    in.social_edges.a = map_ids(user_index, social_a, social, "user_a", user_def);
    in.social_edges.b = map_ids(user_index, social_b, social, "user_b", user_def);
  }
  if (labels.reader) {
    in.has_friend_labels = true;
    auto& l = in.friend_labels;
    l.a = map_ids(user_index, label_a, labels, "user_a", user_def);
    l.b = map_ids(user_index, label_b, labels, "user_b", user_def);
    auto c = read_column(labels, "label", kIntTypes, true, &in.present);
    l.label.resize(l.a.size());
    for (size_t r = 0; r < l.a.size(); ++r) {
      if (c->is_null(r))
        throw FormatError(fmt::format("{}: column 'label' is null in row {}", labels.file, r));
      const int64_t v = int_at(*c, r);
      if (v != 0 && v != 1)
        throw FormatError(
            fmt::format("{}: column 'label' row {}: {} is not 0 or 1", labels.file, r, v));
      l.label[r] = static_cast<int8_t>(v);
    }
    l.attend_probability =
        read_numeric<float>(labels, "attend_probability", l.a.size(), in.present);
    if (labels.reader->is_partitioned()) {
      // Part files of a sharded `recsys generate` are each sorted by (user_a, user_b), their
      // concatenation is not: put the rows in the order the single file has, so the graph does
      // not depend on how the data set was sharded.
      std::vector<size_t> order(l.a.size());
      for (size_t r = 0; r < order.size(); ++r) order[r] = r;
      std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        return l.a[x] < l.a[y] || (l.a[x] == l.a[y] && l.b[x] < l.b[y]);
      });
      const auto permuted = [&order](auto& v) {
        auto copy = v;
        for (size_t r = 0; r < order.size(); ++r) v[r] = copy[order[r]];
      };
      permuted(l.a);
      permuted(l.b);
      permuted(l.label);
      permuted(l.attend_probability);
    }
  }

  // Taxonomy tables: they only widen the id ranges.
  if (tags.reader) {
    auto tag_id = read_ids(tags, "tag_id");
    int32_t n_tag_ids = 0;
    for (size_t r = 0; r < tag_id.size(); ++r) {
      check_categorical(tags, "tag_id", r, tag_id[r]);
      n_tag_ids = std::max(n_tag_ids, tag_id[r] + 1);
    }
    auto cat = read_categorical(tags, "category_id", tag_id.size(), in.n_categories, in.present);
    in.n_tags = std::max(in.n_tags, n_tag_ids);
    in.tag_category.assign(static_cast<size_t>(in.n_tags), -1);
    for (size_t r = 0; r < tag_id.size(); ++r)
      in.tag_category[static_cast<size_t>(tag_id[r])] = cat[r];
  }
  if (cities.reader) {
    for (int32_t id : read_ids(cities, "city_id")) {
      check_categorical(cities, "city_id", 0, id);
      in.n_cities = std::max(in.n_cities, id + 1);
    }
  }
  if (hoods.reader) {
    for (int32_t id : read_ids(hoods, "neighborhood_id")) {
      check_categorical(hoods, "neighborhood_id", 0, id);
      in.n_neighborhoods = std::max(in.n_neighborhoods, id + 1);
    }
  }
  in.n_categories = std::max(in.n_categories, category_width);
  in.n_tags = std::max({in.n_tags, tag_width, place_tag_width});
  in.tag_category.resize(static_cast<size_t>(in.n_tags), -1);
  if (category_width > 0 && category_width != in.n_categories)
    throw FormatError(fmt::format("{}: category_pref has {} values but category ids go up to {}",
                                  users.file, category_width, in.n_categories - 1));
  if (tag_width > 0 && tag_width != in.n_tags)
    throw FormatError(fmt::format("{}: tag_pref has {} values but tag ids go up to {}", users.file,
                                  tag_width, in.n_tags - 1));
  if (place_tag_width > 0 && place_tag_width != in.n_tags)
    throw FormatError(fmt::format("{}: tag_vector has {} values but tag ids go up to {}",
                                  places.file, place_tag_width, in.n_tags - 1));
  return in;
}

}  // namespace recsys::graph
