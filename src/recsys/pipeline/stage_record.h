#pragma once
// The pipeline's memory of what it ran: DIR/pipeline.json holds one record per stage (the
// stage's config, its inputs' checksums, its outputs' checksums, its wall time). A stage is
// skipped when its record matches the current config and inputs and its outputs are still
// the ones it wrote.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace recsys::pipeline {

inline constexpr const char* kPipelineJson = "pipeline.json";

// checksum64 (hex) of a file's bytes, or of a folder: every regular file below it (names
// starting with '.' skipped: temporary folders), by sorted relative path, path and checksum
// mixed. Empty string when the path does not exist.
std::string path_checksum(const std::filesystem::path& path);

struct StageRecord {
  nlohmann::json config;
  std::map<std::string, std::string> inputs;   // name -> checksum
  std::map<std::string, std::string> outputs;  // path relative to the workdir -> checksum
  double seconds = 0;

  nlohmann::json to_json() const;
  static StageRecord from_json(const nlohmann::json& j);
};

class PipelineRecords {
 public:
  // Reads DIR/pipeline.json when present (a malformed one is ignored with a warning: every
  // stage then reruns).
  explicit PipelineRecords(std::filesystem::path workdir);

  // Whether `stage` may be skipped: a record with this config and these inputs whose outputs
  // all exist with the recorded checksums.
  bool up_to_date(const std::string& stage, const nlohmann::json& config,
                  const std::map<std::string, std::string>& inputs) const;
  // Records a finished stage and rewrites pipeline.json atomically.
  void record(const std::string& stage, StageRecord record);
  const StageRecord* find(const std::string& stage) const;

 private:
  void save() const;

  std::filesystem::path workdir_;
  std::map<std::string, StageRecord> stages_;
};

}  // namespace recsys::pipeline
