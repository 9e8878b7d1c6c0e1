#include "recsys/graph/node_features.h"

#include <cmath>
#include <limits>

namespace recsys::graph {

namespace {
constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

// Column-block builder: raw values, NaN for missing.
class Builder {
 public:
  explicit Builder(int64_t rows) { m_.rows = rows; }
  // Adds a block and returns its first column.
  int32_t add(const std::string& name, int32_t width) {
    m_.blocks.push_back({name, m_.cols, width});
    const int32_t first = m_.cols;
    m_.cols += width;
    columns_.resize(static_cast<size_t>(m_.cols),
                    std::vector<float>(static_cast<size_t>(m_.rows), 0.0f));
    return first;
  }
  float& at(int64_t row, int32_t col) {
    return columns_[static_cast<size_t>(col)][static_cast<size_t>(row)];
  }
  FeatureMatrix finish() {
    const auto rows = static_cast<size_t>(m_.rows), cols = static_cast<size_t>(m_.cols);
    m_.mean.assign(cols, 0.0f);
    m_.std.assign(cols, 1.0f);
    m_.values.assign(rows * cols, 0.0f);
    for (size_t c = 0; c < cols; ++c) {
      const auto& v = columns_[c];
      double sum = 0, n = 0;
      for (float x : v)
        if (!std::isnan(x)) sum += x, n += 1;
      const double mean = n > 0 ? sum / n : 0.0;
      double var = 0;
      for (float x : v)
        if (!std::isnan(x)) var += (x - mean) * (x - mean);
      const double sd = n > 0 ? std::sqrt(var / n) : 0.0;
      m_.mean[c] = static_cast<float>(mean);
      m_.std[c] = sd > 1e-12 ? static_cast<float>(sd) : 1.0f;
      for (size_t r = 0; r < rows; ++r)
        m_.values[r * cols + c] =
            std::isnan(v[r]) ? 0.0f : static_cast<float>((v[r] - mean) / m_.std[c]);
    }
    return std::move(m_);
  }

 private:
  FeatureMatrix m_;
  std::vector<std::vector<float>> columns_;
};

void add_vector_block(Builder& b, const std::string& name, const ListColumn& list, int32_t width,
                      int64_t rows) {
  if (!list.present() || width == 0) return;
  const int32_t c0 = b.add(name, width);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t begin = list.offsets[static_cast<size_t>(r)];
    const int64_t end = list.offsets[static_cast<size_t>(r) + 1];
    for (int64_t k = begin; k < end && k - begin < width; ++k)
      b.at(r, c0 + static_cast<int32_t>(k - begin)) = list.values[static_cast<size_t>(k)];
  }
}

void add_multi_hot_block(Builder& b, const std::string& name, const ListColumn& list, int32_t width,
                         int64_t rows) {
  if (!list.present() || width == 0) return;
  const int32_t c0 = b.add(name, width);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = list.offsets[static_cast<size_t>(r)];
         k < list.offsets[static_cast<size_t>(r) + 1]; ++k)
      b.at(r, c0 + list.ids[static_cast<size_t>(k)]) = 1.0f;
}

template <typename T>
void add_scalar(Builder& b, const std::string& name, const std::vector<T>& v) {
  const int32_t c = b.add(name, 1);
  for (size_t r = 0; r < v.size(); ++r) b.at(static_cast<int64_t>(r), c) = static_cast<float>(v[r]);
}

// Per-node training statistics from the pairs, grouped by `node` (user or place).
struct TrainStats {
  std::vector<double> pairs, events, liked, saved, attended, rating;
};
TrainStats train_stats(const InteractionSet& train, const std::vector<int32_t>& node, int64_t n) {
  TrainStats s;
  for (auto* v : {&s.pairs, &s.events, &s.liked, &s.saved, &s.attended, &s.rating})
    v->assign(static_cast<size_t>(n), 0.0);
  for (size_t i = 0; i < train.size(); ++i) {
    const auto x = static_cast<size_t>(node[i]);
    s.pairs[x] += 1;
    s.events[x] += train.count[i];
    s.liked[x] += (train.flags[i] & kLiked) ? 1 : 0;
    s.saved[x] += (train.flags[i] & kSaved) ? 1 : 0;
    s.attended[x] += (train.flags[i] & kAttended) ? 1 : 0;
    s.rating[x] += train.max_rating[i];
  }
  return s;
}

void add_train_stats(Builder& b, const TrainStats& s, const char* degree_name, bool with_rating) {
  const auto n = static_cast<int64_t>(s.pairs.size());
  const int32_t c = b.add(degree_name, 1);
  const int32_t ce = b.add("train_log_events", 1);
  const int32_t cs = b.add("train_engagement_share", with_rating ? 4 : 3);
  for (int64_t r = 0; r < n; ++r) {
    const auto x = static_cast<size_t>(r);
    b.at(r, c) = static_cast<float>(std::log1p(s.pairs[x]));
    b.at(r, ce) = static_cast<float>(std::log1p(s.events[x]));
    const double d = s.pairs[x];
    b.at(r, cs) = d > 0 ? static_cast<float>(s.liked[x] / d) : kMissing;
    b.at(r, cs + 1) = d > 0 ? static_cast<float>(s.saved[x] / d) : kMissing;
    b.at(r, cs + 2) = d > 0 ? static_cast<float>(s.attended[x] / d) : kMissing;
    if (with_rating) b.at(r, cs + 3) = d > 0 ? static_cast<float>(s.rating[x] / d) : kMissing;
  }
}
}  // namespace

FeatureMatrix user_features(const InputTables& in, const InteractionSet& train,
                            const Csr& social_train) {
  const auto n = static_cast<int64_t>(in.user_ids.size());
  const auto& u = in.users;
  Builder b(n);
  add_vector_block(b, "category_pref", u.category_pref, in.n_categories, n);
  add_vector_block(b, "tag_pref", u.tag_pref, in.n_tags, n);
  add_multi_hot_block(b, "vibe", u.vibes, in.n_vibes, n);
  for (const auto& [name, values] : u.behaviour) {
    const int32_t c = b.add(name == "sessions" ? "log_sessions" : name, 1);
    for (int64_t r = 0; r < n; ++r) {
      const float v = values[static_cast<size_t>(r)];
      b.at(r, c) = name == "sessions" && !std::isnan(v) ? std::log1p(std::max(v, 0.0f)) : v;
    }
  }
  if (in.has("users.parquet:home_lat") && in.has("users.parquet:home_lon")) {
    add_scalar(b, "home_lat", u.home_lat);
    add_scalar(b, "home_lon", u.home_lon);
  }
  add_train_stats(b, train_stats(train, train.user, n), "train_log_degree", true);
  if (in.has_social_edges) {
    const int32_t c = b.add("train_log_friends", 1);
    for (int64_t r = 0; r < n; ++r)
      b.at(r, c) = static_cast<float>(
          std::log1p(static_cast<double>(social_train.offsets[static_cast<size_t>(r) + 1] -
                                         social_train.offsets[static_cast<size_t>(r)])));
  }
  return b.finish();
}

FeatureMatrix place_features(const InputTables& in, const InteractionSet& train) {
  const auto n = static_cast<int64_t>(in.place_ids.size());
  const auto& p = in.places;
  Builder b(n);
  add_multi_hot_block(b, "category", p.categories, in.n_categories, n);
  if (p.tag_vector.present())
    add_vector_block(b, "tag_vector", p.tag_vector, in.n_tags, n);
  else
    add_multi_hot_block(b, "tag", p.tags, in.n_tags, n);
  if (in.has("places.parquet:price_band")) {
    const int32_t c = b.add("price_band", 1);
    for (int64_t r = 0; r < n; ++r) {
      const int32_t v = p.price_band[static_cast<size_t>(r)];
      b.at(r, c) = v < 0 ? kMissing : static_cast<float>(v);
    }
  }
  if (in.has("places.parquet:typical_time_slot")) {
    int32_t slots = 0;
    for (int32_t v : p.time_slot) slots = std::max(slots, v + 1);
    if (slots > 0) {
      const int32_t c = b.add("time_slot", slots);
      for (int64_t r = 0; r < n; ++r)
        if (p.time_slot[static_cast<size_t>(r)] >= 0)
          b.at(r, c + p.time_slot[static_cast<size_t>(r)]) = 1;
    }
  }
  if (in.has("places.parquet:lat") && in.has("places.parquet:lon")) {
    add_scalar(b, "lat", p.lat);
    add_scalar(b, "lon", p.lon);
  }
  add_train_stats(b, train_stats(train, train.place, n), "train_log_popularity", false);
  return b.finish();
}

}  // namespace recsys::graph
