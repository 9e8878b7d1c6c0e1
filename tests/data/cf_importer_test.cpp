// `import cf`: the LightGCN text format, its edge cases, malformed lines
// (file:line errors, nothing written) and the real ml-1m / lastfm splits.
#include "recsys/data/cf_importer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "import_test_files.h"
#include "recsys/core/error.h"

namespace recsys::data {
namespace {

using namespace testing;

CfImportOptions options_for(const fs::path& dir, bool with_valid = true) {
  CfImportOptions o;
  o.train = dir / "train.txt";
  if (with_valid) o.valid = dir / "valid.txt";
  o.test = dir / "test.txt";
  o.output_dir = dir / "out";
  return o;
}

// Runs the importer and returns the FormatError message ("" when it succeeds).
std::string import_error(const CfImportOptions& o) {
  try {
    import_cf(o);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

TEST(CfImporter, EdgeCasesOfTheTextFormat) {
  const fs::path dir = fresh_dir("cf_edge");
  // CRLF, trailing spaces and tabs, blank lines, a user with no items, a user split over two
  // lines, no final newline.
  write_file(dir / "train.txt", "0 1 2  \r\n\r\n1\t3 \r\n2\n\n3 0\n3 4");
  write_file(dir / "valid.txt", "0 4\n");
  write_file(dir / "test.txt", "   \n1 0 2\n5 6\n");
  const auto s = import_cf(options_for(dir));
  EXPECT_EQ(s.users, 6);  // ids 0..5 (user 4 has no line, user 2 has no items)
  EXPECT_EQ(s.items, 7);
  EXPECT_EQ(s.interactions, 2 + 1 + 1 + 1 + 1 + 2 + 1);
  ASSERT_EQ(s.interactions_by_split.size(), 3u);
  EXPECT_EQ(s.interactions_by_split[0], (std::pair<std::string, int64_t>{"train", 5}));
  EXPECT_EQ(s.interactions_by_split[1], (std::pair<std::string, int64_t>{"valid", 1}));
  EXPECT_EQ(s.interactions_by_split[2], (std::pair<std::string, int64_t>{"test", 3}));
  EXPECT_EQ(s.distinct_pairs, 9);

  const auto t = read_table(dir / "out" / "interactions.parquet");
  EXPECT_EQ(t.column("user_id").i32, (std::vector<int32_t>{0, 0, 1, 3, 3, 0, 1, 1, 5}));
  EXPECT_EQ(t.column("place_id").i32, (std::vector<int32_t>{1, 2, 3, 0, 4, 4, 0, 2, 6}));
  EXPECT_EQ(t.column("split").str,
            (std::vector<std::string>{"train", "train", "train", "train", "train", "valid", "test",
                                      "test", "test"}));
  const auto& ts = t.column("timestamp");
  for (size_t i = 0; i < ts.num_rows(); ++i) EXPECT_TRUE(ts.is_null(i)) << i;
  EXPECT_EQ(read_table(dir / "out" / "users.parquet").column("user_id").i32,
            (std::vector<int32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(read_table(dir / "out" / "places.parquet").column("place_id").i32.size(), 7u);

  parquet::Reader r(dir / "out" / "interactions.parquet");
  EXPECT_EQ(r.metadata("recsys.table"), "interactions");
  EXPECT_EQ(r.metadata("recsys.importer"), "cf 1");
  EXPECT_EQ(r.metadata("recsys.schema_version"), "1");
  EXPECT_EQ(r.metadata("recsys.source"),
            "train=cf_edge/train.txt valid=cf_edge/valid.txt test=cf_edge/test.txt");
}

TEST(CfImporter, ValidAsRelabelsTheValidationRowsAndValidIsOptional) {
  const fs::path dir = fresh_dir("cf_valid_as");
  write_file(dir / "train.txt", "0 1\n");
  write_file(dir / "valid.txt", "0 2\n");
  write_file(dir / "test.txt", "0 3\n");
  auto o = options_for(dir);
  o.valid_as = "train";
  import_cf(o);
  EXPECT_EQ(read_table(o.output_dir / "interactions.parquet").column("split").str,
            (std::vector<std::string>{"train", "train", "test"}));
  o.valid_as = "test";
  o.force = true;
  import_cf(o);
  EXPECT_EQ(read_table(o.output_dir / "interactions.parquet").column("split").str,
            (std::vector<std::string>{"train", "test", "test"}));
  o.valid_as = "holdout";
  EXPECT_THROW(import_cf(o), ConfigError);

  auto no_valid = options_for(dir, false);
  no_valid.output_dir = dir / "out2";
  const auto s = import_cf(no_valid);
  EXPECT_EQ(s.interactions, 2);
  ASSERT_EQ(s.interactions_by_split.size(), 2u);  // no "valid" entry
}

TEST(CfImporter, MalformedLinesNameFileAndLineAndWriteNothing) {
  struct Case {
    std::string train;
    int line;
    std::string what;
  };
  const std::vector<Case> cases = {
      {"0 1\n1 x\n", 2, "item id 'x' is not a non-negative integer"},
      {"0 1\n\n\n-1 2\n", 4, "user id '-1' is negative"},
      {"0 1\r\n1 2 -5\r\n", 2, "item id '-5' is negative"},
      {"0 1\n1 2.5\n", 2, "item id '2.5' is not a non-negative integer"},
      {"0 1\nuser1 2\n", 2, "user id 'user1' is not a non-negative integer"},
      {"0 1\n1 99999999999\n", 2, "item id '99999999999' is out of range"},
      {"0 1\n1 2,3\n", 2, "item id '2,3' is not a non-negative integer"},
      {"0 1\n1 2000000000\n", 2, "item id 2000000000 is implausibly large"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const fs::path dir = fresh_dir("cf_bad" + std::to_string(i));
    write_file(dir / "train.txt", cases[i].train);
    write_file(dir / "valid.txt", "0 1\n");
    write_file(dir / "test.txt", "0 2\n");
    const std::string message = import_error(options_for(dir));
    const std::string where =
        (dir / "train.txt").string() + ":" + std::to_string(cases[i].line) + ":";
    EXPECT_NE(message.find(where), std::string::npos) << "case " << i << ": " << message;
    EXPECT_NE(message.find(cases[i].what), std::string::npos) << "case " << i << ": " << message;
    EXPECT_EQ(list_files(dir), (std::vector<std::string>{"test.txt", "train.txt", "valid.txt"}))
        << "case " << i << " left files behind";
  }
  // The error names the file it is in (here the test file).
  const fs::path dir = fresh_dir("cf_bad_test");
  write_file(dir / "train.txt", "0 1\n");
  write_file(dir / "valid.txt", "0 1\n");
  write_file(dir / "test.txt", "0 2\n1 3 4 a5\n");
  EXPECT_NE(import_error(options_for(dir)).find((dir / "test.txt").string() + ":2: item id 'a5'"),
            std::string::npos);
}

TEST(CfImporter, RefusesToOverwriteWithoutForceAndReplacesWithForce) {
  const fs::path dir = fresh_dir("cf_force");
  write_file(dir / "train.txt", "0 1\n");
  write_file(dir / "test.txt", "0 2\n");
  auto o = options_for(dir, false);
  fs::create_directories(o.output_dir);
  write_file(o.output_dir / "keep.txt", "x");
  try {
    import_cf(o);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  EXPECT_EQ(list_files(o.output_dir), (std::vector<std::string>{"keep.txt"}));
  o.force = true;
  import_cf(o);
  EXPECT_EQ(list_files(o.output_dir),
            (std::vector<std::string>{"interactions.parquet", "places.parquet", "users.parquet"}));
  // --force never replaces the folder holding an input.
  auto inside = o;
  inside.output_dir = dir;
  EXPECT_THROW(import_cf(inside), ConfigError);
  EXPECT_TRUE(fs::exists(dir / "train.txt"));
  // Missing input: IoError naming it, nothing written.
  o.train = dir / "missing.txt";
  o.output_dir = dir / "out_missing";
  EXPECT_THROW(import_cf(o), IoError);
  EXPECT_FALSE(fs::exists(o.output_dir));
}

// Counts one LightGCN file independently of the importer: lines with a user id, item tokens.
struct FileCounts {
  std::set<int> users;
  int64_t items = 0;
  int max_item = -1;
};
FileCounts count_file(const fs::path& p) {
  FileCounts c;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    int user, item;
    if (!(ss >> user)) continue;
    c.users.insert(user);
    while (ss >> item) {
      ++c.items;
      c.max_item = std::max(c.max_item, item);
    }
  }
  return c;
}

TEST(CfImporter, MovieLens1mMatchesTheReadmeAndIsDeterministic) {
  const fs::path src = shared_data() / "cf" / "ml-1m";
  CfImportOptions o;
  o.train = src / "train.txt";
  o.valid = src / "valid.txt";
  o.test = src / "test.txt";
  o.output_dir = fresh_dir("cf_ml1m") / "a";
  const auto s = import_cf(o);
  // The README table: 6,039 users, 3,628 items, 590,733 / 80,897 / 164,848 interactions.
  EXPECT_EQ(s.users, 6039);
  EXPECT_EQ(s.items, 3628);
  EXPECT_EQ(s.interactions_by_split, (std::vector<std::pair<std::string, int64_t>>{
                                         {"train", 590733}, {"valid", 80897}, {"test", 164848}}));
  // And an independent count of the files.
  const auto train = count_file(o.train), valid = count_file(o.valid), test = count_file(o.test);
  EXPECT_EQ(s.interactions, train.items + valid.items + test.items);
  EXPECT_EQ(s.items, std::max({train.max_item, valid.max_item, test.max_item}) + 1);
  EXPECT_EQ(s.users, *train.users.rbegin() + 1);

  const auto t = read_table(o.output_dir / "interactions.parquet", {"user_id", "split"});
  std::map<std::string, int64_t> per_split;
  for (const auto& v : t.column("split").str) ++per_split[v];
  EXPECT_EQ(per_split["train"], 590733);
  EXPECT_EQ(per_split["valid"], 80897);
  EXPECT_EQ(per_split["test"], 164848);
  std::set<int32_t> test_users;
  for (size_t i = 0; i < t.num_rows(); ++i)
    if (t.column("split").str[i] == "test") test_users.insert(t.column("user_id").i32[i]);
  EXPECT_EQ(test_users, std::set<int32_t>(test.users.begin(), test.users.end()));

  // Byte-identical output on a second run.
  o.output_dir = o.output_dir.parent_path() / "b";
  import_cf(o);
  for (const char* f : {"interactions.parquet", "users.parquet", "places.parquet"})
    EXPECT_EQ(read_bytes(o.output_dir.parent_path() / "a" / f), read_bytes(o.output_dir / f)) << f;
}

TEST(CfImporter, LastFmMatchesTheReadme) {
  const fs::path src = shared_data() / "cf" / "lastfm";
  CfImportOptions o;
  o.train = src / "train.txt";
  o.valid = src / "valid.txt";
  o.test = src / "test.txt";
  o.output_dir = fresh_dir("cf_lastfm") / "out";
  const auto s = import_cf(o);
  EXPECT_EQ(s.users, 1885);
  EXPECT_EQ(s.items, 17388);
  EXPECT_EQ(s.interactions_by_split, (std::vector<std::pair<std::string, int64_t>>{
                                         {"train", 64315}, {"valid", 9143}, {"test", 18321}}));
}

}  // namespace
}  // namespace recsys::data
