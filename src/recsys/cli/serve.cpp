// `recsys serve`: the recommendation API over a pipeline workdir (docs/openapi.json, /docs).
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "recsys/cli/command.h"
#include "recsys/core/progress.h"
#include "recsys/serve/serve_process.h"

namespace recsys::cli {
namespace {

struct ServeFlags {
  std::string artifacts, index, events_log, host = "127.0.0.1", log_format = "text";
  int port = 8080, threads = 0, max_k = 100, max_batch = 1000;
  size_t max_body_bytes = 1024 * 1024;
  double read_timeout_s = 15;
  std::vector<int32_t> cities;
  int candidates = serve::ApiOptions{}.candidates_per_user;
};

void run(const ServeFlags& f) {
  configure_progress({false, parse_log_format(f.log_format)});
  serve::ApiOptions api;
  api.artifacts = f.artifacts;
  api.index = f.index;
  api.events_log = f.events_log;
  api.limits.max_k = f.max_k;
  api.limits.max_batch = f.max_batch;
  api.cities = f.cities;
  api.candidates_per_user = f.candidates;
  serve::ServerOptions server;
  server.host = f.host;
  server.port = static_cast<uint16_t>(f.port);
  server.threads = f.threads;
  server.max_body_bytes = f.max_body_bytes;
  server.read_timeout = std::chrono::milliseconds(static_cast<int64_t>(f.read_timeout_s * 1000));
  serve::serve_until_signalled(api, server);
}

const CommandRegistration registration("serve", 50, [](CLI::App& app) {
  auto f = std::make_shared<ServeFlags>();
  auto* cmd = app.add_subcommand("serve", "Serve recommendations over HTTP (JSON API under /v1, docs at /docs)");
  cmd->add_option("--artifacts", f->artifacts, "pipeline workdir (embeddings/, graph/, index/) or an embeddings folder")
      ->required();
  cmd->add_option("--index", f->index, "index folder to use instead of <artifacts>/index");
  cmd->add_option("--host", f->host, "address to bind (default 127.0.0.1: this machine only)");
  cmd->add_option("--port", f->port, "port (0: any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", f->threads, "server threads (0: one per core)")->check(CLI::Range(0, 256));
  cmd->add_option("--events-log", f->events_log, "reported events log (default <artifacts>/events/events.jsonl)");
  cmd->add_option("--max-k", f->max_k, "largest k a request may ask for")->check(CLI::Range(1, 1000));
  cmd->add_option("--max-batch", f->max_batch, "largest attendance / events batch")->check(CLI::Range(1, 100000));
  cmd->add_option("--max-body-bytes", f->max_body_bytes, "largest request body (413 above)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30));
  cmd->add_option("--read-timeout", f->read_timeout_s, "seconds a client has to send a whole request")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--log-format", f->log_format, "text or json");
  cmd->add_option("--candidates", f->candidates,
                  "places precomputed per user at load, beyond the ones they have seen "
                  "(0: search the index for every request)")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--cities", f->cities,
                  "serve only these cities' places (a city shard: comma-separated city ids; default all)")
      ->delimiter(',')
      ->check(CLI::NonNegativeNumber);
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli
