#include "recsys/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "recsys/core/error.h"

namespace recsys::io {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

std::filesystem::path temporary_name(const std::filesystem::path& target) {
  static std::atomic<uint64_t> counter{0};
  std::string name(".");
  name.append(target.filename().string());
  name.append(".tmp-");
  name.append(std::to_string(::getpid()));
  name.push_back('-');
  name.append(std::to_string(counter.fetch_add(1)));
  return target.parent_path() / name;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  if (target_.empty() || !target_.has_filename()) {
    throw IoError(target_.string() + ": not a file path");
  }
  temporary_ = temporary_name(target_);
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    int err = errno;
    throw IoError(
        target_.string() + ": cannot create a temporary file in '" +
        (target_.parent_path().empty() ? std::string(".") : target_.parent_path().string()) +
        "': " + errno_text(err));
  }
}

AtomicFile::~AtomicFile() {
  discard();
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temporary_(std::move(other.temporary_)),
      fd_(std::exchange(other.fd_, -1)),
      size_(other.size_),
      writeback_from_(other.writeback_from_),
      committed_(other.committed_) {
  other.temporary_.clear();
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    discard();
    target_ = std::move(other.target_);
    temporary_ = std::move(other.temporary_);
    other.temporary_.clear();
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    writeback_from_ = other.writeback_from_;
    committed_ = other.committed_;
  }
  return *this;
}

void AtomicFile::write(const void* data, size_t size) {
  if (fd_ < 0) throw IoError(target_.string() + ": write after the file was closed");
  const char* p = static_cast<const char*>(data);
  size_t left = size;
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      throw IoError(target_.string() + ": write failed: " + errno_text(err));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  size_ += static_cast<int64_t>(size);
}

void AtomicFile::start_writeback(int64_t min_bytes) {
  if (fd_ < 0 || size_ - writeback_from_ < std::max<int64_t>(min_bytes, 1)) return;
#ifdef __linux__
  // Ignored on failure (e.g. a file system without it): commit() still fsyncs everything.
  (void)::sync_file_range(fd_, writeback_from_, size_ - writeback_from_, SYNC_FILE_RANGE_WRITE);
#endif
  writeback_from_ = size_;
}

void AtomicFile::commit() {
  if (fd_ < 0) throw IoError(target_.string() + ": commit after the file was closed");
  if (::fsync(fd_) != 0) {
    int err = errno;
    throw IoError(target_.string() + ": fsync failed: " + errno_text(err));
  }
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    int err = errno;
    throw IoError(target_.string() + ": close failed: " + errno_text(err));
  }
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    int err = errno;
    throw IoError(target_.string() +
                  ": cannot rename the temporary file into place: " + errno_text(err));
  }
  committed_ = true;
  std::filesystem::path dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // best effort: the data itself is already durable
    ::close(dfd);
  }
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!committed_ && !temporary_.empty()) {
    ::unlink(temporary_.c_str());
    temporary_.clear();
  }
}

}  // namespace recsys::io
