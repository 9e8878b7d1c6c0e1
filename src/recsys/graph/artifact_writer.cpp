#include "recsys/graph/artifact_writer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "recsys/core/error.h"
#include "recsys/graph/checksum.h"

namespace recsys::graph {

namespace {
void write_file(const std::filesystem::path& path, const void* data, size_t bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw IoError(fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
  const bool ok = bytes == 0 || std::fwrite(data, 1, bytes, f) == bytes;
  const int saved_errno = errno;
  if (std::fclose(f) != 0 || !ok)
    throw IoError(fmt::format("{}: write failed: {}", path.string(),
                              std::strerror(ok ? errno : saved_errno)));
}
}  // namespace

void ArtifactWriter::add_raw(const std::string& name, DType dtype, const void* data, size_t bytes,
                             std::vector<int64_t> shape) {
  if (manifest_.contains("arrays") && manifest_["arrays"].contains(name))
    throw InvalidArgument(fmt::format("graph artifact: array '{}' written twice", name));
  int64_t elements = 1;
  for (int64_t d : shape) elements *= d;
  if (static_cast<size_t>(elements) * dtype_size(dtype) != bytes)
    throw InvalidArgument(fmt::format("graph artifact: array '{}' has {} bytes, shape says {}",
                                      name, bytes,
                                      static_cast<size_t>(elements) * dtype_size(dtype)));
  const std::string file = name + ".bin";
  write_file(dir_ / file, data, bytes);
  bytes_ += static_cast<int64_t>(bytes);
  manifest_["arrays"][name] = {{"file", file},
                               {"dtype", to_string(dtype)},
                               {"shape", shape},
                               {"bytes", bytes},
                               {"checksum", checksum_hex(checksum64(data, bytes))}};
}

void ArtifactWriter::finish() {
  const std::string text = manifest_.dump(2) + "\n";
  write_file(dir_ / "manifest.json", text.data(), text.size());
}

}  // namespace recsys::graph
