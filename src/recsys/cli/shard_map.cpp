// `recsys shard-map`: the nginx lookup tables of a router in front of city-sharded replicas
// (serve/shard_map.h; scripts/serve-replicas --shard uses it).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "recsys/cli/command.h"
#include "recsys/core/progress.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/io/atomic_file.h"
#include "recsys/recommend/place_catalogue.h"
#include "recsys/serve/shard_map.h"

namespace recsys::cli {
namespace {

struct ShardMapFlags {
  std::string graph, output, prefix = "shard";
  std::vector<std::string> shards;
};

void write_file(const std::filesystem::path& path, const std::string& text) {
  io::AtomicFile f(path);
  f.write(text.data(), text.size());
  f.commit();
}

void run(const ShardMapFlags& f) {
  const auto graph = graph::GraphArtifact::open(f.graph);
  const recommend::PlaceCatalogue catalogue(graph);
  std::vector<std::vector<int32_t>> shards;
  for (const auto& s : f.shards) shards.push_back(serve::parse_city_list(s, "--shard"));
  const serve::ShardMaps maps = serve::nginx_shard_maps(catalogue, shards, f.prefix);
  const std::filesystem::path out(f.output);
  std::filesystem::create_directories(out);
  write_file(out / "city_shard.map", maps.cities);
  write_file(out / "user_shard.map", maps.users);
  log_info(fmt::format("{} shards: {} users mapped to their home-city shard, {} left to the default "
                       "(no home city in a shard); wrote {}/{{city,user}}_shard.map",
                       shards.size(), maps.users_mapped, maps.users_unmapped, out.string()));
}

const CommandRegistration registration("shard-map", 51, [](CLI::App& app) {
  auto f = std::make_shared<ShardMapFlags>();
  auto* cmd = app.add_subcommand("shard-map",
                                 "Write the nginx maps (city -> shard, user -> home-city shard) of a city-sharded router");
  cmd->add_option("--graph", f->graph, "graph folder (recsys build-graph) the replicas serve")->required();
  cmd->add_option("--shard", f->shards, "a shard's cities, comma-separated (repeat: one per shard, in order)")
      ->required();
  cmd->add_option("--output", f->output, "folder for city_shard.map and user_shard.map")->required();
  cmd->add_option("--prefix", f->prefix, "upstream name prefix: shard i is <prefix><i>");
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli
