// Sharded generation (`recsys generate --shard i/n`): for n = 1, 2, 3, 7 the
// union of the shards' part files holds exactly the rows a single run writes,
// the shared tables are the single run's, and `validate` passes on the folder
// (and fails when a shard is missing), and build-graph gives the same graph
// arrays. Plus the --shard flag's errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "../common/cli_run.h"
#include "recsys/core/error.h"
#include "recsys/io/parquet/table_files.h"
#include "recsys/synthetic/generator.h"
#include "recsys/synthetic/sharding.h"
#include "recsys/synthetic/validate.h"

using namespace recsys;
using namespace recsys::synthetic;
namespace fs = std::filesystem;

namespace {

SyntheticConfig small_config() {
  SyntheticConfig c;
  c.n_users = 1000;
  c.n_places = 1000;
  return c;
}

template <class T>
void put(std::string& row, const T& v) {
  row.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Every row of a table as bytes (all columns, exact values), sorted.
std::vector<std::string> sorted_rows(const fs::path& dir, const std::string& table) {
  const auto reader = parquet::TableReader::open_required(dir, table);
  const auto batch = reader.read_all();
  std::vector<std::string> rows(batch.num_rows());
  for (const auto& c : batch.columns) {
    for (size_t r = 0; r < rows.size(); ++r) {
      std::string& row = rows[r];
      row.push_back(c.is_null(r) ? '\0' : '\1');
      switch (c.type) {
        case parquet::ColumnType::Bool:
          put(row, c.b8[r]);
          break;
        case parquet::ColumnType::Int64:
        case parquet::ColumnType::TimestampMicros:
          put(row, c.i64[r]);
          break;
        case parquet::ColumnType::Float:
          put(row, c.f32[r]);
          break;
        case parquet::ColumnType::Double:
          put(row, c.f64[r]);
          break;
        case parquet::ColumnType::String:
          row += c.str[r] + '\0';
          break;
        case parquet::ColumnType::ListInt32:
          for (auto i = c.offsets[r]; i < c.offsets[r + 1]; ++i) put(row, c.i32[size_t(i)]);
          row.push_back('|');
          break;
        case parquet::ColumnType::ListFloat:
          for (auto i = c.offsets[r]; i < c.offsets[r + 1]; ++i) put(row, c.f32[size_t(i)]);
          row.push_back('|');
          break;
        default:
          put(row, c.i32[r]);
      }
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

const std::vector<std::string> kPerUserTables = {"interactions", "user_user_edges", "friend_labels",
                                                 "ground_truth/oracle_top_places"};
const std::vector<std::string> kSharedTables = {"cities", "neighborhoods", "tags", "places",
                                                "users"};

const fs::path& single_run() {
  static const fs::path dir = [] {
    const fs::path d = recsys::testing::fresh_dir("single") / "data";
    generate_dataset(small_config(), d, false);
    return d;
  }();
  return dir;
}

fs::path sharded_run(int n) {
  const fs::path d = recsys::testing::fresh_dir("sharded-" + std::to_string(n));
  for (int i = 0; i < n; ++i) generate_shard(small_config(), d, ShardSpec{i, n}, false);
  return d;
}

}  // namespace

class ShardedGeneration : public ::testing::TestWithParam<int> {};

TEST_P(ShardedGeneration, UnionOfShardsEqualsTheSingleRunAndValidates) {
  const int n = GetParam();
  const fs::path sharded = sharded_run(n);
  for (const auto& table : kPerUserTables) {
    const auto files = parquet::table_files(sharded, table);
    ASSERT_EQ(files.size(), static_cast<size_t>(n)) << table;
    EXPECT_EQ(files.back().filename().string(), parquet::part_file_name(n - 1));
    const auto expected = sorted_rows(single_run(), table);
    ASSERT_FALSE(expected.empty()) << table;
    const auto got = sorted_rows(sharded, table);
    EXPECT_EQ(got.size(), expected.size()) << table << " with " << n << " shards";
    EXPECT_TRUE(got == expected) << table << " with " << n << " shards: rows differ";
  }
  for (const auto& table : kSharedTables) {
    EXPECT_TRUE(fs::is_regular_file(sharded / (table + ".parquet"))) << table;
    EXPECT_TRUE(sorted_rows(sharded, table) == sorted_rows(single_run(), table)) << table;
  }
  const auto report = validate_dataset(sharded);
  for (const auto& c : report.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.measured;
  const bool has_shard_check =
      std::any_of(report.checks.begin(), report.checks.end(),
                  [](const auto& c) { return c.name == "sharded tables hold every shard"; });
  EXPECT_TRUE(has_shard_check);
}

INSTANTIATE_TEST_SUITE_P(Shards, ShardedGeneration, ::testing::Values(1, 2, 3, 7));

TEST(ShardedGenerationFolder, BuildGraphGivesTheSameArraysAsFromTheSingleRun) {
  const fs::path sharded = sharded_run(3);
  const fs::path logs = recsys::testing::fresh_dir("sharded-graph");
  ASSERT_EQ(recsys::testing::run_recsys("build-graph --data " + single_run().string() +
                                            " --output " + (logs / "g1").string() + " -q",
                                        logs),
            0)
      << recsys::testing::read_text(logs / "log.err");
  ASSERT_EQ(recsys::testing::run_recsys("build-graph --data " + sharded.string() + " --output " +
                                            (logs / "g3").string() + " -q",
                                        logs),
            0)
      << recsys::testing::read_text(logs / "log.err");
  int arrays = 0;
  for (const auto& entry : fs::directory_iterator(logs / "g1")) {
    if (entry.path().extension() != ".bin") continue;
    ++arrays;
    const fs::path other = logs / "g3" / entry.path().filename();
    EXPECT_TRUE(recsys::testing::read_text(entry.path()) == recsys::testing::read_text(other))
        << entry.path().filename() << " differs";
  }
  EXPECT_GT(arrays, 10);
}

TEST(ShardedGenerationFolder, AMissingShardFailsValidateAndARerunNeedsForce) {
  const fs::path d = recsys::testing::fresh_dir("sharded-missing");
  generate_shard(small_config(), d, ShardSpec{0, 3}, false);
  generate_shard(small_config(), d, ShardSpec{2, 3}, false);
  const auto report = validate_dataset(d);
  bool found = false;
  for (const auto& c : report.checks) {
    if (c.name != "sharded tables hold every shard") continue;
    found = true;
    EXPECT_FALSE(c.passed);
    EXPECT_NE(c.measured.find("shard 1 of 3 is missing"), std::string::npos) << c.measured;
  }
  EXPECT_TRUE(found);
  EXPECT_THROW(generate_shard(small_config(), d, ShardSpec{2, 3}, false), IoError);
  EXPECT_NO_THROW(generate_shard(small_config(), d, ShardSpec{2, 3}, true));
}

TEST(ShardSpec, ParsesIOverNAndRejectsBadValuesNamingTheFlag) {
  const auto s = parse_shard_spec("2/7");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 7);
  for (const char* bad : {"3/3", "0/0", "-1/2", "1", "a/2", "1/2x", "", "/", "1/-2"}) {
    try {
      parse_shard_spec(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("--shard"), std::string::npos) << e.what();
    }
  }
}

TEST(ShardSpec, CitiesGoToTheLightestShardAndEveryUserToExactlyOne) {
  const auto config = small_config();
  const auto d = generate_in_memory(config);
  const auto city_shard = assign_cities_to_shards(d.users, config.n_cities, 3);
  size_t total = 0;
  std::vector<size_t> sizes;
  for (int s = 0; s < 3; ++s) {
    sizes.push_back(shard_user_rows(d.users, city_shard, s).size());
    total += sizes.back();
  }
  EXPECT_EQ(total, d.users.size());
  // Greedy, largest city first, to the lightest shard: no shard exceeds an even share by more
  // than one city, and none is empty (10 cities for 3 shards).
  std::vector<size_t> city_size(static_cast<size_t>(config.n_cities), 0);
  for (const int32_t c : d.users.home_city_id) ++city_size[static_cast<size_t>(c)];
  const size_t largest_city = *std::max_element(city_size.begin(), city_size.end());
  EXPECT_LE(*std::max_element(sizes.begin(), sizes.end()), total / 3 + largest_city);
  EXPECT_GT(*std::min_element(sizes.begin(), sizes.end()), 0u);
  // Deterministic: the same profiles give the same assignment.
  EXPECT_EQ(city_shard, assign_cities_to_shards(d.users, config.n_cities, 3));
}

TEST(ShardSpec, ANegativePairHasExactlyOneDesignatedDrawer) {
  for (int32_t a = 0; a < 50; ++a)
    for (int32_t b = a + 1; b < 50; ++b)
      EXPECT_NE(is_designated_drawer(42, a, b), is_designated_drawer(42, b, a));
}

TEST(GenerateShardFlag, BadValuesAreConfigErrorsNamingTheFlag) {
  const fs::path logs = recsys::testing::fresh_dir("shard-flag");
  for (const char* bad : {"4/4", "0/0", "x", "1/"}) {
    const int rc =
        recsys::testing::run_recsys("generate --output-dir " + (logs / "out").string() +
                                        " --n-users 50 --n-places 50 -q --shard '" + bad + "'",
                                    logs);
    EXPECT_NE(rc, 0) << bad;
    EXPECT_NE(recsys::testing::read_text(logs / "log.err").find("--shard"), std::string::npos)
        << bad << ": " << recsys::testing::read_text(logs / "log.err");
  }
  EXPECT_FALSE(fs::exists(logs / "out"));
}
