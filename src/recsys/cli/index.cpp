// `recsys index`: an embeddings folder (recsys export) -> an index folder (inner-product FAISS
// indices over the place and the user embeddings, with a manifest).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "recsys/cli/command.h"
#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/index/index_folder.h"

namespace recsys::cli {
namespace {

struct IndexFlags {
  std::string embeddings, output, index_type = "auto";
  int hnsw_m = 0, ef_construction = 0, ef_search = 0, nlist = 0, nprobe = 0;
  CLI::Option *hnsw_m_opt = nullptr, *ef_construction_opt = nullptr, *ef_search_opt = nullptr,
              *nlist_opt = nullptr, *nprobe_opt = nullptr;
  bool force = false, quiet = false;
  std::string log_format = "text";
};

void run(const IndexFlags& f) {
  configure_progress({f.quiet, parse_log_format(f.log_format)});
  const auto start = std::chrono::steady_clock::now();
  index::IndexBuildOptions o;
  if (f.index_type != "auto") o.kind = index::parse_index_kind(f.index_type);
  auto take = [](CLI::Option* opt, int value, std::optional<int>& into) {
    if (opt->count() > 0) into = value;
  };
  take(f.hnsw_m_opt, f.hnsw_m, o.hnsw_m);
  take(f.ef_construction_opt, f.ef_construction, o.ef_construction);
  take(f.ef_search_opt, f.ef_search, o.ef_search);
  take(f.nlist_opt, f.nlist, o.nlist);
  take(f.nprobe_opt, f.nprobe, o.nprobe);

  const auto embeddings = exporter::read_embeddings_folder(f.embeddings);
  const nlohmann::json m = index::write_index_folder(embeddings, f.output, o, f.force);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (progress_options().format == LogFormat::Json) {
    nlohmann::json event = {{"event", "index"}, {"output", f.output}, {"seconds", seconds}};
    for (const char* key : {"places", "users"}) {
      const auto& e = m["indices"][key];
      event[key] = {{"kind", e["kind"]},
                    {"rows", e["rows"]},
                    {"build_seconds", e["build_seconds"]},
                    {"bytes", m["files"][e["file"].get<std::string>()]["bytes"]}};
    }
    std::printf("%s\n", event.dump().c_str());
  } else if (!f.quiet) {
    std::printf("index of %s embeddings (dim %lld) written to %s (%.2f s)\n",
                m["model"].get<std::string>().c_str(),
                static_cast<long long>(m["dim"].get<int64_t>()), f.output.c_str(), seconds);
    for (const char* key : {"places", "users"}) {
      const auto& e = m["indices"][key];
      const auto bytes = m["files"][e["file"].get<std::string>()]["bytes"].get<int64_t>();
      std::printf("  %-6s %-4s %8lld rows  built in %6.2f s  %8.2f MB  %s\n", key,
                  e["kind"].get<std::string>().c_str(),
                  static_cast<long long>(e["rows"].get<int64_t>()),
                  e["build_seconds"].get<double>(), bytes / 1e6, e["params"].dump().c_str());
    }
  }
  std::fflush(stdout);
}

const CommandRegistration registration("index", 33, [](CLI::App& app) {
  auto f = std::make_shared<IndexFlags>();
  auto* cmd = app.add_subcommand(
      "index", "Build the place and user retrieval indices over an embeddings folder");
  cmd->add_option("--embeddings", f->embeddings, "embeddings folder (recsys export)")->required();
  cmd->add_option("--output", f->output, "index folder to write")->required();
  cmd->add_option("--index-type", f->index_type,
                  "auto (by size, docs/decisions.md), flat, hnsw or ivf")
      ->check(CLI::IsMember({"auto", "flat", "hnsw", "ivf"}));
  f->hnsw_m_opt = cmd->add_option("--hnsw-m", f->hnsw_m, "HNSW graph degree (default 32)");
  f->ef_construction_opt =
      cmd->add_option("--ef-construction", f->ef_construction, "HNSW build breadth (default 200)");
  f->ef_search_opt =
      cmd->add_option("--ef-search", f->ef_search,
                      "HNSW search breadth (default: 64 up to 20k rows with auto, else 128)");
  f->nlist_opt = cmd->add_option("--nlist", f->nlist, "IVF lists (default about 4 sqrt(rows))");
  f->nprobe_opt =
      cmd->add_option("--nprobe", f->nprobe, "IVF lists visited per query (default 32)");
  cmd->add_flag("--force", f->force, "replace an existing output folder");
  cmd->add_flag("--quiet,-q", f->quiet, "no output");
  cmd->add_option("--log-format", f->log_format, "text or json");
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli
