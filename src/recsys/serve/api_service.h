#pragma once
// The recommendation API (docs/openapi.json): routes, their parameters and JSON, over one
// loaded Recommender. Independent of the transport: handle() turns an HttpRequest into an
// HttpResponse, and the HttpServer calls it from its threads.
//
// Reload (POST /admin/reload) opens the artifacts again and swaps the recommender atomically:
// a request holds the recommender it started with (a shared_ptr), so requests in flight finish
// on the old model and none fails. Reported events are logged durably (event_log.h) before they
// are acknowledged, and kept in memory (live_events.h) across reloads.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "recsys/recommend/recommender.h"
#include "recsys/data/event_log.h"
#include "recsys/serve/http_message.h"
#include "recsys/serve/live_events.h"
#include "recsys/serve/metrics.h"
#include "recsys/serve/request_keys.h"
#include "recsys/serve/router.h"

namespace recsys::serve {

struct ApiLimits {
  int max_k = 100;             // k above this: 422
  int max_batch = 1000;        // attendance pairs / events per request
};

struct ApiOptions {
  std::filesystem::path artifacts;   // pipeline workdir (or embeddings folder)
  std::filesystem::path index;       // optional index folder replacing artifacts/index
  std::filesystem::path events_log;  // default: <artifacts>/events/events.jsonl
  ApiLimits limits;
  // A city shard (recommend/city_shard.h): the cities whose places this server holds; empty:
  // all. A place query filtered by another city is answered 421 (Misdirected Request).
  std::vector<int32_t> cities;
  // Places precomputed per user at load (recommend/candidate_table.h); 0: the index only.
  int candidates_per_user = recommend::CandidateTableOptions{}.per_user;
};

class ApiService {
 public:
  // Opens the artifacts and the events log (replaying it). Errors as open_artifacts / EventLog.
  explicit ApiService(ApiOptions options);
  ~ApiService();

  HttpResponse handle(const HttpRequest& request);

  // Loads the artifacts again and swaps them in; returns the new version.
  std::string reload();
  // reload() on a thread of its own (POST /admin/reload?wait=false): the server threads go on
  // answering meanwhile, and /readyz reports its progress (reload_status()). False when one is
  // already running.
  bool start_reload();
  struct ReloadStatus {
    std::string state = "none";  // "none", "running", "done" or "failed"
    int64_t started = 0;         // background reloads started so far (the last one's number)
    std::string error;           // the last failure's message
  };
  ReloadStatus reload_status() const;

  // The recommender serving now (callers keep it alive as long as they use it).
  std::shared_ptr<const recommend::Recommender> current() const;
  std::string version() const;
  const Metrics& metrics() const { return *metrics_; }

 private:
  struct Loaded {
    std::shared_ptr<const recommend::Recommender> recommender;
    std::string model, version;
  };
  Loaded load() const;
  std::shared_ptr<const Loaded> loaded() const;
  void add_routes();

  HttpResponse places_for_user(const HttpRequest& r, const PathParams& p);
  HttpResponse friends_for_user(const HttpRequest& r, const PathParams& p);
  HttpResponse similar_places(const HttpRequest& r, const PathParams& p);
  HttpResponse attendance(const HttpRequest& r);
  HttpResponse cold_start(const HttpRequest& r);
  HttpResponse events(const HttpRequest& r);

  ApiOptions options_;
  std::shared_ptr<const Loaded> loaded_;  // read and swapped with std::atomic_load / _store
  std::mutex reload_mutex_;
  mutable std::mutex background_mutex_;  // guards background_ and reloader_
  ReloadStatus background_;
  std::thread reloader_;
  std::unique_ptr<data::EventLog> log_;
  LiveEvents live_;
  RequestKeys event_keys_;  // Idempotency-Keys of accepted event reports (from the log on open)
  Router router_;
  std::unique_ptr<Metrics> metrics_;
};

}  // namespace recsys::serve
