#include "recsys/model/hetero_params.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "recsys/core/error.h"
#include "recsys/graph/checksum.h"
#include "recsys/io/atomic_file.h"
#include "recsys/model/model_files.h"

namespace recsys::model {

static_assert(std::endian::native == std::endian::little,
              "hetero_params.bin is float32 little-endian, read and written as it is in memory");

namespace fs = std::filesystem;

int64_t ParamTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

void write_hetero_params(const fs::path& dir, const HeteroParams& params) {
  nlohmann::json index = nlohmann::json::object();
  std::vector<float> all;
  for (const auto& [name, t] : params) {
    if (t.numel() != static_cast<int64_t>(t.values.size()))
      throw InvalidArgument(fmt::format("hetero parameter {}: {} values for a shape of {}", name,
                                        t.values.size(), t.numel()));
    index[name] = {{"shape", t.shape}, {"offset", all.size()}};
    all.insert(all.end(), t.values.begin(), t.values.end());
  }
  io::AtomicFile data(dir / kHeteroParamsData);
  data.write(all.data(), all.size() * sizeof(float));
  data.commit();
  write_json_file(dir / kHeteroParamsIndex,
                  {{"format", "recsys-hetero-params"},
                   {"format_version", 1},
                   {"dtype", "float32"},
                   {"byte_order", "little"},
                   {"data_file", kHeteroParamsData},
                   {"floats", all.size()},
                   {"checksum64",
                    graph::checksum_hex(graph::checksum64(all.data(), all.size() * sizeof(float)))},
                   {"parameters", index}});
}

namespace {

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw FormatError(
        fmt::format("{}: missing or unreadable (hetero serving file)", path.string()));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(fmt::format("{}: read error", path.string()));
  return bytes;
}

}  // namespace

HeteroParams read_hetero_params(const fs::path& dir) {
  const fs::path index_path = dir / kHeteroParamsIndex, data_path = dir / kHeteroParamsData;
  const auto bad = [&](const fs::path& p, const std::string& what) {
    return FormatError(fmt::format("{}: {}", p.string(), what));
  };
  nlohmann::json index;
  try {
    index = nlohmann::json::parse(read_bytes(index_path));
  } catch (const nlohmann::json::exception& e) {
    throw bad(index_path, fmt::format("not valid JSON ({})", e.what()));
  }
  HeteroParams params;
  int64_t floats = 0;
  std::string checksum;
  nlohmann::json entries;
  try {
    if (index.at("format") != "recsys-hetero-params" || index.at("format_version") != 1)
      throw bad(index_path, "not a recsys-hetero-params file of format_version 1");
    if (index.at("dtype") != "float32" || index.at("byte_order") != "little")
      throw bad(index_path, "only float32 little-endian parameters are supported");
    floats = index.at("floats").get<int64_t>();
    checksum = index.at("checksum64").get<std::string>();
    entries = index.at("parameters");
    if (!entries.is_object() || entries.empty())
      throw bad(index_path, "\"parameters\" must be a non-empty object");
    for (const auto& [name, e] : entries.items()) {
      ParamTensor t;
      t.shape = e.at("shape").get<std::vector<int64_t>>();
      for (int64_t d : t.shape)
        if (d < 0)
          throw bad(index_path, fmt::format("parameter {} has a negative dimension", name));
      const int64_t offset = e.at("offset").get<int64_t>();
      if (offset < 0 || offset + t.numel() > floats)
        throw bad(index_path, fmt::format("parameter {} (offset {}, {} floats) lies outside the {} "
                                          "floats of {}",
                                          name, offset, t.numel(), floats, kHeteroParamsData));
      t.values.resize(static_cast<size_t>(offset));  // the offset, until the data is read
      params.emplace(name, std::move(t));
    }
  } catch (const nlohmann::json::exception& e) {
    throw bad(index_path, fmt::format("malformed index ({})", e.what()));
  }
  const std::string bytes = read_bytes(data_path);
  if (static_cast<int64_t>(bytes.size()) != floats * static_cast<int64_t>(sizeof(float)))
    throw bad(data_path, fmt::format("{} bytes where {} says {} float32 values", bytes.size(),
                                     kHeteroParamsIndex, floats));
  if (graph::checksum_hex(graph::checksum64(bytes.data(), bytes.size())) != checksum)
    throw bad(data_path, fmt::format("checksum differs from the one in {}", kHeteroParamsIndex));
  for (auto& [name, t] : params) {
    const auto offset = static_cast<size_t>(t.values.size());
    t.values.resize(static_cast<size_t>(t.numel()));
    std::memcpy(t.values.data(), bytes.data() + offset * sizeof(float),
                t.values.size() * sizeof(float));
  }
  return params;
}

}  // namespace recsys::model
