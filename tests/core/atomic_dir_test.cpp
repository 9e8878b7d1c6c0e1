#include "recsys/io/atomic_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recsys/core/error.h"

namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("recsys_atomic_dir_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(p);
  return p;
}
size_t entries(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

TEST(AtomicDir, CommitRenamesIntoPlaceAndUncommittedLeavesNothing) {
  const fs::path parent = fresh_dir("commit");
  fs::create_directories(parent);
  const fs::path target = parent / "out";
  {
    recsys::AtomicDir dir(target, false);
    std::ofstream(dir.path() / "a.txt") << "x";
    EXPECT_FALSE(fs::exists(target));
    dir.commit();
  }
  EXPECT_TRUE(fs::exists(target / "a.txt"));
  EXPECT_EQ(entries(parent), 1u);
  {
    recsys::AtomicDir dir(parent / "other", false);
    std::ofstream(dir.path() / "b.txt") << "y";
  }  // no commit: as if an exception had been thrown
  EXPECT_EQ(entries(parent), 1u);
  fs::remove_all(parent);
}

TEST(AtomicDir, ExistingFolderNeedsForce) {
  const fs::path target = fresh_dir("force");
  fs::create_directories(target);
  std::ofstream(target / "old.txt") << "old";
  try {
    recsys::AtomicDir dir(target, false);
    FAIL() << "expected IoError";
  } catch (const recsys::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
  }
  EXPECT_TRUE(fs::exists(target / "old.txt"));
  {
    recsys::AtomicDir dir(target, true);
    std::ofstream(dir.path() / "new.txt") << "new";
    dir.commit();
  }
  EXPECT_FALSE(fs::exists(target / "old.txt"));
  EXPECT_TRUE(fs::exists(target / "new.txt"));
  fs::remove_all(target);
}

TEST(AtomicDir, LeftoversOfAKilledRunAreRemoved) {
  const fs::path parent = fresh_dir("stale");
  fs::create_directories(parent);
  // A pid that cannot be running: above the kernel's pid_max limit.
  const fs::path stale = parent / ".out.tmp-99999999";
  fs::create_directories(stale);
  std::ofstream(stale / "half.parquet") << "x";
  const fs::path foreign = parent / ".other.tmp-99999999";
  fs::create_directories(foreign);
  {
    recsys::AtomicDir dir(parent / "out", false);
    dir.commit();
  }
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(foreign));  // another target's folder is not touched
  EXPECT_TRUE(fs::exists(parent / "out"));
  fs::remove_all(parent);
}
