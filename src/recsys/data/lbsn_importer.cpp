#include "recsys/data/lbsn_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/data/id_range.h"
#include "recsys/data/import_output.h"
#include "recsys/data/interaction_split.h"
#include "recsys/data/lbsn_folder.h"
#include "recsys/data/line_reader.h"
#include "recsys/data/split_pair_index.h"

namespace recsys::data {

namespace fs = std::filesystem;

namespace {

constexpr double kMaxUnixSeconds = 1e11;  // year ~5138: anything larger is not a unix time

void expect_fields(const LineReader& r, const std::vector<std::string_view>& tokens, size_t n,
                   const char* layout) {
  if (tokens.size() != n)
    r.fail(fmt::format("expected {} fields ({}), found {}", n, layout, tokens.size()));
}

struct CheckIn {
  int32_t user, place;
  int64_t micros;
  uint8_t split;
};

// The most frequent value of a non-empty list (ties: the lowest value).
int32_t mode_of(std::vector<int32_t>& values) {
  std::sort(values.begin(), values.end());
  int32_t best = values[0];
  size_t best_n = 0;
  for (size_t i = 0; i < values.size();) {
    size_t j = i;
    while (j < values.size() && values[j] == values[i]) ++j;
    if (j - i > best_n) {
      best_n = j - i;
      best = values[i];
    }
    i = j;
  }
  return best;
}

// Everything read from the folder, cross-checked.
struct LbsnInput {
  IdRange users{"user id"}, places{"place id"}, categories{"category id"};
  std::vector<double> lat, lon;      // per place id
  std::vector<int64_t> coo_line;     // per place id: line in poi_coos.txt, 0 = none
  SplitPairIndex split_of;           // (user, place) -> split
  std::vector<int64_t> split_pairs;  // pairs per split file
  std::vector<CheckIn> checkins;
  std::vector<std::pair<int32_t, int32_t>> place_category;  // sorted, unique
  std::vector<std::pair<int32_t, int32_t>> friends;         // a < b, sorted, unique
  int64_t friendship_lines = 0;
};

void read_data_size(const fs::path& path, LbsnInput& in) {
  LineReader r(path);
  std::vector<std::string_view> tokens;
  if (!r.next(tokens)) r.fail("empty file (expected: n_users n_places [n_categories])");
  if (tokens.size() < 2 || tokens.size() > 3)
    r.fail(fmt::format("expected 2 or 3 fields (n_users, n_places[, n_categories]), found {}",
                       tokens.size()));
  const std::string name = path.filename().string();
  const int32_t nu = r.parse_id(tokens[0], "number of users");
  const int32_t np = r.parse_id(tokens[1], "number of places");
  in.users.declare(nu, fmt::format("{}: {} users", name, nu));
  in.places.declare(np, fmt::format("{}: {} places", name, np));
  if (tokens.size() == 3) {
    const int32_t nc = r.parse_id(tokens[2], "number of categories");
    in.categories.declare(nc, fmt::format("{}: {} categories", name, nc));
  }
  if (r.next(tokens)) r.fail("unexpected second line");
}

void read_coordinates(const fs::path& path, LbsnInput& in) {
  LineReader r(path);
  std::vector<std::string_view> tokens;
  while (r.next(tokens)) {
    expect_fields(r, tokens, 3, "place, latitude, longitude");
    const int32_t p = r.parse_id(tokens[0], "place id");
    in.places.add(p, r);
    const double la = r.parse_double(tokens[1], "latitude");
    const double lo = r.parse_double(tokens[2], "longitude");
    if (la < -90.0 || la > 90.0) r.fail(fmt::format("latitude {} is outside [-90, 90]", la));
    if (lo < -180.0 || lo > 180.0) r.fail(fmt::format("longitude {} is outside [-180, 180]", lo));
    const size_t i = static_cast<size_t>(p);
    if (i >= in.lat.size()) {
      in.lat.resize(i + 1, 0.0);
      in.lon.resize(i + 1, 0.0);
      in.coo_line.resize(i + 1, 0);
    }
    if (in.coo_line[i] != 0)
      r.fail(fmt::format("place {} already has coordinates (line {})", p, in.coo_line[i]));
    in.lat[i] = la;
    in.lon[i] = lo;
    in.coo_line[i] = r.line_number();
  }
}

void read_split_files(const LbsnFolder& files, LbsnInput& in) {
  std::vector<std::string_view> tokens;
  in.split_pairs.assign(files.splits.size(), 0);
  for (size_t s = 0; s < files.splits.size(); ++s) {
    LineReader r(files.splits[s].first);
    while (r.next(tokens)) {
      expect_fields(r, tokens, 3, "user, place, count");
      const int32_t u = r.parse_id(tokens[0], "user id");
      const int32_t p = r.parse_id(tokens[1], "place id");
      r.parse_count(tokens[2], "count");
      in.users.add(u, r);
      in.places.add(p, r);
      in.split_of.add(u, p, static_cast<uint8_t>(s), r.line_number());
      ++in.split_pairs[s];
    }
  }
  in.split_of.build(files.split_paths());
}

void read_checkins(const LbsnFolder& files, LbsnInput& in) {
  LineReader r(files.checkins);
  std::vector<std::string_view> tokens;
  while (r.next(tokens)) {
    expect_fields(r, tokens, 3, "user, place, unix time");
    const int32_t u = r.parse_id(tokens[0], "user id");
    const int32_t p = r.parse_id(tokens[1], "place id");
    const double t = r.parse_double(tokens[2], "unix time");
    in.users.add(u, r);
    in.places.add(p, r);
    if (t < 0 || t >= kMaxUnixSeconds)
      r.fail(fmt::format("unix time {} is out of range [0, 1e11) seconds", tokens[2]));
    SplitPairIndex::Entry* pair = in.split_of.find(u, p);
    if (!pair)
      r.fail(fmt::format("user {} checked in at place {}, but the pair is in no split file", u, p));
    ++pair->checkins;
    in.checkins.push_back({u, p, std::llround(t * 1e6), pair->split});
  }
  if (in.checkins.empty()) throw FormatError(files.checkins.string() + ": no check-ins");
  // Every split pair needs a check-in (report the first such line).
  const auto [user, pair] = in.split_of.first_without_checkins();
  if (pair)
    throw FormatError(fmt::format("{}:{}: user {} and place {} have no check-in in {}",
                                  files.splits[pair->split].first.string(), pair->line, user,
                                  pair->place, files.checkins.filename().string()));
}

void read_categories(const fs::path& path, LbsnInput& in) {
  LineReader r(path);
  std::vector<std::string_view> tokens;
  while (r.next(tokens)) {
    expect_fields(r, tokens, 2, "place, category");
    const int32_t p = r.parse_id(tokens[0], "place id");
    const int32_t c = r.parse_id(tokens[1], "category id");
    in.places.add(p, r);
    in.categories.add(c, r);
    in.place_category.emplace_back(p, c);
  }
  auto& pc = in.place_category;
  std::sort(pc.begin(), pc.end());
  pc.erase(std::unique(pc.begin(), pc.end()), pc.end());
}

void read_friendships(const fs::path& path, LbsnInput& in) {
  LineReader r(path);
  std::vector<std::string_view> tokens;
  while (r.next(tokens)) {
    expect_fields(r, tokens, 2, "user, user");
    const int32_t a = r.parse_id(tokens[0], "user id");
    const int32_t b = r.parse_id(tokens[1], "user id");
    in.users.add(a, r);
    in.users.add(b, r);
    if (a == b) r.fail(fmt::format("user {} is listed as a friend of itself", a));
    in.friends.emplace_back(std::min(a, b), std::max(a, b));
    ++in.friendship_lines;
  }
  std::sort(in.friends.begin(), in.friends.end());
  in.friends.erase(std::unique(in.friends.begin(), in.friends.end()), in.friends.end());
}

struct HomeLocations {
  std::vector<int32_t> city, neighborhood;
  std::vector<uint8_t> known;  // 0: no training check-in
};

// Per user: the most frequent city of the training check-ins, then the most frequent
// neighborhood within that city (ties: lower id). `checkins` sorted by user.
HomeLocations home_locations(const std::vector<CheckIn>& checkins, const LbsnFolder& files,
                             const GeoClusters& geo, int64_t n_users) {
  HomeLocations h;
  h.city.assign(static_cast<size_t>(n_users), 0);
  h.neighborhood.assign(static_cast<size_t>(n_users), 0);
  h.known.assign(static_cast<size_t>(n_users), 0);
  std::vector<int32_t> cities_seen, nbs_seen, in_city;
  for (size_t i = 0; i < checkins.size();) {
    size_t j = i;
    cities_seen.clear();
    nbs_seen.clear();
    for (; j < checkins.size() && checkins[j].user == checkins[i].user; ++j) {
      if (files.splits[checkins[j].split].second != std::string(kSplitTrain)) continue;
      const size_t p = static_cast<size_t>(checkins[j].place);
      cities_seen.push_back(geo.place_city[p]);
      nbs_seen.push_back(geo.place_neighborhood[p]);
    }
    if (!cities_seen.empty()) {
      const size_t u = static_cast<size_t>(checkins[i].user);
      h.city[u] = mode_of(cities_seen);
      in_city.clear();
      for (int32_t nb : nbs_seen)
        if (geo.neighborhood_city[static_cast<size_t>(nb)] == h.city[u]) in_city.push_back(nb);
      h.neighborhood[u] = mode_of(in_city);
      h.known[u] = 1;
    }
    i = j;
  }
  return h;
}

// "lbsn folder yelp-1k: check_ins.txt, ...": the inputs without the machine's paths.
std::string describe_source(const fs::path& input_dir, const LbsnFolder& files) {
  const fs::path folder = fs::absolute(input_dir).lexically_normal();
  std::string source =
      "lbsn folder " +
      (folder.has_filename() ? folder.filename() : folder.parent_path().filename()).string() +
      ": " + files.checkins.filename().string() + ", " + files.coos.filename().string();
  for (const auto& [path, label] : files.splits) source += ", " + path.filename().string();
  for (const fs::path* p : {&files.categories, &files.social, &files.data_size})
    if (!p->empty()) source += ", " + p->filename().string();
  return source;
}

}  // namespace

ImportSummary import_lbsn(const LbsnImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.input_dir.empty()) throw ConfigError("import lbsn: --input is required");
  if (options.output_dir.empty()) throw ConfigError("import lbsn: --output-dir is required");
  for (const auto& [value, flag] :
       {std::pair{options.geo.city_radius_km, "--city-radius-km"},
        std::pair{options.geo.neighborhood_radius_km, "--neighborhood-radius-km"}})
    if (!(value >= 0.01 && value <= 20000.0))
      throw ConfigError(
          fmt::format("import lbsn: {} must be in [0.01, 20000] km, not {}", flag, value));
  check_output_dir(options.output_dir, options.force, {options.input_dir});
  const LbsnFolder files = LbsnFolder::detect(options.input_dir);

  LbsnInput in;
  if (!files.data_size.empty()) read_data_size(files.data_size, in);
  read_coordinates(files.coos, in);
  read_split_files(files, in);
  read_checkins(files, in);
  if (!files.categories.empty()) read_categories(files.categories, in);
  if (!files.social.empty()) read_friendships(files.social, in);
  auto& checkins = in.checkins;
  auto& lat = in.lat;
  auto& lon = in.lon;
  const auto& place_category = in.place_category;
  const auto& friends = in.friends;

  const int64_t n_users = in.users.count_checked();
  const int64_t n_places = in.places.count_checked();
  for (int64_t p = 0; p < n_places; ++p)
    if (static_cast<size_t>(p) >= in.coo_line.size() || in.coo_line[static_cast<size_t>(p)] == 0)
      throw FormatError(fmt::format("{}: no coordinates for place {} (places are 0..{})",
                                    files.coos.string(), p, n_places - 1));

  // Cities and neighborhoods.
  lat.resize(static_cast<size_t>(n_places));
  lon.resize(static_cast<size_t>(n_places));
  const GeoClusters geo = cluster_places(lat, lon, options.geo);

  // Interactions sorted by user, time, place.
  std::stable_sort(checkins.begin(), checkins.end(), [](const CheckIn& a, const CheckIn& b) {
    if (a.user != b.user) return a.user < b.user;
    if (a.micros != b.micros) return a.micros < b.micros;
    return a.place < b.place;
  });

  // Home city / neighborhood: mode over each user's training check-ins.
  HomeLocations home = home_locations(checkins, files, geo, n_users);
  const int64_t users_without_home =
      n_users - std::accumulate(home.known.begin(), home.known.end(), int64_t{0});

  // Summary.
  ImportSummary summary;
  summary.format = "lbsn";
  summary.users = n_users;
  summary.items = n_places;
  summary.interactions = static_cast<int64_t>(checkins.size());
  summary.distinct_pairs = in.split_of.size();
  for (const char* label : {kSplitTrain, kSplitValid, kSplitTest}) {
    int64_t n = 0;
    bool present = false;
    for (size_t s = 0; s < files.splits.size(); ++s)
      if (files.splits[s].second == std::string(label)) {
        present = true;
        for (const auto& c : checkins) n += (c.split == s);
      }
    if (present) summary.interactions_by_split.emplace_back(std::string(label), n);
  }
  for (size_t s = 0; s < files.splits.size(); ++s)
    summary.extra.emplace_back(std::string("pairs ") + files.splits[s].second, in.split_pairs[s]);
  summary.extra.emplace_back("cities", static_cast<int64_t>(geo.city_places.size()));
  summary.extra.emplace_back("neighborhoods", static_cast<int64_t>(geo.neighborhood_city.size()));
  if (!files.categories.empty()) {
    summary.extra.emplace_back("categories", in.categories.count_checked());
    summary.extra.emplace_back("place-category pairs", static_cast<int64_t>(place_category.size()));
  }
  if (!files.social.empty())
    summary.extra.emplace_back("friendships", static_cast<int64_t>(friends.size()));
  summary.extra.emplace_back("users without train", users_without_home);

  // Write.
  const std::string source = describe_source(options.input_dir, files);
  ImportOutput out(options.output_dir, options.force, "lbsn", source,
                   fmt::format("city_radius_km={} neighborhood_radius_km={}",
                               options.geo.city_radius_km, options.geo.neighborhood_radius_km));
  using parquet::ColumnType;
  {
    parquet::Schema schema{{{"user_id", ColumnType::Int32, false},
                            {"place_id", ColumnType::Int32, false},
                            {"timestamp", ColumnType::TimestampMicros, true},
                            {"attended", ColumnType::Bool, false},
                            {"split", ColumnType::String, false}}};
    const size_t n = checkins.size();
    std::vector<int32_t> u(n), p(n);
    std::vector<int64_t> t(n);
    std::vector<std::string> split(n);
    for (size_t i = 0; i < n; ++i) {
      u[i] = checkins[i].user;
      p[i] = checkins[i].place;
      t[i] = checkins[i].micros;
      split[i] = files.splits[checkins[i].split].second;
    }
    std::vector<parquet::Column> columns;
    columns.push_back(int32_column(std::move(u)));
    columns.push_back(int32_column(std::move(p)));
    columns.push_back(timestamp_column(std::move(t), std::vector<uint8_t>(n, 1)));
    columns.push_back(bool_column(std::vector<uint8_t>(n, 1)));
    columns.push_back(string_column(std::move(split)));
    out.write("interactions", schema, make_batch(schema, std::move(columns)));
  }
  {
    parquet::Schema schema{{{"place_id", ColumnType::Int32, false},
                            {"city_id", ColumnType::Int32, false},
                            {"neighborhood_id", ColumnType::Int32, false},
                            {"lat", ColumnType::Double, false},
                            {"lon", ColumnType::Double, false}}};
    std::vector<parquet::Column> columns;
    columns.push_back(int32_column(iota_ids(n_places)));
    columns.push_back(int32_column(geo.place_city));
    columns.push_back(int32_column(geo.place_neighborhood));
    columns.push_back(double_column(lat));
    columns.push_back(double_column(lon));
    if (!files.categories.empty()) {
      schema.fields.push_back({"category_ids", ColumnType::ListInt32, false});
      std::vector<int64_t> offsets(static_cast<size_t>(n_places) + 1, 0);
      std::vector<int32_t> values;
      values.reserve(place_category.size());
      size_t k = 0;
      for (int64_t pl = 0; pl < n_places; ++pl) {
        for (; k < place_category.size() && place_category[k].first == pl; ++k)
          values.push_back(place_category[k].second);
        offsets[static_cast<size_t>(pl) + 1] = static_cast<int64_t>(values.size());
      }
      columns.push_back(list_int32_column(std::move(offsets), std::move(values)));
    }
    out.write("places", schema, make_batch(schema, std::move(columns)));
  }
  {
    parquet::Schema schema{{{"user_id", ColumnType::Int32, false},
                            {"home_city_id", ColumnType::Int32, true},
                            {"home_neighborhood_id", ColumnType::Int32, true}}};
    out.write(
        "users", schema,
        make_batch(schema, {int32_column(iota_ids(n_users)),
                            nullable_int32_column(std::move(home.city), home.known),
                            nullable_int32_column(std::move(home.neighborhood), home.known)}));
  }
  {
    parquet::Schema schema{{{"city_id", ColumnType::Int32, false},
                            {"weight", ColumnType::Double, false},
                            {"lat", ColumnType::Double, false},
                            {"lon", ColumnType::Double, false},
                            {"n_places", ColumnType::Int32, false},
                            {"n_neighborhoods", ColumnType::Int32, false}}};
    const size_t n = geo.city_places.size();
    std::vector<double> weight(n);
    for (size_t c = 0; c < n; ++c)
      weight[c] = static_cast<double>(geo.city_places[c]) / static_cast<double>(n_places);
    out.write("cities", schema,
              make_batch(schema, {int32_column(iota_ids(static_cast<int64_t>(n))),
                                  double_column(std::move(weight)), double_column(geo.city_lat),
                                  double_column(geo.city_lon), int32_column(geo.city_places),
                                  int32_column(geo.city_neighborhoods)}));
  }
  {
    parquet::Schema schema{{{"neighborhood_id", ColumnType::Int32, false},
                            {"city_id", ColumnType::Int32, false},
                            {"weight", ColumnType::Double, false},
                            {"lat", ColumnType::Double, false},
                            {"lon", ColumnType::Double, false},
                            {"n_places", ColumnType::Int32, false}}};
    const size_t n = geo.neighborhood_city.size();
    std::vector<double> weight(n);
    for (size_t k = 0; k < n; ++k) {
      const size_t c = static_cast<size_t>(geo.neighborhood_city[k]);
      weight[k] =
          static_cast<double>(geo.neighborhood_places[k]) / static_cast<double>(geo.city_places[c]);
    }
    out.write("neighborhoods", schema,
              make_batch(schema,
                         {int32_column(iota_ids(static_cast<int64_t>(n))),
                          int32_column(geo.neighborhood_city), double_column(std::move(weight)),
                          double_column(geo.neighborhood_lat), double_column(geo.neighborhood_lon),
                          int32_column(geo.neighborhood_places)}));
  }
  if (!files.social.empty()) {
    parquet::Schema schema{
        {{"user_a", ColumnType::Int32, false}, {"user_b", ColumnType::Int32, false}}};
    std::vector<int32_t> a(friends.size()), b(friends.size());
    for (size_t i = 0; i < friends.size(); ++i) {
      a[i] = friends[i].first;
      b[i] = friends[i].second;
    }
    out.write("user_user_edges", schema,
              make_batch(schema, {int32_column(std::move(a)), int32_column(std::move(b))}));
  }
  out.commit();
  if (in.friendship_lines != static_cast<int64_t>(friends.size()))
    log_info(fmt::format("{}: {} friendship lines, {} distinct friendships (duplicates dropped)",
                         files.social.string(), in.friendship_lines, friends.size()));
  summary.output_dir = out.target();
  summary.files = out.files();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace recsys::data
