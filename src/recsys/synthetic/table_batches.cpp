#include "recsys/synthetic/table_batches.h"

namespace recsys::synthetic {

namespace {
using parquet::Column;
using parquet::ColumnType;
using parquet::Field;
using parquet::RecordBatch;
using parquet::Schema;

Schema make_schema(std::initializer_list<std::pair<const char*, ColumnType>> fields) {
  Schema s;
  for (const auto& [name, type] : fields) s.fields.push_back({name, type, false});
  return s;
}

Column i32(std::vector<int32_t> v, ColumnType type = ColumnType::Int32) {
  Column c;
  c.type = type;
  c.i32 = std::move(v);
  return c;
}
Column i64(std::vector<int64_t> v, ColumnType type = ColumnType::Int64) {
  Column c;
  c.type = type;
  c.i64 = std::move(v);
  return c;
}
Column f32(std::vector<float> v) {
  Column c;
  c.type = ColumnType::Float;
  c.f32 = std::move(v);
  return c;
}
Column f64(std::vector<double> v) {
  Column c;
  c.type = ColumnType::Double;
  c.f64 = std::move(v);
  return c;
}
Column b8(std::vector<uint8_t> v) {
  Column c;
  c.type = ColumnType::Bool;
  c.b8 = std::move(v);
  return c;
}
Column list_i32(std::vector<int64_t> offsets, std::vector<int32_t> values) {
  Column c;
  c.type = ColumnType::ListInt32;
  c.offsets = std::move(offsets);
  c.i32 = std::move(values);
  return c;
}
// Fixed-length rows of a dense row-major matrix.
Column list_f32_dense(const std::vector<float>& values, size_t rows, size_t width) {
  Column c;
  c.type = ColumnType::ListFloat;
  c.offsets.resize(rows + 1);
  for (size_t r = 0; r <= rows; ++r) c.offsets[r] = static_cast<int64_t>(r * width);
  c.f32.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rows * width));
  return c;
}

RecordBatch make_batch(const Schema& schema, std::vector<Column> columns) {
  RecordBatch b;
  for (const auto& f : schema.fields) b.names.push_back(f.name);
  b.columns = std::move(columns);
  return b;
}

std::vector<int32_t> iota32(size_t n) {
  std::vector<int32_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<int32_t>(i);
  return v;
}
}  // namespace

Schema cities_schema() {
  return make_schema({{"city_id", ColumnType::Int32},
                      {"weight", ColumnType::Double},
                      {"lat", ColumnType::Double},
                      {"lon", ColumnType::Double}});
}

Schema neighborhoods_schema() {
  return make_schema({{"neighborhood_id", ColumnType::Int32},
                      {"city_id", ColumnType::Int32},
                      {"weight", ColumnType::Double},
                      {"lat", ColumnType::Double},
                      {"lon", ColumnType::Double}});
}

Schema tags_schema() {
  return make_schema({{"tag_id", ColumnType::Int32}, {"category_id", ColumnType::Int32}});
}

Schema places_schema() {
  return make_schema({{"place_id", ColumnType::Int32},
                      {"city_id", ColumnType::Int32},
                      {"neighborhood_id", ColumnType::Int32},
                      {"lat", ColumnType::Double},
                      {"lon", ColumnType::Double},
                      {"category_ids", ColumnType::ListInt32},
                      {"tag_ids", ColumnType::ListInt32},
                      {"tag_vector", ColumnType::ListFloat},
                      {"price_band", ColumnType::Int8},
                      {"typical_time_slot", ColumnType::Int8},
                      {"popularity", ColumnType::Float}});
}

Schema users_schema() {
  return make_schema({{"user_id", ColumnType::Int32},
                      {"home_city_id", ColumnType::Int32},
                      {"home_neighborhood_id", ColumnType::Int32},
                      {"home_lat", ColumnType::Double},
                      {"home_lon", ColumnType::Double},
                      {"frequent_neighborhood_ids", ColumnType::ListInt32},
                      {"category_pref", ColumnType::ListFloat},
                      {"tag_pref", ColumnType::ListFloat},
                      {"vibe_ids", ColumnType::ListInt32},
                      {"sessions", ColumnType::Int32},
                      {"views_per_session", ColumnType::Float},
                      {"like_rate", ColumnType::Float},
                      {"save_rate", ColumnType::Float},
                      {"share_rate", ColumnType::Float},
                      {"attend_rate", ColumnType::Float}});
}

Schema interactions_schema() {
  return make_schema({{"user_id", ColumnType::Int32},
                      {"place_id", ColumnType::Int32},
                      {"session_id", ColumnType::Int32},
                      {"timestamp", ColumnType::TimestampMicros},
                      {"dwell_seconds", ColumnType::Float},
                      {"liked", ColumnType::Bool},
                      {"saved", ColumnType::Bool},
                      {"shared", ColumnType::Bool},
                      {"attended", ColumnType::Bool},
                      {"time_bucket", ColumnType::Int8},
                      {"day_of_week", ColumnType::Int8},
                      {"is_weekend", ColumnType::Bool},
                      {"implicit_rating", ColumnType::Float}});
}

Schema social_edges_schema() {
  return make_schema({{"user_a", ColumnType::Int32},
                      {"user_b", ColumnType::Int32},
                      {"similarity", ColumnType::Float},
                      {"co_attendance", ColumnType::Int32},
                      {"neighborhood_overlap", ColumnType::Float}});
}

Schema friend_labels_schema() {
  return make_schema({{"user_a", ColumnType::Int32},
                      {"user_b", ColumnType::Int32},
                      {"label", ColumnType::Int8},
                      {"similarity", ColumnType::Float},
                      {"co_attendance", ColumnType::Int32},
                      {"neighborhood_overlap", ColumnType::Float},
                      {"attend_probability", ColumnType::Float}});
}

Schema oracle_top_places_schema() {
  return make_schema({{"user_id", ColumnType::Int32},
                      {"rank", ColumnType::Int32},
                      {"place_id", ColumnType::Int32},
                      {"true_score", ColumnType::Float}});
}

RecordBatch cities_batch(const Geography& g) {
  return make_batch(cities_schema(), {i32(iota32(g.city_weight.size())), f64(g.city_weight),
                                      f64(g.city_lat), f64(g.city_lon)});
}

RecordBatch neighborhoods_batch(const Geography& g) {
  return make_batch(neighborhoods_schema(),
                    {i32(iota32(g.neighborhood_city.size())), i32(g.neighborhood_city),
                     f64(g.neighborhood_weight), f64(g.neighborhood_lat), f64(g.neighborhood_lon)});
}

RecordBatch tags_batch(const SyntheticConfig& config) {
  std::vector<int32_t> category(static_cast<size_t>(config.n_tags()));
  for (int t = 0; t < config.n_tags(); ++t)
    category[static_cast<size_t>(t)] = config.category_of_tag(t);
  return make_batch(tags_schema(), {i32(iota32(category.size())), i32(std::move(category))});
}

RecordBatch places_batch(const PlaceTable& p) {
  std::vector<float> dense(p.size() * static_cast<size_t>(p.n_tags));
  for (size_t r = 0; r < p.size(); ++r)
    p.dense_tag_vector(r, dense.data() + r * static_cast<size_t>(p.n_tags));
  return make_batch(
      places_schema(),
      {i32(p.place_id), i32(p.city_id), i32(p.neighborhood_id), f64(p.lat), f64(p.lon),
       list_i32(p.category_offsets, p.category_ids), list_i32(p.tag_offsets, p.tag_ids),
       list_f32_dense(dense, p.size(), static_cast<size_t>(p.n_tags)),
       i32(p.price_band, ColumnType::Int8), i32(p.time_slot, ColumnType::Int8), f32(p.popularity)});
}

RecordBatch users_batch(const UserTable& u) {
  return make_batch(
      users_schema(),
      {i32(u.user_id), i32(u.home_city_id), i32(u.home_neighborhood_id), f64(u.home_lat),
       f64(u.home_lon), list_i32(u.frequent_offsets, u.frequent_neighborhood_ids),
       list_f32_dense(u.category_pref, u.size(), static_cast<size_t>(u.n_categories)),
       list_f32_dense(u.tag_pref, u.size(), static_cast<size_t>(u.n_tags)),
       list_i32(u.vibe_offsets, u.vibe_ids), i32(u.sessions), f32(u.views_per_session),
       f32(u.like_rate), f32(u.save_rate), f32(u.share_rate), f32(u.attend_rate)});
}

RecordBatch interactions_batch(const InteractionRows& r) {
  return make_batch(
      interactions_schema(),
      {i32(r.user_id), i32(r.place_id), i32(r.session_id),
       i64(r.timestamp_us, ColumnType::TimestampMicros), f32(r.dwell_seconds), b8(r.liked),
       b8(r.saved), b8(r.shared), b8(r.attended), i32(r.time_bucket, ColumnType::Int8),
       i32(r.day_of_week, ColumnType::Int8), b8(r.is_weekend), f32(r.implicit_rating)});
}

RecordBatch social_edges_batch(const SocialEdgeTable& e) {
  return make_batch(social_edges_schema(), {i32(e.user_a), i32(e.user_b), f32(e.similarity),
                                            i32(e.co_attendance), f32(e.neighborhood_overlap)});
}

RecordBatch friend_labels_batch(const FriendLabelTable& l) {
  std::vector<int32_t> label(l.label.begin(), l.label.end());
  return make_batch(
      friend_labels_schema(),
      {i32(l.user_a), i32(l.user_b), i32(std::move(label), ColumnType::Int8), f32(l.similarity),
       i32(l.co_attendance), f32(l.neighborhood_overlap), f32(l.attend_probability)});
}

}  // namespace recsys::synthetic
