#pragma once
// The artifacts the recommender tests read, made through the CLI once per build of the program
// (shared by the test processes, see ensure_fixture): a small generated data set, its graph, a
// small hetero model and an mf-bpr model, each exported:
//   hetero_workdir()  graph/, model/ (hetero), embeddings/ (with the hetero serving files)
//   mf_embeddings()   an embeddings folder of an mf-bpr model on the same graph (no head)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../common/cli_run.h"

namespace recsys::recommend::testing {

namespace fs = std::filesystem;

using recsys::testing::err;
using recsys::testing::out;
using recsys::testing::read_text;
using recsys::testing::scratch;

// Runs the recsys program; stdout / stderr land in scratch()/log.out / log.err (out(), err()).
inline int run(const std::string& args) {
  // Passive OpenMP waiting and one thread: spinning workers make training on a busy machine
  // many times slower.
  return recsys::testing::run_recsys(args, scratch(),
                                     {.working_dir = {}, .env = "OMP_WAIT_POLICY=passive"});
}

// The shared artifacts live in the build tree next to the program (ctest runs every test in
// its own process, possibly in parallel): the first process makes them under an exclusive file
// lock and writes a marker naming the program's modification time; the others wait for the
// lock and reuse them; a rebuilt program (or a new kFixtureVersion) makes them again.
inline const fs::path& fixture_root() {
  static const fs::path root = fs::path(RECSYS_BINARY).parent_path() / "recommend-test-fixture";
  return root;
}

// Bump when make_fixture() changes, so that an existing fixture is made again.
inline constexpr int kFixtureVersion = 1;

inline std::string binary_stamp() {
  return std::to_string(kFixtureVersion) + " " +
         std::to_string(fs::last_write_time(RECSYS_BINARY).time_since_epoch().count()) + "\n";
}

inline void make_fixture(const fs::path& w, const fs::path& mf_model, const fs::path& mf_emb) {
  const auto data = w / "tables", graph = w / "graph", model = w / "model";
  EXPECT_EQ(run("generate --output-dir " + data.string() +
                " --n-users 400 --n-places 300 --n-cities 3 -q"),
            0)
      << err();
  EXPECT_EQ(run("build-graph --data " + data.string() + " --output " + graph.string() + " -q"), 0)
      << err();
  EXPECT_EQ(run("train --graph " + graph.string() + " --model hetero --output " + model.string() +
                " -q --threads 1 --set hetero.max_epochs=2 --set hetero.batch_size=256"
                " --set hetero.negatives=128 --set hetero.city_negatives=64"
                " --set hetero.hidden=16 --set hetero.dim=16 --set hetero.social_dim=8"),
            0)
      << err();
  EXPECT_EQ(
      run("export --model " + model.string() + " --output " + (w / "embeddings").string() + " -q"),
      0)
      << err();
  EXPECT_EQ(run("train --graph " + graph.string() + " --model mf-bpr --output " +
                mf_model.string() + " -q --threads 1 --set mf_bpr.max_epochs=3 --set mf_bpr.dim=8"),
            0)
      << err();
  EXPECT_EQ(run("export --model " + mf_model.string() + " --output " + mf_emb.string() + " -q"), 0)
      << err();
}

inline const fs::path& ensure_fixture() {
  static const fs::path root = [] {
    const fs::path r = fixture_root();
    fs::create_directories(r);
    const int fd = ::open((r / "lock").c_str(), O_CREAT | O_RDWR, 0644);
    EXPECT_GE(fd, 0);
    ::flock(fd, LOCK_EX);
    const fs::path done = r / "done";
    if (!fs::exists(done) || read_text(done) != binary_stamp()) {
      for (const char* sub : {"workdir", "mf-model", "mf-embeddings"}) fs::remove_all(r / sub);
      fs::remove(done);
      make_fixture(r / "workdir", r / "mf-model", r / "mf-embeddings");
      if (!::testing::Test::HasFailure()) std::ofstream(done) << binary_stamp();
    }
    ::flock(fd, LOCK_UN);
    ::close(fd);
    return r;
  }();
  return root;
}

inline fs::path hetero_workdir() {
  return ensure_fixture() / "workdir";
}
inline fs::path mf_embeddings() {
  return ensure_fixture() / "mf-embeddings";
}

}  // namespace recsys::recommend::testing
