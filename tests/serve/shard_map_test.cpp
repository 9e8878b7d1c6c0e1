// The router's nginx maps for city shards (shard_map.h): every city to its shard, every user
// with a home city in a shard to that shard; bad shard lists are refused.
#include "recsys/serve/shard_map.h"

#include <gtest/gtest.h>

#include <sstream>

#include "recsys/core/error.h"
#include "serve_fixture.h"

namespace recsys::serve {
namespace {

const graph::GraphArtifact& fixture_graph() {
  static const auto g = graph::GraphArtifact::open(testing::serving_workdir() / "graph");
  return g;
}

TEST(ShardMap, MapsCitiesAndHomeCities) {
  const recommend::PlaceCatalogue cat(fixture_graph());
  ASSERT_GE(cat.n_cities(), 3);
  const ShardMaps maps = nginx_shard_maps(cat, {{0}, {2, 1}}, "group");
  EXPECT_EQ(maps.cities, "0 group0;\n1 group1;\n2 group1;\n");
  std::istringstream users(maps.users);
  int64_t user = 0, lines = 0;
  std::string target;
  while (users >> user >> target) {
    const int32_t home = cat.home_city(cat.users().row(user));
    EXPECT_EQ(target, home == 0 ? "group0;" : "group1;") << "user " << user << " home city " << home;
    ++lines;
  }
  EXPECT_EQ(lines, maps.users_mapped);
  EXPECT_EQ(maps.users_mapped + maps.users_unmapped, cat.n_users());
  // A city in no shard: its users are left to the router's default.
  const ShardMaps part = nginx_shard_maps(cat, {{0}});
  EXPECT_EQ(part.cities, "0 shard0;\n");
  EXPECT_LT(part.users_mapped, cat.n_users());
  EXPECT_GT(part.users_unmapped, 0);
}

TEST(ShardMap, RefusesBadShards) {
  const recommend::PlaceCatalogue cat(fixture_graph());
  EXPECT_THROW(nginx_shard_maps(cat, {}), ConfigError);
  EXPECT_THROW(nginx_shard_maps(cat, {{0}, {}}), ConfigError);
  EXPECT_THROW(nginx_shard_maps(cat, {{0, 1}, {1}}), ConfigError);
  EXPECT_THROW(nginx_shard_maps(cat, {{0}, {1000}}), NotFound);
}

TEST(ShardMap, ParsesCityLists) {
  EXPECT_EQ(parse_city_list("0,5,12", "--shard"), (std::vector<int32_t>{0, 5, 12}));
  EXPECT_EQ(parse_city_list("3", "--shard"), (std::vector<int32_t>{3}));
  for (const char* bad : {"", "1,,2", "-1", "a", "1,", "2x"}) {
    try {
      parse_city_list(bad, "--shard");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("--shard"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace recsys::serve
