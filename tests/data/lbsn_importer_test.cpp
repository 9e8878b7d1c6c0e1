// `import lbsn`: a small hand-made folder (exact rows), malformed inputs
// (file:line errors, nothing written) and the real yelp-1k / gowalla-1k subsets.
#include "recsys/data/lbsn_importer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "import_test_files.h"
#include "recsys/core/error.h"
#include "recsys/data/geo_clustering.h"

namespace recsys::data {
namespace {

using namespace testing;

const std::map<std::string, std::string> kSmallFolder = {
    {"data_size.txt", "3\t4\t3\n"},
    {"poi_coos.txt", "0\t40.0\t-80.0\n1\t40.01\t-80.0\n2\t33.4\t-112.0\n3\t33.41\t-112.0\n"},
    {"check_ins.txt",
     "0\t0\t1000.0\n0\t0\t2000.0\n0\t1\t1500.0\n0\t2\t3000.0\n1\t2\t100.0\n1\t3\t200.0\n"
     "2\t1\t50.0\n2\t3\t60.0\n"},
    {"train.txt", "0\t0\t2\n0\t1\t1\n1\t2\t1\n2\t1\t1\n"},
    {"tune.txt", "0\t2\t1\n"},
    {"test.txt", "1\t3\t1\n2\t3\t1\n"},
    {"poi_categories.txt", "0\t0\n0\t1\n1\t1\n2\t2\n3\t2\n0\t0\n"},
    {"social_relations.txt", "0\t1\n1\t0\n1\t2\n"},
};

fs::path make_folder(const std::string& name,
                     const std::map<std::string, std::string>& changes = {}) {
  const fs::path dir = fresh_dir(name);
  auto files = kSmallFolder;
  for (const auto& [file, text] : changes) files[file] = text;
  for (const auto& [file, text] : files)
    if (text != "<absent>") write_file(dir / "in" / file, text);
  return dir;
}

LbsnImportOptions options_for(const fs::path& dir) {
  LbsnImportOptions o;
  o.input_dir = dir / "in";
  o.output_dir = dir / "out";
  return o;
}

TEST(LbsnImporter, SmallFolderGivesTheExpectedTables) {
  const fs::path dir = make_folder("lbsn_small");
  const auto s = import_lbsn(options_for(dir));
  EXPECT_EQ(s.users, 3);
  EXPECT_EQ(s.items, 4);
  EXPECT_EQ(s.interactions, 8);
  EXPECT_EQ(s.distinct_pairs, 7);
  EXPECT_EQ(s.interactions_by_split, (std::vector<std::pair<std::string, int64_t>>{
                                         {"train", 5}, {"valid", 1}, {"test", 2}}));
  const fs::path out = dir / "out";
  EXPECT_EQ(list_files(out), (std::vector<std::string>{
                                 "cities.parquet", "interactions.parquet", "neighborhoods.parquet",
                                 "places.parquet", "user_user_edges.parquet", "users.parquet"}));

  const auto t = read_table(out / "interactions.parquet");
  EXPECT_EQ(t.names,
            (std::vector<std::string>{"user_id", "place_id", "timestamp", "attended", "split"}));
  EXPECT_EQ(t.column("user_id").i32, (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(t.column("place_id").i32, (std::vector<int32_t>{0, 1, 0, 2, 2, 3, 1, 3}));
  EXPECT_EQ(t.column("timestamp").i64,
            (std::vector<int64_t>{1000000000, 1500000000, 2000000000, 3000000000, 100000000,
                                  200000000, 50000000, 60000000}));
  EXPECT_EQ(t.column("attended").b8, std::vector<uint8_t>(8, 1));
  EXPECT_EQ(t.column("split").str, (std::vector<std::string>{"train", "train", "train", "valid",
                                                             "train", "test", "train", "test"}));

  const auto p = read_table(out / "places.parquet");
  EXPECT_EQ(p.column("city_id").i32, (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(p.column("neighborhood_id").i32, (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(p.column("lat").f64, (std::vector<double>{40.0, 40.01, 33.4, 33.41}));
  EXPECT_EQ(p.column("category_ids").offsets, (std::vector<int64_t>{0, 2, 3, 4, 5}));
  EXPECT_EQ(p.column("category_ids").i32, (std::vector<int32_t>{0, 1, 1, 2, 2}));

  const auto u = read_table(out / "users.parquet");
  EXPECT_EQ(u.column("home_city_id").i32, (std::vector<int32_t>{0, 1, 0}));
  EXPECT_EQ(u.column("home_neighborhood_id").i32, (std::vector<int32_t>{0, 1, 0}));

  const auto e = read_table(out / "user_user_edges.parquet");
  EXPECT_EQ(e.column("user_a").i32, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(e.column("user_b").i32, (std::vector<int32_t>{1, 2}));

  const auto c = read_table(out / "cities.parquet");
  EXPECT_EQ(c.column("n_places").i32, (std::vector<int32_t>{2, 2}));
  EXPECT_NEAR(c.column("lat").f64[0], 40.005, 1e-6);
  EXPECT_NEAR(c.column("lon").f64[1], -112.0, 1e-9);
  const auto n = read_table(out / "neighborhoods.parquet");
  EXPECT_EQ(n.column("city_id").i32, (std::vector<int32_t>{0, 1}));

  parquet::Reader r(out / "places.parquet");
  EXPECT_EQ(r.metadata("recsys.importer"), "lbsn 1");
  EXPECT_EQ(r.metadata("recsys.table"), "places");
  const std::string source = r.metadata("recsys.source").value_or("");
  EXPECT_EQ(source.find(scratch().string()), std::string::npos) << "machine path in " << source;
  EXPECT_NE(source.find("check_ins.txt"), std::string::npos) << source;
}

TEST(LbsnImporter, UserWithoutTrainingCheckInsHasNoHomeAndGowallaLayoutWorks) {
  // Gowalla's layout: checkins.txt, no tune / categories / friends / data_size.
  const fs::path dir = make_folder("lbsn_gowalla_layout", {{"check_ins.txt", "<absent>"},
                                                           {"checkins.txt", "0\t0\t10\n1\t1\t20\n"},
                                                           {"train.txt", "0\t0\t1\n"},
                                                           {"test.txt", "1\t1\t1\n"},
                                                           {"tune.txt", "<absent>"},
                                                           {"poi_categories.txt", "<absent>"},
                                                           {"social_relations.txt", "<absent>"},
                                                           {"data_size.txt", "<absent>"}});
  const auto s = import_lbsn(options_for(dir));
  EXPECT_EQ(s.users, 2);
  EXPECT_EQ(s.items, 4);  // every place with coordinates
  EXPECT_EQ(list_files(dir / "out"),
            (std::vector<std::string>{"cities.parquet", "interactions.parquet",
                                      "neighborhoods.parquet", "places.parquet", "users.parquet"}));
  const auto u = read_table(dir / "out" / "users.parquet");
  EXPECT_FALSE(u.column("home_city_id").is_null(0));
  EXPECT_TRUE(u.column("home_city_id").is_null(1));
  EXPECT_TRUE(u.column("home_neighborhood_id").is_null(1));
  EXPECT_EQ(read_table(dir / "out" / "places.parquet").names,
            (std::vector<std::string>{"place_id", "city_id", "neighborhood_id", "lat", "lon"}));
}

TEST(LbsnImporter, MalformedInputsNameFileAndLineAndWriteNothing) {
  struct Case {
    std::string file, text;
    std::string where;  // "<file>:<line>" or just "<file>"
    std::string what;
  };
  const std::vector<Case> cases = {
      {"check_ins.txt", "0\t0\t1000.0\n0\t0\n", "check_ins.txt:2",
       "expected 3 fields (user, place, unix time), found 2"},
      {"check_ins.txt", "0\t0\tyesterday\n", "check_ins.txt:1", "unix time 'yesterday'"},
      {"check_ins.txt", "0\t0\t-5.0\n", "check_ins.txt:1", "unix time -5.0 is out of range"},
      {"check_ins.txt", "0\t0\t1.0\n3\t0\t1.0\n", "check_ins.txt:2",
       "user id 3 is out of the declared range 0..2 (data_size.txt: 3 users)"},
      {"check_ins.txt", "0\t0\t1\n0\t1\t1\n1\t2\t1\n2\t1\t1\n0\t2\t1\n1\t3\t1\n2\t3\t1\n1\t1\t9\n",
       "check_ins.txt:8", "user 1 checked in at place 1, but the pair is in no split file"},
      {"check_ins.txt", "0\t0\t1\n0\t1\t1\n1\t2\t1\n0\t2\t1\n1\t3\t1\n2\t3\t1\n", "train.txt:4",
       "user 2 and place 1 have no check-in"},
      {"poi_coos.txt", "0\t95.0\t-80.0\n", "poi_coos.txt:1", "latitude 95 is outside [-90, 90]"},
      {"poi_coos.txt", "0\t40.0\t-180.5\n", "poi_coos.txt:1", "longitude -180.5 is outside"},
      {"poi_coos.txt", "0\t40.0\n", "poi_coos.txt:1", "expected 3 fields"},
      {"poi_coos.txt", "0\t40.0\t-80.0\n1\t4O.0\t-80.0\n", "poi_coos.txt:2", "latitude '4O.0'"},
      {"poi_coos.txt", "0\t40.0\t-80.0\n0\t40.0\t-80.0\n", "poi_coos.txt:2",
       "place 0 already has coordinates (line 1)"},
      {"poi_coos.txt", "0\t40.0\t-80.0\n1\t40.01\t-80.0\n2\t33.4\t-112.0\n", "poi_coos.txt",
       "no coordinates for place 3"},
      {"test.txt", "1\t3\t1\n0\t0\t1\n", "test.txt:2",
       "user 0 and place 0 are already paired in train.txt:1"},
      {"train.txt", "0\t0\t2\n0\t1\t1\n0\t0\t1\n1\t2\t1\n2\t1\t1\n", "train.txt:3",
       "user 0 and place 0 are already paired in train.txt:1"},
      {"train.txt", "0\t0\t2\n0\t1\n", "train.txt:2", "expected 3 fields (user, place, count)"},
      {"train.txt", "0\t0\t-2\n", "train.txt:1", "count '-2' is negative"},
      {"poi_categories.txt", "0\t3\n", "poi_categories.txt:1",
       "category id 3 is out of the declared range 0..2"},
      {"poi_categories.txt", "7\t1\n", "poi_categories.txt:1",
       "place id 7 is out of the declared range"},
      {"social_relations.txt", "0\t1\n2\t2\n", "social_relations.txt:2",
       "user 2 is listed as a friend of itself"},
      {"social_relations.txt", "0\t1\t1\n", "social_relations.txt:1", "expected 2 fields"},
      {"data_size.txt", "3\n", "data_size.txt:1", "expected 2 or 3 fields"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const fs::path dir =
        make_folder("lbsn_bad" + std::to_string(i), {{cases[i].file, cases[i].text}});
    std::string message;
    try {
      import_lbsn(options_for(dir));
    } catch (const FormatError& e) {
      message = e.what();
    }
    const std::string where = (dir / "in" / cases[i].where).string() + ":";
    EXPECT_NE(message.find(where), std::string::npos) << "case " << i << ": " << message;
    EXPECT_NE(message.find(cases[i].what), std::string::npos) << "case " << i << ": " << message;
    EXPECT_FALSE(fs::exists(dir / "out")) << "case " << i;
    EXPECT_EQ(list_files(dir).size(), 1 + list_files(dir / "in").size()) << "case " << i;
  }
}

TEST(LbsnImporter, MissingOrAmbiguousFilesAndBadOptions) {
  {
    const fs::path dir = make_folder("lbsn_no_checkins", {{"check_ins.txt", "<absent>"}});
    EXPECT_THROW(import_lbsn(options_for(dir)), IoError);
  }
  {
    const fs::path dir = make_folder("lbsn_both", {{"checkins.txt", "0\t0\t1\n"}});
    EXPECT_THROW(import_lbsn(options_for(dir)), FormatError);
  }
  {
    const fs::path dir = make_folder("lbsn_no_coos", {{"poi_coos.txt", "<absent>"}});
    EXPECT_THROW(import_lbsn(options_for(dir)), IoError);
  }
  {
    const fs::path dir = make_folder("lbsn_radius");
    auto o = options_for(dir);
    o.geo.neighborhood_radius_km = 0;
    EXPECT_THROW(import_lbsn(o), ConfigError);
    EXPECT_FALSE(fs::exists(o.output_dir));
    o.geo.neighborhood_radius_km = 2;
    o.output_dir = o.input_dir;
    o.force = true;
    EXPECT_THROW(import_lbsn(o), ConfigError);
    EXPECT_TRUE(fs::exists(o.input_dir / "check_ins.txt"));
    o.output_dir = dir;  // the parent of the input folder
    EXPECT_THROW(import_lbsn(o), ConfigError);
    EXPECT_TRUE(fs::exists(o.input_dir / "check_ins.txt"));
  }
}

// Checks the cluster tables of an imported lbsn folder: every place has a valid city and
// neighborhood, neighborhoods belong to their place's city, and every place lies within
// 2 x radius of its cluster's centroid (members are within radius of the cluster's seed).
void check_clusters(const fs::path& out, double city_km, double nb_km) {
  const auto p = read_table(out / "places.parquet");
  const auto c = read_table(out / "cities.parquet");
  const auto n = read_table(out / "neighborhoods.parquet");
  const size_t n_cities = c.num_rows(), n_nbs = n.num_rows();
  std::vector<int32_t> city_count(n_cities, 0), nb_count(n_nbs, 0);
  double worst_city = 0, worst_nb = 0;
  for (size_t i = 0; i < p.num_rows(); ++i) {
    const int32_t city = p.column("city_id").i32[i], nb = p.column("neighborhood_id").i32[i];
    ASSERT_GE(city, 0);
    ASSERT_LT(static_cast<size_t>(city), n_cities);
    ASSERT_GE(nb, 0);
    ASSERT_LT(static_cast<size_t>(nb), n_nbs);
    ASSERT_EQ(n.column("city_id").i32[static_cast<size_t>(nb)], city) << "place " << i;
    ++city_count[static_cast<size_t>(city)];
    ++nb_count[static_cast<size_t>(nb)];
    const double lat = p.column("lat").f64[i], lon = p.column("lon").f64[i];
    worst_city = std::max(worst_city,
                          great_circle_km(lat, lon, c.column("lat").f64[static_cast<size_t>(city)],
                                          c.column("lon").f64[static_cast<size_t>(city)]));
    worst_nb =
        std::max(worst_nb, great_circle_km(lat, lon, n.column("lat").f64[static_cast<size_t>(nb)],
                                           n.column("lon").f64[static_cast<size_t>(nb)]));
  }
  EXPECT_LE(worst_city, 2 * city_km);
  EXPECT_LE(worst_nb, 2 * nb_km);
  EXPECT_EQ(city_count, c.column("n_places").i32);
  EXPECT_EQ(nb_count, n.column("n_places").i32);
  for (int32_t k : nb_count) EXPECT_GT(k, 0);
}

TEST(LbsnImporter, YelpSubsetCountsFriendshipsAndClusters) {
  LbsnImportOptions o;
  o.input_dir = shared_data() / "lbsn" / "yelp-1k";
  o.output_dir = fresh_dir("lbsn_yelp") / "a";
  const auto s = import_lbsn(o);
  EXPECT_EQ(s.users, 1000);
  EXPECT_EQ(s.items, 5255);
  EXPECT_EQ(s.interactions, 35571);                  // lines of check_ins.txt
  EXPECT_EQ(s.distinct_pairs, 23275 + 3217 + 7367);  // lines of train.txt + tune.txt + test.txt
  EXPECT_EQ(s.interactions_by_split, (std::vector<std::pair<std::string, int64_t>>{
                                         {"train", 24217}, {"valid", 3459}, {"test", 7895}}));

  const auto e = read_table(o.output_dir / "user_user_edges.parquet");
  ASSERT_EQ(e.num_rows(), 5666u);  // the README's 5,666 friendships
  std::set<std::pair<int32_t, int32_t>> edges;
  for (size_t i = 0; i < e.num_rows(); ++i) {
    const int32_t a = e.column("user_a").i32[i], b = e.column("user_b").i32[i];
    EXPECT_LT(a, b);
    EXPECT_GE(a, 0);
    EXPECT_LT(b, 1000);
    edges.insert({a, b});
  }
  EXPECT_EQ(edges.size(), 5666u);

  const auto p = read_table(o.output_dir / "places.parquet");
  std::set<int32_t> categories;
  int64_t pairs = 0;
  for (size_t i = 0; i < p.num_rows(); ++i) {
    const auto& col = p.column("category_ids");
    EXPECT_GT(col.offsets[i + 1], col.offsets[i]) << "place " << i << " has no category";
    for (int64_t k = col.offsets[i]; k < col.offsets[i + 1]; ++k)
      categories.insert(col.i32[static_cast<size_t>(k)]);
    pairs += col.offsets[i + 1] - col.offsets[i];
  }
  EXPECT_EQ(pairs, 16904);
  EXPECT_EQ(categories.size(), 425u);

  check_clusters(o.output_dir, o.geo.city_radius_km, o.geo.neighborhood_radius_km);
  // The subset's metro areas (Las Vegas, Phoenix, Pittsburgh, Charlotte, Montreal, Madison,
  // Champaign, Edinburgh) come out as the eight largest cities, far apart from each other.
  const auto c = read_table(o.output_dir / "cities.parquet");
  ASSERT_GE(c.num_rows(), 8u);
  std::vector<size_t> order(c.num_rows());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return c.column("n_places").i32[a] > c.column("n_places").i32[b];
  });
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_GE(c.column("n_places").i32[order[i]], 50);
    for (size_t j = 0; j < i; ++j)
      EXPECT_GT(great_circle_km(c.column("lat").f64[order[i]], c.column("lon").f64[order[i]],
                                c.column("lat").f64[order[j]], c.column("lon").f64[order[j]]),
                150.0);
  }
  const auto u = read_table(o.output_dir / "users.parquet");
  for (size_t i = 0; i < u.num_rows(); ++i) EXPECT_FALSE(u.column("home_city_id").is_null(i));

  // Byte-identical on a second run.
  const fs::path first = o.output_dir;
  o.output_dir = first.parent_path() / "b";
  import_lbsn(o);
  for (const auto& f : list_files(first))
    EXPECT_EQ(read_bytes(first / f), read_bytes(o.output_dir / f)) << f;
}

TEST(LbsnImporter, GowallaSubsetCountsAndClusters) {
  LbsnImportOptions o;
  o.input_dir = shared_data() / "lbsn" / "gowalla-1k";
  o.output_dir = fresh_dir("lbsn_gowalla") / "out";
  const auto s = import_lbsn(o);
  EXPECT_EQ(s.users, 1000);
  EXPECT_EQ(s.items, 24209);
  // checkins.txt has 157,251 lines (the last without a newline, so `wc -l` says 157,250).
  EXPECT_EQ(s.interactions, 157251);
  EXPECT_EQ(s.distinct_pairs, 73731 + 19114);
  // Gowalla's count column equals the pair's number of check-ins: the sums of train.txt / test.txt.
  EXPECT_EQ(s.interactions_by_split,
            (std::vector<std::pair<std::string, int64_t>>{{"train", 135042}, {"test", 22209}}));
  EXPECT_FALSE(fs::exists(o.output_dir / "user_user_edges.parquet"));
  check_clusters(o.output_dir, o.geo.city_radius_km, o.geo.neighborhood_radius_km);
}

}  // namespace
}  // namespace recsys::data
