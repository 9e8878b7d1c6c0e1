// `recsys import cf|lbsn` through the program: summary, exit codes, one-line
// errors naming file:line, nothing written on error, --force.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "import_test_files.h"

namespace recsys::data {
namespace {

using namespace testing;

struct Result {
  int code;
  std::string out, err;
};

Result run(const std::string& args) {
  const fs::path out = scratch() / "cmd.out", err = scratch() / "cmd.err";
  const std::string cmd =
      std::string(RECSYS_BINARY) + " " + args + " > " + out.string() + " 2> " + err.string();
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_bytes(out), read_bytes(err)};
}

// Removes the scratch folder of this process at the end.
class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override { fs::remove_all(scratch()); }
};
const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

TEST(ImportCommand, CfPrintsASummaryAndRefusesToOverwrite) {
  const fs::path dir = fresh_dir("cmd_cf");
  write_file(dir / "train.txt", "0 1 2\r\n1 2 \r\n\r\n2\r\n");
  write_file(dir / "test.txt", "0 3\n1 0\n");
  const std::string args = "import cf --train " + (dir / "train.txt").string() + " --test " +
                           (dir / "test.txt").string() + " --output-dir " + (dir / "out").string();
  auto r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("users"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("interactions train"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("density"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir / "out" / "interactions.parquet"));

  r = run(args);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  r = run(args + " --force --log-format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["users"], 3);
  EXPECT_EQ(j["items"], 4);
  EXPECT_EQ(j["interactions_by_split"]["train"], 3);
  EXPECT_EQ(j["interactions_by_split"]["test"], 2);
  EXPECT_DOUBLE_EQ(j["density"].get<double>(), 5.0 / 12.0);
}

TEST(ImportCommand, CfMalformedLineIsOneLineOnStderrAndNothingIsWritten) {
  const fs::path dir = fresh_dir("cmd_cf_bad");
  write_file(dir / "train.txt", "0 1 2\n1 2 x3\n");
  write_file(dir / "test.txt", "0 3\n");
  const auto r = run("import cf --train " + (dir / "train.txt").string() + " --test " +
                     (dir / "test.txt").string() + " --output-dir " + (dir / "out" / "t").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "recsys: error: " + (dir / "train.txt").string() +
                       ":2: item id 'x3' is not a non-negative integer\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_EQ(run("import cf --train " + (dir / "train.txt").string() + " --output-dir x").code, 106)
      << "missing --test is a usage error";
  EXPECT_NE(
      run("import cf --train a --test b --output-dir " + (dir / "o2").string() + " --valid-as nope")
          .code,
      0);
}

TEST(ImportCommand, LbsnYelpImportsWithJsonSummary) {
  const fs::path dir = fresh_dir("cmd_lbsn");
  const auto r = run("import lbsn --input " + (shared_data() / "lbsn" / "yelp-1k").string() +
                     " --output-dir " + (dir / "yelp").string() + " --log-format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "lbsn");
  EXPECT_EQ(j["users"], 1000);
  EXPECT_EQ(j["items"], 5255);
  EXPECT_EQ(j["friendships"], 5666);
  EXPECT_EQ(j["interactions_by_split"]["valid"], 3459);
  EXPECT_EQ(list_files(dir / "yelp").size(), 6u);
}

TEST(ImportCommand, LbsnErrorNamesTheFile) {
  const fs::path dir = fresh_dir("cmd_lbsn_bad");
  const auto r = run("import lbsn --input " + (dir / "missing").string() + " --output-dir " +
                     (dir / "out").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find((dir / "missing").string()), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace
}  // namespace recsys::data
