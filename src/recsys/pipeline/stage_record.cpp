#include "recsys/pipeline/stage_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/graph/checksum.h"
#include "recsys/io/atomic_file.h"

namespace recsys::pipeline {
namespace fs = std::filesystem;

namespace {

std::string file_bytes_checksum(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot read", path.string()));
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return graph::checksum_hex(graph::checksum64(bytes.data(), bytes.size()));
}

bool hidden(const fs::path& relative) {
  for (const auto& part : relative)
    if (!part.empty() && part.string()[0] == '.') return true;
  return false;
}

}  // namespace

std::string path_checksum(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return file_bytes_checksum(path);
  if (!fs::is_directory(path, ec)) return "";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    const fs::path relative = fs::relative(entry.path(), path);
    if (entry.is_regular_file() && !hidden(relative)) files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  std::string listing;
  for (const auto& f : files)
    listing += f.generic_string() + '\0' + file_bytes_checksum(path / f) + '\n';
  return graph::checksum_hex(graph::checksum64(listing.data(), listing.size()));
}

nlohmann::json StageRecord::to_json() const {
  return {{"config", config}, {"inputs", inputs}, {"outputs", outputs}, {"seconds", seconds}};
}

StageRecord StageRecord::from_json(const nlohmann::json& j) {
  StageRecord r;
  r.config = j.at("config");
  r.inputs = j.at("inputs").get<std::map<std::string, std::string>>();
  r.outputs = j.at("outputs").get<std::map<std::string, std::string>>();
  r.seconds = j.at("seconds").get<double>();
  return r;
}

PipelineRecords::PipelineRecords(fs::path workdir) : workdir_(std::move(workdir)) {
  const fs::path file = workdir_ / kPipelineJson;
  if (!fs::exists(file)) return;
  try {
    std::ifstream in(file);
    const auto j = nlohmann::json::parse(in);
    for (const auto& [name, record] : j.at("stages").items())
      stages_[name] = StageRecord::from_json(record);
  } catch (const std::exception& e) {
    log_warning(fmt::format("{}: unreadable ({}); every stage reruns", file.string(), e.what()));
    stages_.clear();
  }
}

bool PipelineRecords::up_to_date(const std::string& stage, const nlohmann::json& config,
                                 const std::map<std::string, std::string>& inputs) const {
  const StageRecord* r = find(stage);
  if (!r || r->config != config || r->inputs != inputs || r->outputs.empty()) return false;
  for (const auto& [path, checksum] : r->outputs)
    if (path_checksum(workdir_ / path) != checksum) return false;
  return true;
}

void PipelineRecords::record(const std::string& stage, StageRecord record) {
  stages_[stage] = std::move(record);
  save();
}

const StageRecord* PipelineRecords::find(const std::string& stage) const {
  const auto it = stages_.find(stage);
  return it == stages_.end() ? nullptr : &it->second;
}

void PipelineRecords::save() const {
  nlohmann::json j = {{"format", "recsys-pipeline"}, {"format_version", 1}};
  j["stages"] = nlohmann::json::object();
  for (const auto& [name, r] : stages_) j["stages"][name] = r.to_json();
  const std::string text = j.dump(2) + "\n";
  io::AtomicFile file(workdir_ / kPipelineJson);
  file.write(text.data(), text.size());
  file.commit();
}

}  // namespace recsys::pipeline
