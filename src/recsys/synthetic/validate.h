#pragma once
// `recsys validate`: realism and integrity checks of a generated data set, each
// with the measured value, what is expected and pass/fail.
#include <filesystem>
#include <string>
#include <vector>

namespace recsys::synthetic {

struct ValidationCheck {
  std::string name;
  std::string measured;  // the value(s) measured, as text
  std::string expected;  // the pass criterion, as text
  bool passed = false;
};

struct ValidationReport {
  std::filesystem::path data_dir;
  std::vector<ValidationCheck> checks;
  bool all_passed() const;
  int failures() const;
};

// Reads the data set in `data_dir` (streaming the interactions) and runs every
// check. Missing or malformed files throw (IoError / FormatError naming the file).
ValidationReport validate_dataset(const std::filesystem::path& data_dir);

}  // namespace recsys::synthetic
