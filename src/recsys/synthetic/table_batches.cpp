#include "recsys/synthetic/table_batches.h"

namespace recsys::synthetic {

namespace {
using parquet::bool_column;
using parquet::Column;
using parquet::ColumnType;
using parquet::double_column;
using parquet::Field;
using parquet::float_column;
using parquet::int32_column;
using parquet::int64_column;
using parquet::list_int32_column;
using parquet::make_batch;
using parquet::RecordBatch;
using parquet::Schema;

Schema make_schema(std::initializer_list<std::pair<const char*, ColumnType>> fields) {
  Schema s;
  for (const auto& [name, type] : fields) s.fields.push_back({name, type, false});
  return s;
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
  return make_batch(cities_schema(),
                    {int32_column(iota32(g.city_weight.size())), double_column(g.city_weight),
                     double_column(g.city_lat), double_column(g.city_lon)});
}

RecordBatch neighborhoods_batch(const Geography& g) {
  return make_batch(neighborhoods_schema(),
                    {int32_column(iota32(g.neighborhood_city.size())),
                     int32_column(g.neighborhood_city), double_column(g.neighborhood_weight),
                     double_column(g.neighborhood_lat), double_column(g.neighborhood_lon)});
}

RecordBatch tags_batch(const SyntheticConfig& config) {
  std::vector<int32_t> category(static_cast<size_t>(config.n_tags()));
  for (int t = 0; t < config.n_tags(); ++t)
    category[static_cast<size_t>(t)] = config.category_of_tag(t);
  return make_batch(tags_schema(),
                    {int32_column(iota32(category.size())), int32_column(std::move(category))});
}

RecordBatch places_batch(const PlaceTable& p) {
  std::vector<float> dense(p.size() * static_cast<size_t>(p.n_tags));
  for (size_t r = 0; r < p.size(); ++r)
    p.dense_tag_vector(r, dense.data() + r * static_cast<size_t>(p.n_tags));
  return make_batch(places_schema(),
                    {int32_column(p.place_id), int32_column(p.city_id),
                     int32_column(p.neighborhood_id), double_column(p.lat), double_column(p.lon),
                     list_int32_column(p.category_offsets, p.category_ids),
                     list_int32_column(p.tag_offsets, p.tag_ids),
                     list_f32_dense(dense, p.size(), static_cast<size_t>(p.n_tags)),
                     int32_column(p.price_band, ColumnType::Int8),
                     int32_column(p.time_slot, ColumnType::Int8), float_column(p.popularity)});
}

RecordBatch users_batch(const UserTable& u) {
  return make_batch(
      users_schema(),
      {int32_column(u.user_id), int32_column(u.home_city_id), int32_column(u.home_neighborhood_id),
       double_column(u.home_lat), double_column(u.home_lon),
       list_int32_column(u.frequent_offsets, u.frequent_neighborhood_ids),
       list_f32_dense(u.category_pref, u.size(), static_cast<size_t>(u.n_categories)),
       list_f32_dense(u.tag_pref, u.size(), static_cast<size_t>(u.n_tags)),
       list_int32_column(u.vibe_offsets, u.vibe_ids), int32_column(u.sessions),
       float_column(u.views_per_session), float_column(u.like_rate), float_column(u.save_rate),
       float_column(u.share_rate), float_column(u.attend_rate)});
}

RecordBatch interactions_batch(const InteractionRows& r) {
  return make_batch(
      interactions_schema(),
      {int32_column(r.user_id), int32_column(r.place_id), int32_column(r.session_id),
       int64_column(r.timestamp_us, ColumnType::TimestampMicros), float_column(r.dwell_seconds),
       bool_column(r.liked), bool_column(r.saved), bool_column(r.shared), bool_column(r.attended),
       int32_column(r.time_bucket, ColumnType::Int8), int32_column(r.day_of_week, ColumnType::Int8),
       bool_column(r.is_weekend), float_column(r.implicit_rating)});
}

RecordBatch social_edges_batch(const SocialEdgeTable& e) {
  return make_batch(social_edges_schema(),
                    {int32_column(e.user_a), int32_column(e.user_b), float_column(e.similarity),
                     int32_column(e.co_attendance), float_column(e.neighborhood_overlap)});
}

RecordBatch friend_labels_batch(const FriendLabelTable& l) {
  std::vector<int32_t> label(l.label.begin(), l.label.end());
  return make_batch(friend_labels_schema(),
                    {int32_column(l.user_a), int32_column(l.user_b),
                     int32_column(std::move(label), ColumnType::Int8), float_column(l.similarity),
                     int32_column(l.co_attendance), float_column(l.neighborhood_overlap),
                     float_column(l.attend_probability)});
}

}  // namespace recsys::synthetic
