#include "recsys/serve/api_service.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "recsys/core/error.h"
#include "recsys/export/embeddings_folder.h"
#include "recsys/recommend/artifacts.h"
#include "recsys/recommend/recommend_json.h"
#include "recsys/serve/http_error.h"
#include "recsys/serve/query_params.h"
#include "recsys/serve/static_files.h"

namespace recsys::serve {

namespace {

using nlohmann::json;
constexpr int64_t kMaxSmall = std::numeric_limits<int32_t>::max();

HttpResponse json_response(const nlohmann::ordered_json& j, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.body = j.dump();
  return r;
}

// Place lists, the most frequent answer, are written without a JSON tree (recommend_json.h).
HttpResponse json_response(const recommend::PlaceList& list) {
  HttpResponse r;
  r.status = 200;
  r.body = recommend::place_list_text(list);
  return r;
}

int64_t path_id(const PathParams& p, const char* what) {
  const std::string& text = p["id"];
  const auto v = parse_int64(text);
  if (!v || *v < 0) throw HttpError(400, fmt::format("{} '{}' is not a valid id (a non-negative integer)", what, text));
  return *v;
}

json parse_body(const HttpRequest& r) {
  if (r.body.empty()) throw HttpError(400, "request body: expected a JSON object, got nothing");
  try {
    return json::parse(r.body);
  } catch (const json::parse_error& e) {
    throw HttpError(400, fmt::format("request body is not JSON: {}", e.what()));
  }
}

// The filter query parameters (city, neighborhood, price_band, time_slot, category, lat / lon /
// radius_km), checked against the catalogue: an id the data does not have is a 422.
recommend::PlaceFilter filter_of(const QueryParams& q, const recommend::Recommender& rec) {
  recommend::PlaceFilter f;
  auto small = [&](const char* name) -> std::optional<int32_t> {
    const auto v = q.integer(name, 0, kMaxSmall);
    return v ? std::optional<int32_t>(static_cast<int32_t>(*v)) : std::nullopt;
  };
  f.city = small("city");
  f.neighborhood = small("neighborhood");
  f.price_band = small("price_band");
  f.time_slot = small("time_slot");
  f.category = small("category");
  const auto lat = q.number("lat", -90, 90), lon = q.number("lon", -180, 180);
  const auto radius = q.number("radius_km", 1e-6, 20000);
  if (lat || lon || radius) {
    if (!lat || !lon || !radius) throw HttpError(400, "query parameters 'lat', 'lon' and 'radius_km' go together");
    f.near = recommend::GeoCircle{*lat, *lon, *radius};
  }
  if (rec.shard() && f.city && !rec.shard()->holds_city(*f.city))
    throw HttpError(421, fmt::format("query parameter 'city' {}: this replica serves the city shard [{}] only; "
                                     "ask the router (scripts/serve-replicas)",
                                     *f.city, fmt::join(rec.shard()->cities(), ", ")));
  try {
    recommend::check_filter(f, rec.catalogue());
  } catch (const NotFound& e) {
    throw HttpError(422, e.what());
  } catch (const ConfigError& e) {
    throw HttpError(422, e.what());
  }
  return f;
}

const json& array_field(const json& body, const char* key, size_t max_items) {
  if (!body.is_object() || !body.contains(key) || !body[key].is_array())
    throw HttpError(400, fmt::format("request body: expected an object with an array '{}'", key));
  const json& a = body[key];
  if (a.size() > max_items)
    throw HttpError(422, fmt::format("request body: '{}' has {} items, over the limit of {}", key, a.size(), max_items));
  return a;
}

int64_t id_field(const json& item, const char* key, const std::string& where, bool required = true) {
  if (!item.contains(key)) {
    if (required) throw HttpError(400, fmt::format("{}: missing '{}'", where, key));
    return -1;
  }
  if (!item[key].is_number_integer() || item[key].get<int64_t>() < 0)
    throw HttpError(400, fmt::format("{}: '{}' must be a non-negative integer", where, key));
  return item[key].get<int64_t>();
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ApiService::ApiService(ApiOptions options) : options_(std::move(options)) {
  if (options_.events_log.empty()) options_.events_log = options_.artifacts / "events" / "events.jsonl";
  std::atomic_store(&loaded_, std::make_shared<const Loaded>(load()));
  log_ = std::make_unique<data::EventLog>(options_.events_log);
  live_.add(log_->replayed());
  for (const data::Event& e : log_->replayed())
    if (!e.key.empty()) event_keys_.insert(e.key);
  add_routes();
  std::vector<Metrics::RouteName> names;
  for (const auto& r : router_.routes()) names.push_back({r.method, r.pattern});
  metrics_ = std::make_unique<Metrics>(std::move(names));
}

ApiService::~ApiService() {
  std::thread reloader;
  {
    std::lock_guard lock(background_mutex_);
    reloader = std::move(reloader_);
  }
  if (reloader.joinable()) reloader.join();  // unlocked: the thread takes the lock when done
}

ApiService::Loaded ApiService::load() const {
  Loaded l;
  recommend::RecommenderOptions ro;
  ro.cities = options_.cities;
  ro.candidates.per_user = options_.candidates_per_user;
  auto rec = std::make_shared<recommend::Recommender>(recommend::open_artifacts(options_.artifacts, options_.index), ro);
  const auto& emb = rec->artifacts().embeddings;
  l.model = emb.manifest.value("model", std::string("unknown"));
  l.version = fmt::format("{}-{}", l.model, exporter::file_checksum(emb.dir / exporter::kManifestJson).substr(0, 12));
  l.recommender = std::move(rec);
  return l;
}

std::shared_ptr<const ApiService::Loaded> ApiService::loaded() const { return std::atomic_load(&loaded_); }

std::shared_ptr<const recommend::Recommender> ApiService::current() const { return loaded()->recommender; }

std::string ApiService::version() const { return loaded()->version; }

std::string ApiService::reload() {
  std::lock_guard lock(reload_mutex_);  // one reload at a time; queries go on meanwhile
  auto next = std::make_shared<const Loaded>(load());
  std::atomic_store(&loaded_, next);
  return next->version;
}

bool ApiService::start_reload() {
  std::lock_guard lock(background_mutex_);
  if (background_.state == "running") return false;
  if (reloader_.joinable()) reloader_.join();  // the previous one has finished
  background_.state = "running";
  ++background_.started;
  reloader_ = std::thread([this] {
    std::string error;
    try {
      reload();
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard done(background_mutex_);
    background_.state = error.empty() ? "done" : "failed";
    background_.error = error;
  });
  return true;
}

ApiService::ReloadStatus ApiService::reload_status() const {
  std::lock_guard lock(background_mutex_);
  return background_;
}

HttpResponse ApiService::handle(const HttpRequest& request) {
  const auto t0 = std::chrono::steady_clock::now();
  int route = -1;
  HttpResponse response = router_.handle(request, &route);
  metrics_->record(route, response.status,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return response;
}

void ApiService::add_routes() {
  router_.add("GET", "/v1/users/{id}/recommendations/places",
              [this](const HttpRequest& r, const PathParams& p) { return places_for_user(r, p); });
  router_.add("GET", "/v1/users/{id}/recommendations/friends",
              [this](const HttpRequest& r, const PathParams& p) { return friends_for_user(r, p); });
  router_.add("GET", "/v1/places/{id}/similar",
              [this](const HttpRequest& r, const PathParams& p) { return similar_places(r, p); });
  router_.add("POST", "/v1/attendance", [this](const HttpRequest& r, const PathParams&) { return attendance(r); });
  router_.add("POST", "/v1/recommendations/places",
              [this](const HttpRequest& r, const PathParams&) { return cold_start(r); });
  router_.add("POST", "/v1/events", [this](const HttpRequest& r, const PathParams&) { return events(r); });
  router_.add("GET", "/healthz", [](const HttpRequest&, const PathParams&) {
    return json_response({{"status", "ok"}});
  });
  router_.add("GET", "/readyz", [this](const HttpRequest&, const PathParams&) {
    const auto l = loaded();
    const auto& rec = *l->recommender;
    return json_response({{"status", "ready"},
                          {"model", l->model},
                          {"version", l->version},
                          {"users", rec.artifacts().embeddings.user_ids.size()},
                          {"places", rec.artifacts().embeddings.place_ids.size()},
                          {"index", rec.artifacts().index_source},
                          {"cities", rec.shard() ? json(rec.shard()->cities()) : json()},
                          {"shard_places", rec.shard() ? rec.shard()->n_places() : rec.catalogue().n_places()},
                          {"live_event_users", live_.users()},
                          {"reload", [this] {
                             const ReloadStatus s = reload_status();
                             return json{{"state", s.state}, {"started", s.started}, {"error", s.error}};
                           }()}});
  });
  router_.add("GET", "/metrics", [this](const HttpRequest&, const PathParams&) {
    const auto l = loaded();
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics_->render(l->model, l->version);
    return r;
  });
  router_.add("POST", "/admin/reload", [this](const HttpRequest& r, const PathParams&) {
    const QueryParams q = QueryParams::parse(r.query);
    q.allow_only({"wait"});
    if (!q.boolean("wait", true)) {
      // The load runs on its own thread: this server thread goes back to answering requests.
      if (!start_reload()) throw HttpError(409, "a reload is already running (see /readyz)");
      return json_response({{"status", "reloading"}, {"reload", reload_status().started}, {"version", version()}},
                           202);
    }
    const std::string before = version();
    try {
      const std::string after = reload();
      return json_response({{"status", "reloaded"}, {"previous_version", before}, {"version", after}});
    } catch (const Error& e) {
      throw HttpError(500, fmt::format("reload failed, still serving {}: {}", before, e.what()));
    }
  });
  router_.add("GET", "/openapi.json", [](const HttpRequest&, const PathParams&) {
    HttpResponse r;
    r.body = std::string(openapi_json());
    return r;
  });
  router_.add("GET", "/docs", [](const HttpRequest&, const PathParams&) {
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::string(docs_html());
    return r;
  });
  // The explorer page (src/recsys/serve/web/explorer.html) and the lookups only it needs.
  router_.add("GET", "/", [](const HttpRequest&, const PathParams&) {
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::string(explorer_html());
    return r;
  });
  router_.add("GET", "/v1/users", [this](const HttpRequest& r, const PathParams&) {
    const QueryParams q = QueryParams::parse(r.query);
    q.allow_only({"offset", "limit"});
    const auto rec = current();  // kept alive while its ids are read
    const auto& users = rec->catalogue().users();
    const int64_t offset = q.integer("offset", 0, 0, kMaxSmall);
    const int64_t limit = q.integer("limit", 50, 1, options_.limits.max_batch);
    nlohmann::ordered_json ids = nlohmann::ordered_json::array();
    for (int64_t row = offset; row < std::min(users.size(), offset + limit); ++row)
      ids.push_back(users.raw(static_cast<int32_t>(row)));
    return json_response({{"total", users.size()}, {"offset", offset}, {"users", ids}});
  });
  router_.add("GET", "/v1/users/{id}", [this](const HttpRequest& r, const PathParams& p) {
    QueryParams::parse(r.query).allow_only({});
    const int64_t user_id = path_id(p, "user id");
    const std::vector<int64_t> live = live_.places_of(user_id);
    return json_response(recommend::user_profile_json(*current(), user_id, live));
  });
  router_.add("GET", "/v1/places/{id}", [this](const HttpRequest& r, const PathParams& p) {
    QueryParams::parse(r.query).allow_only({});
    return json_response(recommend::place_json(*current(), path_id(p, "place id")));
  });
}

HttpResponse ApiService::places_for_user(const HttpRequest& r, const PathParams& p) {
  const auto l = loaded();
  const recommend::Recommender& rec = *l->recommender;
  const int64_t user_id = path_id(p, "user id");
  const QueryParams q = QueryParams::parse(r.query);
  q.allow_only({"k", "city", "neighborhood", "price_band", "time_slot", "category", "lat", "lon", "radius_km",
                "exclude_seen", "diversity"});
  recommend::PlaceQuery query;
  query.k = static_cast<int>(q.integer("k", 20, 1, options_.limits.max_k));
  query.filter = filter_of(q, rec);
  query.exclude_seen = q.boolean("exclude_seen", true);
  query.diversity = q.number("diversity", 0, 1).value_or(recommend::kDefaultDiversity);

  // Places the user reported since the artifacts were built (those the catalogue knows).
  std::vector<int64_t> live_places;
  std::vector<int32_t> live_rows;
  for (int64_t place : live_.places_of(user_id)) {
    if (rec.catalogue().places().find(place) < 0) continue;
    live_places.push_back(place);
    live_rows.push_back(rec.place_row(place));
  }
  const bool known = rec.catalogue().users().find(user_id) >= 0;
  if (!known && live_places.empty()) throw NotFound(fmt::format("user {} does not exist", user_id));
  if (!known || (rec.history().seen_places(rec.user_row(user_id)).empty() && !live_places.empty())) {
    // No history in the model: the reported places are the user's taste (inductive cold start).
    recommend::ColdStartProfile profile;
    if (known) {
      const int32_t city = rec.catalogue().home_city(rec.user_row(user_id));
      if (city >= 0) profile.home_city = city;
    }
    profile.liked_places = live_places;
    recommend::PlaceList list = rec.cold_start(profile, query);
    list.user_id = user_id;
    return json_response(list);
  }
  return json_response(rec.places_for_user(user_id, query, live_rows));
}

HttpResponse ApiService::friends_for_user(const HttpRequest& r, const PathParams& p) {
  const auto l = loaded();
  const int64_t user_id = path_id(p, "user id");
  const QueryParams q = QueryParams::parse(r.query);
  q.allow_only({"k"});
  const int k = static_cast<int>(q.integer("k", 20, 1, options_.limits.max_k));
  return json_response(recommend::to_json(l->recommender->friends_for_user(user_id, k)));
}

HttpResponse ApiService::similar_places(const HttpRequest& r, const PathParams& p) {
  const auto l = loaded();
  const int64_t place_id = path_id(p, "place id");
  const QueryParams q = QueryParams::parse(r.query);
  q.allow_only({"k", "city", "neighborhood", "price_band", "time_slot", "category", "lat", "lon", "radius_km"});
  const int k = static_cast<int>(q.integer("k", 20, 1, options_.limits.max_k));
  const recommend::PlaceFilter filter = filter_of(q, *l->recommender);
  return json_response(recommend::to_json(l->recommender->similar_places(place_id, k, filter)));
}

HttpResponse ApiService::attendance(const HttpRequest& r) {
  const auto l = loaded();
  const json body = parse_body(r);
  const json& pairs = array_field(body, "pairs", static_cast<size_t>(options_.limits.max_batch));
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::string where = fmt::format("pairs[{}]", i);
    if (!pairs[i].is_object()) throw HttpError(400, where + ": expected an object");
    const int64_t user = id_field(pairs[i], "user_id", where), friend_id = id_field(pairs[i], "friend_id", where);
    const int64_t place = id_field(pairs[i], "place_id", where, /*required=*/false);
    try {
      results.push_back(recommend::to_json(l->recommender->attendance(
          user, friend_id, place >= 0 ? std::optional<int64_t>(place) : std::nullopt)));
    } catch (const Unsupported& e) {
      throw HttpError(422, e.what());
    }
  }
  return json_response({{"results", results}});
}

HttpResponse ApiService::cold_start(const HttpRequest& r) {
  const auto l = loaded();
  const recommend::Recommender& rec = *l->recommender;
  json body = parse_body(r);
  if (!body.is_object()) throw HttpError(400, "request body: expected a JSON object (a profile)");
  // Query options travel in the body beside the profile; the rest must be the profile.
  QueryParams q = QueryParams::parse(r.query);
  q.allow_only({"k", "city", "neighborhood", "price_band", "time_slot", "category", "lat", "lon", "radius_km",
                "diversity"});
  recommend::PlaceQuery query;
  query.k = static_cast<int>(q.integer("k", 20, 1, options_.limits.max_k));
  query.filter = filter_of(q, rec);
  query.diversity = q.number("diversity", 0, 1).value_or(recommend::kDefaultDiversity);
  recommend::ColdStartProfile profile;
  try {
    profile = recommend::parse_profile(body, "request body");
  } catch (const ConfigError& e) {
    throw HttpError(400, e.what());
  }
  return json_response(rec.cold_start(profile, query));
}

HttpResponse ApiService::events(const HttpRequest& r) {
  const auto l = loaded();
  const json body = parse_body(r);
  const json& items = array_field(body, "events", static_cast<size_t>(options_.limits.max_batch));
  std::vector<data::Event> events;
  const int64_t now = now_ms();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = fmt::format("events[{}]", i);
    data::Event e = data::event_from_json(items[i], where, now);
    if (e.user_id < 0 || e.place_id < 0) throw HttpError(400, where + ": ids must be non-negative");
    e.key = r.idempotency_key;  // from the header only, never from the body
    // A new user (not in the artifacts) may report events; a place must exist.
    if (l->recommender->catalogue().places().find(e.place_id) < 0)
      throw NotFound(fmt::format("{}: place {} does not exist", where, e.place_id));
    events.push_back(e);
  }
  if (events.empty()) throw HttpError(400, "request body: 'events' is empty");
  const std::string& key = r.idempotency_key;
  if (!key.empty()) {
    check_request_key(key);
    // A repeat of an accepted request (a retry, or the proxy's copy to every replica) gets the
    // same answer and changes nothing.
    if (!event_keys_.insert(key)) return json_response({{"accepted", events.size()}});
  }
  try {
    log_->append(events);  // durable before it is acknowledged
  } catch (...) {
    if (!key.empty()) event_keys_.erase(key);  // not applied: a retry must be
    throw;
  }
  live_.add(events);
  return json_response({{"accepted", events.size()}});
}

}  // namespace recsys::serve
