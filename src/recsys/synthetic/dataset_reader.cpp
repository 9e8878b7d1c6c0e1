#include "recsys/synthetic/dataset_reader.h"

#include "recsys/core/error.h"
#include "recsys/io/parquet/reader.h"
#include "recsys/synthetic/generator.h"

namespace recsys::synthetic {

namespace {

template <class T>
std::vector<T> widen(const std::vector<int32_t>& v) {
  return std::vector<T>(v.begin(), v.end());
}

// Copies a list column of fixed width into a dense row-major matrix.
std::vector<float> dense(const parquet::Column& c, size_t rows, size_t width,
                         const std::string& what) {
  if (c.offsets.size() != rows + 1)
    throw FormatError(what + ": list column has the wrong number of rows");
  for (size_t r = 0; r < rows; ++r) {
    if (static_cast<size_t>(c.offsets[r + 1] - c.offsets[r]) != width)
      throw FormatError(what + ": row " + std::to_string(r) + " has " +
                        std::to_string(c.offsets[r + 1] - c.offsets[r]) + " values, expected " +
                        std::to_string(width));
  }
  return std::vector<float>(c.f32.begin() + c.offsets[0], c.f32.begin() + c.offsets[rows]);
}

std::vector<int64_t> rebased(const std::vector<int64_t>& offsets) {
  std::vector<int64_t> out(offsets);
  const int64_t base = offsets.empty() ? 0 : offsets.front();
  for (auto& o : out) o -= base;
  return out;
}

}  // namespace

SyntheticConfig read_generation_config(const std::filesystem::path& file) {
  const parquet::Reader reader(file);
  const auto version = reader.metadata(kMetaSchemaVersion);
  if (!version)
    throw FormatError(file.string() + ": no '" + std::string(kMetaSchemaVersion) +
                      "' metadata (not written by recsys generate?)");
  if (*version != std::to_string(SyntheticConfig::kSchemaVersion))
    throw FormatError(file.string() + ": schema version " + *version +
                      ", this program reads version " +
                      std::to_string(SyntheticConfig::kSchemaVersion));
  const auto toml = reader.metadata(kMetaConfig);
  if (!toml) throw FormatError(file.string() + ": no '" + std::string(kMetaConfig) + "' metadata");
  SyntheticConfig config;
  try {
    config.apply_toml_string(*toml, file.string() + " metadata");
    config.validate();
  } catch (const ConfigError& e) {
    throw FormatError(file.string() + ": invalid generation config in metadata: " + e.what());
  }
  return config;
}

UserTable read_users(const std::filesystem::path& path, const SyntheticConfig& config) {
  const parquet::Reader reader(path);
  const auto b = reader.read_all();
  const size_t n = b.num_rows();
  const std::string where = path.string();
  UserTable t;
  t.n_categories = config.n_categories;
  t.n_tags = config.n_tags();
  t.user_id = b.column("user_id").i32;
  t.home_city_id = b.column("home_city_id").i32;
  t.home_neighborhood_id = b.column("home_neighborhood_id").i32;
  t.home_lat = b.column("home_lat").f64;
  t.home_lon = b.column("home_lon").f64;
  const auto& freq = b.column("frequent_neighborhood_ids");
  t.frequent_offsets = rebased(freq.offsets);
  t.frequent_neighborhood_ids = freq.i32;
  t.category_pref = dense(b.column("category_pref"), n, static_cast<size_t>(t.n_categories),
                          where + " category_pref");
  t.tag_pref = dense(b.column("tag_pref"), n, static_cast<size_t>(t.n_tags), where + " tag_pref");
  const auto& vibes = b.column("vibe_ids");
  t.vibe_offsets = rebased(vibes.offsets);
  t.vibe_ids = vibes.i32;
  t.sessions = b.column("sessions").i32;
  t.views_per_session = b.column("views_per_session").f32;
  t.like_rate = b.column("like_rate").f32;
  t.save_rate = b.column("save_rate").f32;
  t.share_rate = b.column("share_rate").f32;
  t.attend_rate = b.column("attend_rate").f32;
  for (size_t i = 0; i < n; ++i) {
    if (t.user_id[i] != static_cast<int32_t>(i))
      throw FormatError(where + ": row " + std::to_string(i) + " has user_id " +
                        std::to_string(t.user_id[i]) + ", expected ids 0..N-1 in order");
    if (t.home_city_id[i] < 0 || t.home_city_id[i] >= config.n_cities)
      throw FormatError(where + ": row " + std::to_string(i) + ": home_city_id out of range");
  }
  return t;
}

PlaceTable read_places(const std::filesystem::path& path, const SyntheticConfig& config) {
  const parquet::Reader reader(path);
  const auto b = reader.read_all();
  const size_t n = b.num_rows();
  const std::string where = path.string();
  PlaceTable t;
  t.n_tags = config.n_tags();
  t.place_id = b.column("place_id").i32;
  t.city_id = b.column("city_id").i32;
  t.neighborhood_id = b.column("neighborhood_id").i32;
  t.lat = b.column("lat").f64;
  t.lon = b.column("lon").f64;
  const auto& cats = b.column("category_ids");
  t.category_offsets = rebased(cats.offsets);
  t.category_ids = cats.i32;
  const auto& tags = b.column("tag_ids");
  t.tag_offsets = rebased(tags.offsets);
  t.tag_ids = tags.i32;
  const auto vectors =
      dense(b.column("tag_vector"), n, static_cast<size_t>(t.n_tags), where + " tag_vector");
  for (size_t p = 0; p < n; ++p) {
    for (int64_t i = t.tag_offsets[p]; i < t.tag_offsets[p + 1]; ++i) {
      const int32_t tag = t.tag_ids[static_cast<size_t>(i)];
      if (tag < 0 || tag >= t.n_tags)
        throw FormatError(where + ": row " + std::to_string(p) + ": tag id " + std::to_string(tag) +
                          " out of range");
      t.tag_weights.push_back(
          vectors[p * static_cast<size_t>(t.n_tags) + static_cast<size_t>(tag)]);
    }
  }
  t.price_band = b.column("price_band").i32;
  t.time_slot = b.column("typical_time_slot").i32;
  t.popularity = b.column("popularity").f32;
  for (size_t i = 0; i < n; ++i) {
    if (t.place_id[i] != static_cast<int32_t>(i))
      throw FormatError(where + ": row " + std::to_string(i) + " has place_id " +
                        std::to_string(t.place_id[i]) + ", expected ids 0..N-1 in order");
    if (t.city_id[i] < 0 || t.city_id[i] >= config.n_cities ||
        t.neighborhood_id[i] / config.neighborhoods_per_city != t.city_id[i])
      throw FormatError(where + ": row " + std::to_string(i) +
                        ": city or neighborhood out of range");
  }
  return t;
}

}  // namespace recsys::synthetic
