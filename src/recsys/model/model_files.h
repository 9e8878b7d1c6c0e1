#pragma once
// Writing and checking the files of a model folder (docs/data-contract.md, "Model folder").
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

namespace recsys::model {

struct TrainContext;

// Pretty-printed JSON; throws IoError naming the file.
void write_json_file(const std::filesystem::path& path, const nlohmann::json& j);

// The manifest's "files" entry of an array file: {dtype, shape}.
nlohmann::json npy_file_entry(const char* dtype, std::vector<int64_t> shape);

// Throws FormatError naming the file when an array read back has another shape.
void expect_npy_shape(const std::filesystem::path& file, const std::vector<int64_t>& shape,
                      const std::vector<int64_t>& expected);

// user_embeddings.npy (users x dim) and place_embeddings.npy (places x dim), row-major float32,
// recorded in the manifest's files, scorer "embeddings" (dot product; also scores friends).
void write_embeddings(TrainContext& context, const std::vector<float>& users,
                      const std::vector<float>& places, int64_t dim);

}  // namespace recsys::model
