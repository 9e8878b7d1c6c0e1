#pragma once
// A file written under a temporary name beside its target and renamed into place
// on commit(), after an fsync of the data and of the directory. Until commit()
// nothing at the target path changes; destroying an uncommitted AtomicFile
// removes the temporary file, so a failed write leaves nothing behind.
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace recsys::io {

class AtomicFile {
 public:
  // Creates the temporary file; throws IoError naming `target` when it cannot.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();  // removes the temporary file unless committed
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes; throws IoError naming the target on failure (disk full, ...).
  void write(const void* data, size_t size);
  // Bytes written so far (the offset of the next write).
  int64_t size() const { return size_; }
  // Asks the kernel to start writing back the bytes written since the last call,
  // once there are at least `min_bytes` of them, without waiting (Linux
  // sync_file_range; a no-op elsewhere). commit()'s fsync then has less left to
  // wait for. Best effort: errors surface in commit()'s fsync.
  void start_writeback(int64_t min_bytes = 0);
  // fsync, close, rename onto the target, fsync the directory.
  void commit();
  // Closes and removes the temporary file (idempotent); never throws.
  void discard() noexcept;

  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& temporary() const { return temporary_; }
  bool committed() const { return committed_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  int64_t size_ = 0;
  int64_t writeback_from_ = 0;  // start of the bytes not yet handed to start_writeback()
  bool committed_ = false;
};

}  // namespace recsys::io
