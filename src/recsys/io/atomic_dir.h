#pragma once
// An output folder that appears complete or not at all. Files are written into a
// temporary sibling folder (".<name>.tmp-<pid>"); commit() renames it into
// place. Without commit() (an exception, an early return) the destructor
// removes the temporary folder and the target is left as it was.
#include <filesystem>

namespace recsys {

class AtomicDir {
 public:
  // Throws IoError when `target` exists and `force` is false (naming --force),
  // when it exists and is not a folder, or when the temporary folder cannot be created.
  AtomicDir(std::filesystem::path target, bool force);
  ~AtomicDir();
  AtomicDir(const AtomicDir&) = delete;
  AtomicDir& operator=(const AtomicDir&) = delete;

  // The temporary folder to write into.
  const std::filesystem::path& path() const { return temp_; }
  const std::filesystem::path& target() const { return target_; }
  // Renames the temporary folder to the target (replacing an existing target
  // when forced: it is moved aside first and removed only after the rename).
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool force_;
  bool committed_ = false;
};

}  // namespace recsys
