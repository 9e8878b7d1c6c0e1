#include "recsys/io/atomic_dir.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "recsys/core/error.h"

namespace recsys {

namespace fs = std::filesystem;

namespace {
fs::path sibling(const fs::path& target, const std::string& tag) {
  std::string name = ".";
  name += target.filename().string();
  name += '.';
  name += tag;
  name += '-';
  name += std::to_string(getpid());
  return target.parent_path() / name;
}
// Removes temporary siblings (".<name>.tmp-<pid>", ".<name>.old-<pid>") left by a
// run that was killed (its process no longer exists).
void remove_stale_siblings(const fs::path& target) {
  std::error_code ec;
  std::string prefix = ".";
  prefix += target.filename().string();
  prefix += '.';
  for (const auto& entry : fs::directory_iterator(target.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == std::string::npos) continue;
    const std::string tag = rest.substr(0, dash), pid_text = rest.substr(dash + 1);
    if ((tag != "tmp" && tag != "old") || pid_text.empty() ||
        pid_text.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const auto pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH)) {
      std::error_code ignored;
      fs::remove_all(entry.path(), ignored);
    }
  }
}

}  // namespace

AtomicDir::AtomicDir(fs::path target, bool force) : force_(force) {
  // "data/" has an empty filename; normalise so the temporary folder is a sibling.
  target = target.lexically_normal();
  if (target.has_filename() == false) target = target.parent_path();
  if (target.empty()) throw IoError("output folder: empty path");
  target_ = fs::absolute(target);
  std::error_code ec;
  const auto status = fs::status(target_, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) throw IoError(target_.string() + ": exists and is not a folder");
    if (!force_)
      throw IoError(target_.string() +
                    ": output folder already exists (use --force to replace it)");
  }
  const fs::path parent = target_.parent_path();
  fs::create_directories(parent, ec);
  if (ec) throw IoError(parent.string() + ": cannot create folder: " + ec.message());
  remove_stale_siblings(target_);
  temp_ = sibling(target_, "tmp");
  fs::remove_all(temp_, ec);
  if (!fs::create_directory(temp_, ec) || ec)
    throw IoError(temp_.string() + ": cannot create temporary folder: " + ec.message());
}

AtomicDir::~AtomicDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

void AtomicDir::commit() {
  if (committed_) return;
  std::error_code ec;
  fs::path old;
  if (fs::exists(target_, ec)) {
    if (!force_)
      throw IoError(target_.string() + ": output folder appeared while writing (use --force)");
    old = sibling(target_, "old");
    fs::remove_all(old, ec);
    fs::rename(target_, old, ec);
    if (ec) throw IoError(target_.string() + ": cannot move the old folder aside: " + ec.message());
  }
  fs::rename(temp_, target_, ec);
  if (ec) {
    std::error_code ignored;
    if (!old.empty()) fs::rename(old, target_, ignored);
    throw IoError(target_.string() + ": cannot rename " + temp_.string() +
                  " into place: " + ec.message());
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace recsys
