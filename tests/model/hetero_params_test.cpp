// The torch-free parameter files of the `hetero` model (src/recsys/model/hetero_params.h) and the
// per-row feature transform shared by training and serving (hetero_inputs.h): round trip, and
// FormatError naming the file for every kind of damage.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "recsys/core/error.h"
#include "recsys/model/hetero_inputs.h"
#include "recsys/model/hetero_params.h"

namespace fs = std::filesystem;

namespace recsys::model {
namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() /
                  ("recsys-hetero-params-test-" + std::to_string(::getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

HeteroParams sample() {
  HeteroParams p;
  p["u_lin.weight"] = {{2, 3}, {1, 2, 3, 4, 5, 6}};
  p["u_lin.bias"] = {{2}, {-1.5f, 0.25f}};
  p["attend.2.bias"] = {{1}, {7}};
  return p;
}

void expect_format_error(const fs::path& dir, const std::string& names) {
  try {
    read_hetero_params(dir);
    ADD_FAILURE() << "no FormatError, expected one naming " << names;
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
  }
}

TEST(HeteroParams, RoundTripAndDamage) {
  TempDir t;
  write_hetero_params(t.path, sample());
  const auto back = read_hetero_params(t.path);
  ASSERT_EQ(back.size(), 3u);
  for (const auto& [name, p] : sample()) {
    ASSERT_TRUE(back.count(name)) << name;
    EXPECT_EQ(back.at(name).shape, p.shape) << name;
    EXPECT_EQ(back.at(name).values, p.values) << name;
  }
  const fs::path bin = t.path / kHeteroParamsData, index = t.path / kHeteroParamsIndex;
  // Truncated data.
  fs::resize_file(bin, fs::file_size(bin) - 4);
  expect_format_error(t.path, kHeteroParamsData);
  // Changed data (checksum).
  write_hetero_params(t.path, sample());
  {
    std::fstream b(bin, std::ios::in | std::ios::out | std::ios::binary);
    b.seekp(4);
    b.put('\x42');
  }
  expect_format_error(t.path, kHeteroParamsData);
  // Missing data file.
  write_hetero_params(t.path, sample());
  fs::remove(bin);
  expect_format_error(t.path, kHeteroParamsData);
  // A parameter outside the data, a wrong dtype, invalid JSON.
  write_hetero_params(t.path, sample());
  std::ifstream in(index);
  auto j = nlohmann::json::parse(in);
  auto k = j;
  k["parameters"]["u_lin.bias"]["offset"] = 100;
  std::ofstream(index) << k.dump();
  expect_format_error(t.path, "u_lin.bias");
  k = j;
  k["dtype"] = "float64";
  std::ofstream(index) << k.dump();
  expect_format_error(t.path, kHeteroParamsIndex);
  std::ofstream(index) << "{";
  expect_format_error(t.path, kHeteroParamsIndex);
  fs::remove(index);
  expect_format_error(t.path, kHeteroParamsIndex);
}

TEST(HeteroParams, ValuesMustFitTheShape) {
  TempDir t;
  HeteroParams p;
  p["x"] = {{2, 2}, {1, 2, 3}};
  EXPECT_THROW(write_hetero_params(t.path, p), InvalidArgument);
}

TEST(FeatureTransform, StandardisedRowThenUnitNormalisedRawBlocks) {
  FeatureTransform tr;
  tr.cols = 4;
  tr.mean = {1, 0, 0, 5};
  tr.std = {2, 1, 1, 1};
  tr.unit = {{1, 2}};  // raw columns 1..2
  ASSERT_EQ(tr.out_cols(), 6);
  const float row[] = {0.5f, 3, -4, 1};  // raw: 2, 3, -4 (clamped to 0), 6
  float out[6];
  tr.apply(row, out);
  EXPECT_EQ(std::vector<float>(out, out + 4), std::vector<float>(row, row + 4));
  EXPECT_FLOAT_EQ(out[4], 1.0f);
  EXPECT_FLOAT_EQ(out[5], 0.0f);
  const float zero[] = {0, 0, 0, 0};  // raw block all 0: the copy stays 0
  tr.apply(zero, out);
  EXPECT_FLOAT_EQ(out[4], 0.0f);
  EXPECT_FLOAT_EQ(out[5], 0.0f);
}

TEST(FeatureTransform, SumAndMaxNormalisedCopies) {
  FeatureTransform tr;
  tr.cols = 3;
  tr.mean = {0, 0, 0};
  tr.std = {1, 1, 1};
  using Norm = FeatureTransform::Norm;
  tr.unit = {{0, 3, Norm::kSum}, {0, 3, Norm::kMax}, {0, 3, Norm::kL2}};
  ASSERT_EQ(tr.out_cols(), 12);
  const float row[] = {1, 3, 0};
  float out[12];
  tr.apply(row, out);
  const std::vector<float> sum(out + 3, out + 6), max(out + 6, out + 9);
  EXPECT_EQ(sum, (std::vector<float>{0.25f, 0.75f, 0.0f}));
  EXPECT_FLOAT_EQ(max[0], 1.0f / 3.0f);
  EXPECT_FLOAT_EQ(max[1], 1.0f);
  EXPECT_FLOAT_EQ(max[2], 0.0f);
  EXPECT_FLOAT_EQ(out[9], 1.0f / std::sqrt(10.0f));
  EXPECT_FLOAT_EQ(out[10], 3.0f / std::sqrt(10.0f));
}

}  // namespace
}  // namespace recsys::model
