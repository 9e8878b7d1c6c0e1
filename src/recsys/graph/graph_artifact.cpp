#include "recsys/graph/graph_artifact.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "recsys/core/error.h"
#include "recsys/graph/artifact_writer.h"
#include "recsys/graph/checksum.h"

namespace recsys::graph {

namespace {
namespace fs = std::filesystem;

struct Mapping {
  void* addr = nullptr;
  size_t size = 0;
  DType dtype = DType::UInt8;
  std::vector<int64_t> shape;
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (addr) ::munmap(addr, size);
  }
};
}  // namespace

struct GraphArtifact::Impl {
  fs::path dir;
  nlohmann::json manifest;
  std::map<std::string, std::unique_ptr<Mapping>> arrays;
};

GraphArtifact::GraphArtifact() : impl_(std::make_unique<Impl>()) {}
GraphArtifact::~GraphArtifact() = default;
GraphArtifact::GraphArtifact(GraphArtifact&&) noexcept = default;
GraphArtifact& GraphArtifact::operator=(GraphArtifact&&) noexcept = default;

GraphArtifact GraphArtifact::open(const fs::path& dir, bool verify_checksums) {
  GraphArtifact g;
  g.impl_->dir = dir;
  const fs::path manifest_path = dir / "manifest.json";
  std::ifstream in(manifest_path);
  if (!in)
    throw IoError(fmt::format("{}: cannot open (not a graph folder written by recsys build-graph?)",
                              manifest_path.string()));
  std::stringstream text;
  text << in.rdbuf();
  auto& m = g.impl_->manifest;
  try {
    m = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: not valid JSON: {}", manifest_path.string(), e.what()));
  }
  const std::string ctx = manifest_path.string();
  try {
    if (m.value("format", std::string()) != kGraphFormatName)
      throw FormatError(fmt::format("{}: 'format' is not \"{}\"", ctx, kGraphFormatName));
    if (m.at("format_version").get<int>() != kGraphFormatVersion)
      throw FormatError(fmt::format("{}: format_version {} is not supported (expected {})", ctx,
                                    m.at("format_version").get<int>(), kGraphFormatVersion));
    for (const auto& [name, entry] : m.at("arrays").items()) {
      auto map = std::make_unique<Mapping>();
      const std::string file = entry.at("file").get<std::string>();
      if (file.empty() || file.find('/') != std::string::npos || file[0] == '.')
        throw FormatError(fmt::format("{}: array '{}' has a bad file name '{}'", ctx, name, file));
      const fs::path path = dir / file;
      map->dtype = parse_dtype(entry.at("dtype").get<std::string>(), ctx + ": " + name);
      map->shape = entry.at("shape").get<std::vector<int64_t>>();
      const auto expected = entry.at("bytes").get<uint64_t>();
      int64_t elements = 1;
      for (int64_t d : map->shape) {
        if (d < 0) throw FormatError(fmt::format("{}: array '{}' has a negative shape", ctx, name));
        elements *= d;
      }
      if (static_cast<uint64_t>(elements) * dtype_size(map->dtype) != expected)
        throw FormatError(fmt::format("{}: array '{}': shape and bytes disagree", ctx, name));
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        throw FormatError(fmt::format("{}: cannot open array file listed in the manifest: {}",
                                      path.string(), std::strerror(errno)));
      struct stat st {};
      if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) != expected) {
        ::close(fd);
        throw FormatError(fmt::format("{}: {} bytes, the manifest says {} (truncated or changed)",
                                      path.string(), static_cast<int64_t>(st.st_size), expected));
      }
      if (expected > 0) {
        void* addr = ::mmap(nullptr, expected, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (addr == MAP_FAILED) {
          ::close(fd);
          throw IoError(fmt::format("{}: mmap failed: {}", path.string(), std::strerror(errno)));
        }
        map->addr = addr;
        map->size = expected;
      }
      ::close(fd);
      if (verify_checksums) {
        const std::string sum = checksum_hex(checksum64(map->addr, map->size));
        if (sum != entry.at("checksum").get<std::string>())
          throw FormatError(
              fmt::format("{}: checksum {} does not match the manifest's {} (file "
                          "changed or corrupt)",
                          path.string(), sum, entry.at("checksum").get<std::string>()));
      }
      g.impl_->arrays.emplace(name, std::move(map));
    }
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: malformed manifest: {}", ctx, e.what()));
  }
  return g;
}

const fs::path& GraphArtifact::dir() const {
  return impl_->dir;
}
const nlohmann::json& GraphArtifact::manifest() const {
  return impl_->manifest;
}

int64_t GraphArtifact::n_nodes(const std::string& type) const {
  const auto& nodes = impl_->manifest.at("nodes");
  return nodes.contains(type) ? nodes.at(type).get<int64_t>() : 0;
}
int64_t GraphArtifact::n_users() const {
  return n_nodes("user");
}
int64_t GraphArtifact::n_places() const {
  return n_nodes("place");
}

bool GraphArtifact::has(const std::string& name) const {
  return impl_->arrays.count(name) > 0;
}

DType GraphArtifact::dtype(const std::string& name) const {
  auto it = impl_->arrays.find(name);
  if (it == impl_->arrays.end())
    throw InvalidArgument(fmt::format("{}: no array '{}'", impl_->dir.string(), name));
  return it->second->dtype;
}

std::vector<int64_t> GraphArtifact::shape(const std::string& name) const {
  auto it = impl_->arrays.find(name);
  if (it == impl_->arrays.end())
    throw InvalidArgument(fmt::format("{}: no array '{}'", impl_->dir.string(), name));
  return it->second->shape;
}

std::span<const std::byte> GraphArtifact::raw(const std::string& name, DType expected) const {
  auto it = impl_->arrays.find(name);
  if (it == impl_->arrays.end())
    throw InvalidArgument(fmt::format("{}: no array '{}'", impl_->dir.string(), name));
  if (it->second->dtype != expected)
    throw InvalidArgument(fmt::format("{}: array '{}' is {}, not {}", impl_->dir.string(), name,
                                      to_string(it->second->dtype), to_string(expected)));
  return {static_cast<const std::byte*>(it->second->addr), it->second->size};
}

CsrView GraphArtifact::relation(const std::string& relation) const {
  CsrView v{array<int64_t>(relation + ".offsets"), array<int32_t>(relation + ".indices")};
  // The structure is checked once here, so callers can index without bounds checks.
  if (v.offsets.empty() || v.offsets.front() != 0 ||
      v.offsets.back() != static_cast<int64_t>(v.indices.size()))
    throw FormatError(
        fmt::format("{}: relation '{}' has inconsistent offsets", impl_->dir.string(), relation));
  for (size_t i = 1; i < v.offsets.size(); ++i)
    if (v.offsets[i] < v.offsets[i - 1])
      throw FormatError(fmt::format("{}: relation '{}' has decreasing offsets at row {}",
                                    impl_->dir.string(), relation, i - 1));
  const auto& relations = impl_->manifest.value("relations", nlohmann::json::object());
  if (relations.contains(relation)) {
    const int64_t n_rows = n_nodes(relations[relation].value("source", std::string()));
    const int64_t n_cols = n_nodes(relations[relation].value("target", std::string()));
    if (v.n_rows() != n_rows)
      throw FormatError(
          fmt::format("{}: relation '{}' has {} rows, the manifest's node count is {}",
                      impl_->dir.string(), relation, v.n_rows(), n_rows));
    for (int32_t c : v.indices)
      if (c < 0 || c >= n_cols)
        throw FormatError(fmt::format("{}: relation '{}' has an index {} outside [0, {})",
                                      impl_->dir.string(), relation, c, n_cols));
  }
  return v;
}

InteractionsView GraphArtifact::interactions(const std::string& split) const {
  const std::string r = "user_place." + split;
  InteractionsView v;
  v.csr = relation(r);
  v.count = array<int32_t>(r + ".count");
  v.max_rating = array<float>(r + ".max_rating");
  v.weight = array<float>(r + ".weight");
  v.flags = array<uint8_t>(r + ".flags");
  v.first_timestamp = array<int64_t>(r + ".first_timestamp");
  v.last_timestamp = array<int64_t>(r + ".last_timestamp");
  for (size_t n : {v.count.size(), v.max_rating.size(), v.weight.size(), v.flags.size(),
                   v.first_timestamp.size(), v.last_timestamp.size()})
    if (n != v.csr.indices.size())
      throw FormatError(fmt::format("{}: an attribute of '{}' has {} entries, the relation {}",
                                    impl_->dir.string(), r, n, v.csr.indices.size()));
  return v;
}

FeaturesView GraphArtifact::features(const std::string& node) const {
  FeaturesView v;
  const auto s = shape(node + ".features");
  if (s.size() != 2)
    throw FormatError(fmt::format("{}: '{}.features' is not a matrix", impl_->dir.string(), node));
  v.rows = s[0];
  v.cols = s[1];
  v.values = array<float>(node + ".features");
  v.mean = array<float>(node + ".features_mean");
  v.std = array<float>(node + ".features_std");
  if (v.rows != n_nodes(node) || static_cast<int64_t>(v.mean.size()) != v.cols ||
      static_cast<int64_t>(v.std.size()) != v.cols)
    throw FormatError(fmt::format("{}: '{}.features' does not match its node count or statistics",
                                  impl_->dir.string(), node));
  return v;
}

}  // namespace recsys::graph
