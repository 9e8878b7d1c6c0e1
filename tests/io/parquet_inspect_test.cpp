// `recsys inspect`: the summary and table, and the --json contract (stdout holds
// exactly one JSON object per row and nothing else; the summary goes to stderr),
// plus the error path (one line on stderr naming the file, non-zero exit).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "parquet_sample.h"
#include "recsys/io/parquet/inspect.h"
#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string out, err;
};

CommandResult run(const std::string& args) {
  fs::path err = fs::temp_directory_path() / ("recsys-inspect-err-" + std::to_string(::getpid()));
  std::string cmd = std::string(RECSYS_BINARY) + " " + args + " 2>" + err.string();
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream in(err);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  fs::remove(err);
  return r;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string l;
  while (std::getline(ss, l)) v.push_back(l);
  return v;
}

class ParquetInspect : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        fs::temp_directory_path() / ("recsys-inspect-" + std::to_string(::getpid()) + ".parquet");
    WriterOptions opt;
    opt.row_group_rows = 40;
    opt.key_value_metadata = {{"origin", "inspect test"}};
    Writer w(path_, testing::sample_schema(testing::Nulls::Some), opt);
    batch_ = testing::sample_batch(100, testing::Nulls::Some, 3);
    w.write(batch_);
    w.close();
  }
  void TearDown() override { fs::remove(path_); }
  fs::path path_;
  RecordBatch batch_;
};

TEST_F(ParquetInspect, JsonPrintsOnlyRowsOnStdout) {
  CommandResult r = run("inspect " + path_.string() + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> rows = lines(r.out);
  ASSERT_EQ(rows.size(), 100u);
  for (size_t i = 0; i < rows.size(); ++i) {
    nlohmann::json j = nlohmann::json::parse(rows[i]);
    ASSERT_TRUE(j.is_object());
    ASSERT_EQ(j.size(), 11u);
    EXPECT_EQ(rows[i], row_to_json(batch_, i));
  }
  nlohmann::json first = nlohmann::json::parse(rows[1]);
  EXPECT_TRUE(first["ts"].is_null() || first["ts"].is_string());
  EXPECT_NE(r.err.find("rows: 100"), std::string::npos);
  EXPECT_NE(r.err.find("origin = inspect test"), std::string::npos);

  CommandResult head =
      run("inspect " + path_.string() + " --json --head 45");  // crosses a row group
  ASSERT_EQ(head.status, 0);
  std::vector<std::string> h = lines(head.out);
  ASSERT_EQ(h.size(), 45u);
  EXPECT_EQ(h[44], row_to_json(batch_, 44));
}

TEST_F(ParquetInspect, TableShowsSchemaGroupsAndHead) {
  CommandResult r = run("inspect " + path_.string() + " --head 3");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("rows: 100"), std::string::npos);
  EXPECT_NE(r.out.find("row groups: 3"), std::string::npos);
  EXPECT_NE(r.out.find("list<float>"), std::string::npos);
  EXPECT_NE(r.out.find("SNAPPY"), std::string::npos);
  EXPECT_NE(r.out.find("first 3 rows"), std::string::npos);
  EXPECT_TRUE(r.err.empty());
}

TEST_F(ParquetInspect, JsonValuesFollowTheContract) {
  RecordBatch b;
  b.names = {"f", "d", "t", "l"};
  Column f;
  f.type = ColumnType::Float;
  f.f32 = {0.1f, NAN, -INFINITY};
  Column d;
  d.type = ColumnType::Double;
  d.f64 = {1e300, 0.5, -0.0};
  Column t;
  t.type = ColumnType::TimestampMicros;
  t.i64 = {1704164645000006, -1, 0};
  t.validity = {1, 1, 0};
  Column l;
  l.type = ColumnType::ListInt32;
  l.offsets = {0, 2, 2, 2};
  l.i32 = {1, -2};
  l.validity = {1, 1, 0};
  b.columns = {f, d, t, l};
  EXPECT_EQ(row_to_json(b, 0),
            R"({"f":0.1,"d":1e+300,"t":"2024-01-02T03:04:05.000006Z","l":[1,-2]})");
  EXPECT_EQ(row_to_json(b, 1), R"({"f":"NaN","d":0.5,"t":"1969-12-31T23:59:59.999999Z","l":[]})");
  EXPECT_EQ(row_to_json(b, 2), R"({"f":"-Infinity","d":-0.0,"t":null,"l":null})");
}

TEST_F(ParquetInspect, BadFileGivesOneErrorLineAndNonZeroExit) {
  fs::path bad = path_.string() + ".bad";
  std::ofstream(bad) << "not parquet";
  CommandResult r = run("inspect " + bad.string() + " --json");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find(bad.string()), std::string::npos) << r.err;
  fs::remove(bad);
  CommandResult missing = run("inspect");
  EXPECT_NE(missing.status, 0);
}

}  // namespace
}  // namespace recsys::parquet
