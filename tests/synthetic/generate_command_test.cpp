// `recsys generate` and `recsys validate` end to end through the program:
// reproducibility across thread counts, seeds, atomic output, bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../common/cli_run.h"

namespace fs = std::filesystem;

namespace {

const fs::path& scratch() {  // removed with the process's scratch root at exit
  static const fs::path dir = recsys::testing::fresh_dir("generate");
  return dir;
}

int run(const std::string& args, const std::string& log_name = "log") {
  const std::string cmd = std::string(RECSYS_BINARY) + " " + args + " > " +
                          (scratch() / (log_name + ".out")).string() + " 2> " +
                          (scratch() / (log_name + ".err")).string();
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const char* kSmall = " --n-users 700 --n-places 500 --n-cities 5 -q";

const std::vector<std::string> kFiles = {
    "cities.parquet",          "neighborhoods.parquet", "tags.parquet",
    "places.parquet",          "users.parquet",         "interactions.parquet",
    "user_user_edges.parquet", "friend_labels.parquet", "ground_truth/oracle_top_places.parquet"};

}  // namespace

TEST(GenerateCommand, ThreadCountDoesNotChangeABitAndSeedChangesTheData) {
  const fs::path one = scratch() / "t1", two = scratch() / "t2", other = scratch() / "seed7";
  ASSERT_EQ(run("generate --output-dir " + one.string() + kSmall + " --threads 1"), 0)
      << read(scratch() / "log.err");
  ASSERT_EQ(run("generate --output_dir " + two.string() + kSmall + " --threads 2"), 0)
      << read(scratch() / "log.err");
  ASSERT_EQ(run("generate --output-dir " + other.string() + kSmall + " --seed 7"), 0);
  for (const auto& f : kFiles) {
    ASSERT_TRUE(fs::exists(one / f)) << f;
    EXPECT_EQ(read(one / f), read(two / f)) << f << " differs between --threads 1 and 2";
  }
  EXPECT_NE(read(one / "interactions.parquet"), read(other / "interactions.parquet"));
  EXPECT_NE(read(one / "users.parquet"), read(other / "users.parquet"));
  // Nothing but the data set in the parent folder: no temporary folders left.
  for (const auto& e : fs::directory_iterator(scratch()))
    EXPECT_EQ(e.path().filename().string().rfind(".", 0), std::string::npos) << e.path();
}

TEST(GenerateCommand, ExistingFolderIsRefusedWithoutForce) {
  const fs::path out = scratch() / "existing";
  fs::create_directories(out);
  std::ofstream(out / "keep.txt") << "mine";
  EXPECT_NE(run("generate --output-dir " + out.string() + kSmall, "refused"), 0);
  EXPECT_NE(read(scratch() / "refused.err").find("--force"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "keep.txt"));
  EXPECT_FALSE(fs::exists(out / "users.parquet"));
  ASSERT_EQ(run("generate --output-dir " + out.string() + kSmall + " --force"), 0);
  EXPECT_FALSE(fs::exists(out / "keep.txt"));
  EXPECT_TRUE(fs::exists(out / "users.parquet"));
}

TEST(GenerateCommand, BadInputWritesNothing) {
  const fs::path out = scratch() / "bad";
  EXPECT_NE(run("generate --output-dir " + out.string() + " --n-users 0", "bad1"), 0);
  EXPECT_NE(read(scratch() / "bad1.err").find("scale.n_users"), std::string::npos)
      << read(scratch() / "bad1.err");
  EXPECT_NE(run("generate --output-dir " + out.string() + " --n-users 10 --n-places 10", "bad2"),
            0);
  EXPECT_NE(read(scratch() / "bad2.err").find("social.top_k"), std::string::npos)
      << read(scratch() / "bad2.err");
  const fs::path config = scratch() / "bad.toml";
  std::ofstream(config) << "[interactions]\nout_of_city_share = 1.5\n";
  EXPECT_NE(run("generate --output-dir " + out.string() + " --config " + config.string(), "bad3"),
            0);
  EXPECT_NE(read(scratch() / "bad3.err").find("interactions.out_of_city_share"), std::string::npos);
  std::ofstream(config) << "[social]\nbogus = 1\n";
  EXPECT_NE(run("generate --output-dir " + out.string() + " --config " + config.string(), "bad4"),
            0);
  EXPECT_NE(read(scratch() / "bad4.err").find("social.bogus"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
}

TEST(ValidateCommand, PassesOnAGeneratedDataSetAndFailsOnAFolderThatIsNotOne) {
  const fs::path out = scratch() / "validated";
  ASSERT_EQ(run("generate --output-dir " + out.string() + " --n-users 1000 --n-places 1000 -q"), 0)
      << read(scratch() / "log.err");
  EXPECT_EQ(run("validate --data " + out.string() + " -q", "validate"), 0)
      << read(scratch() / "validate.out");
  const std::string report = read(scratch() / "validate.out");
  EXPECT_NE(report.find("[PASS] social edges connect similar users"), std::string::npos) << report;
  EXPECT_EQ(report.find("[FAIL]"), std::string::npos) << report;

  const fs::path empty = scratch() / "not_a_dataset";
  fs::create_directories(empty);
  EXPECT_NE(run("validate --data " + empty.string(), "validate_empty"), 0);
  EXPECT_NE(read(scratch() / "validate_empty.err").find("users.parquet"), std::string::npos);
}

TEST(GenerateCommand, SetOverridesAnyParameterAndPrintConfigShowsIt) {
  ASSERT_EQ(run("generate --print-config --set interactions.temperature=0.25 --set social.top_k=7",
                "print"),
            0);
  const std::string toml = read(scratch() / "print.out");
  EXPECT_NE(toml.find("temperature = 0.25"), std::string::npos);
  EXPECT_NE(toml.find("top_k = 7"), std::string::npos);
  EXPECT_NE(toml.find("# softmax temperature"), std::string::npos);  // documented
  EXPECT_NE(
      run("generate --output-dir " + (scratch() / "set_bad").string() + " --set social.nope=1",
          "set_bad"),
      0);
  EXPECT_NE(read(scratch() / "set_bad.err").find("social.nope"), std::string::npos);
  EXPECT_FALSE(fs::exists(scratch() / "set_bad"));
}
