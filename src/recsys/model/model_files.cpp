#include "recsys/model/model_files.h"

#include <fmt/format.h>

#include <fstream>
#include <span>
#include <string>

#include "recsys/core/error.h"
#include "recsys/model/model_registry.h"
#include "recsys/model/npy_file.h"

namespace recsys::model {

void write_json_file(const std::filesystem::path& path, const nlohmann::json& j) {
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  out.flush();
  if (!out) throw IoError(fmt::format("cannot write {}", path.string()));
}

nlohmann::json npy_file_entry(const char* dtype, std::vector<int64_t> shape) {
  return {{"dtype", dtype}, {"shape", shape}};
}

void expect_npy_shape(const std::filesystem::path& file, const std::vector<int64_t>& shape,
                      const std::vector<int64_t>& expected) {
  if (shape == expected) return;
  auto text = [](const std::vector<int64_t>& s) {
    std::string t;
    for (int64_t x : s) t += (t.empty() ? "" : " x ") + std::to_string(x);
    return t;
  };
  throw FormatError(fmt::format("{}: shape {} where {} was expected", file.string(), text(shape),
                                text(expected)));
}

void write_embeddings(TrainContext& c, const std::vector<float>& users,
                      const std::vector<float>& places, int64_t dim) {
  const int64_t n_users = c.graph.n_users(), n_places = c.graph.n_places();
  if (static_cast<int64_t>(users.size()) != n_users * dim ||
      static_cast<int64_t>(places.size()) != n_places * dim)
    throw InvalidArgument(fmt::format(
        "embeddings of {} / {} floats where {} x {} users and {} x {} places were expected",
        users.size(), places.size(), n_users, dim, n_places, dim));
  write_npy(c.dir / "user_embeddings.npy", std::span<const float>(users), {n_users, dim});
  write_npy(c.dir / "place_embeddings.npy", std::span<const float>(places), {n_places, dim});
  c.files["user_embeddings.npy"] = npy_file_entry("float32", {n_users, dim});
  c.files["place_embeddings.npy"] = npy_file_entry("float32", {n_places, dim});
  c.manifest["scorer"] = "embeddings";
}

}  // namespace recsys::model
