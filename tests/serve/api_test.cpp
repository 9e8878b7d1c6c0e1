// The HTTP API end to end: the real server on an ephemeral port over small artifacts (the
// recommender tests' hetero workdir), every route and every error case.
#include "recsys/serve/api_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "http_client.h"
#include "running_server.h"
#include "serve_fixture.h"

namespace recsys::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using recommend::testing::scratch;
using testing::headless_artifacts;
using testing::kHasHead;
using testing::serving_workdir;

ApiOptions api_options(const fs::path& artifacts, const fs::path& log) {
  ApiOptions o;
  o.artifacts = artifacts;
  o.events_log = log;
  return o;
}

// The API over a workdir with its own events log, served on an ephemeral port.
struct Api {
  explicit Api(const fs::path& artifacts, const fs::path& log)
      : service(api_options(artifacts, log)),
        server(testing::ephemeral_options(), [this](const HttpRequest& r) { return service.handle(r); }) {}
  ApiService service;
  testing::RunningServer server;
  testing::ClientResponse get(const std::string& target) {
    return testing::HttpClient(server.port()).request("GET", target);
  }
  testing::ClientResponse post(const std::string& target, const std::string& body) {
    return testing::HttpClient(server.port()).request("POST", target, body);
  }
};

fs::path fresh_log(const std::string& name) {
  const fs::path p = scratch() / ("events-" + name) / "events.jsonl";
  fs::remove_all(p.parent_path());
  return p;
}

int64_t some_user(const Api& api) { return api.service.current()->artifacts().embeddings.user_ids[3]; }

TEST(Api, PlacesForAUserWithFilters) {
  Api api(serving_workdir(), fresh_log("places"));
  const int64_t user = some_user(api);
  auto r = api.get("/v1/users/" + std::to_string(user) + "/recommendations/places?k=7");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  json j = json::parse(r.body);
  EXPECT_EQ(j["user_id"], user);
  ASSERT_EQ(j["places"].size(), 7u);
  EXPECT_TRUE(j["places"][0].contains("explanation"));

  const auto rec = api.service.current();
  r = api.get("/v1/users/" + std::to_string(user) + "/recommendations/places?k=5&city=1&diversity=0");
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  ASSERT_FALSE(j["places"].empty());
  for (const auto& p : j["places"])
    EXPECT_EQ(rec->catalogue().city(rec->place_row(p["place_id"].get<int64_t>())), 1);
}

TEST(Api, ErrorsNameTheProblem) {
  Api api(serving_workdir(), fresh_log("errors"));
  const std::string base = "/v1/users/" + std::to_string(some_user(api)) + "/recommendations/places";
  struct Case {
    std::string target;
    int status;
    std::string mention;
  };
  const Case cases[] = {
      {"/v1/users/abc/recommendations/places", 400, "abc"},
      {"/v1/users/-4/recommendations/places", 400, "-4"},
      {"/v1/users/987654321/recommendations/places", 404, "987654321"},
      {base + "?k=abc", 400, "'k'"},
      {base + "?k=0", 422, "'k'"},
      {base + "?k=101", 422, "'k'"},
      {base + "?city=99999", 422, "99999"},
      {base + "?cty=1", 400, "cty"},
      {base + "?exclude_seen=maybe", 400, "exclude_seen"},
      {base + "?diversity=2", 422, "diversity"},
      {base + "?lat=1&lon=2", 400, "radius_km"},
      {"/v1/places/987654321/similar", 404, "987654321"},
      {"/v1/users/987654321/recommendations/friends", 404, "987654321"},
      {"/v1/nowhere", 404, "/v1/nowhere"},
  };
  for (const Case& c : cases) {
    const auto r = api.get(c.target);
    EXPECT_EQ(r.status, c.status) << c.target << ": " << r.body;
    const json j = json::parse(r.body);
    EXPECT_EQ(j["error"]["status"], c.status);
    EXPECT_NE(j["error"]["message"].get<std::string>().find(c.mention), std::string::npos) << r.body;
  }
  const auto r = testing::HttpClient(api.server.port()).request("DELETE", "/v1/events");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.allow, "POST");
  // Only the header of an oversize body: the server answers before reading it.
  EXPECT_EQ(testing::HttpClient(api.server.port())
                .raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 2097152\r\n\r\n")
                .status,
            413);
}

TEST(Api, FriendsSimilarAndAttendance) {
  Api api(serving_workdir(), fresh_log("friends"));
  const auto& emb = api.service.current()->artifacts().embeddings;
  const int64_t user = some_user(api), other = emb.user_ids[10], place = emb.place_ids[5];
  auto r = api.get("/v1/users/" + std::to_string(user) + "/recommendations/friends?k=4");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["friends"].size(), 4u);
  r = api.get("/v1/places/" + std::to_string(place) + "/similar?k=3");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["places"].size(), 3u);

  EXPECT_EQ(api.post("/v1/attendance", "{not json").status, 400);
  EXPECT_EQ(api.post("/v1/attendance", R"({"pairs": 3})").status, 400);
  EXPECT_EQ(api.post("/v1/attendance", R"({"pairs": [{"user_id": 1}]})").status, 400);
  EXPECT_EQ(api.post("/v1/attendance", R"({"pairs": [{"user_id": 987654321, "friend_id": 1}]})").status, 404);
  json many = {{"pairs", json::array()}};
  for (int i = 0; i < 1001; ++i) many["pairs"].push_back({{"user_id", user}, {"friend_id", other}});
  EXPECT_EQ(api.post("/v1/attendance", many.dump()).status, 422);
  const json pairs = {{"pairs", {{{"user_id", user}, {"friend_id", other}},
                                 {{"user_id", user}, {"friend_id", other}, {"place_id", place}}}}};
  r = api.post("/v1/attendance", pairs.dump());
  if (!kHasHead) {
    EXPECT_EQ(r.status, 422) << r.body;  // mf-bpr: no attendance head
    return;
  }
  ASSERT_EQ(r.status, 200) << r.body;
  const json results = json::parse(r.body)["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_GT(results[0]["probability"].get<double>(), 0.0);
  EXPECT_LT(results[0]["probability"].get<double>(), 1.0);
  EXPECT_TRUE(results[1].contains("place"));

}

TEST(Api, AttendanceWithoutTheHeadIs422) {
  Api api(headless_artifacts(), fresh_log("mf"));
  if (kHasHead) {
    ASSERT_NE(api.service.version().rfind("mf-bpr", 0), std::string::npos);
  }
  const auto& emb = api.service.current()->artifacts().embeddings;
  const json pairs = {{"pairs", {{{"user_id", emb.user_ids[0]}, {"friend_id", emb.user_ids[1]}}}}};
  const auto r = api.post("/v1/attendance", pairs.dump());
  EXPECT_EQ(r.status, 422) << r.body;
}

TEST(Api, ColdStartProfile) {
  Api api(serving_workdir(), fresh_log("cold"));
  const auto& emb = api.service.current()->artifacts().embeddings;
  auto r = api.post("/v1/recommendations/places?k=5",
                    json{{"home_city", 0}, {"interest_categories", {1, 2}}, {"liked_places", {emb.place_ids[0]}}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_TRUE(j["user_id"].is_null());
  EXPECT_EQ(j["places"].size(), 5u);
  r = api.post("/v1/recommendations/places?k=5", json::object().dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["source"], "popularity");
  EXPECT_EQ(api.post("/v1/recommendations/places", R"({"hobbies": [1]})").status, 400);
  EXPECT_EQ(api.post("/v1/recommendations/places", R"({"liked_places": [987654321]})").status, 404);
}

// A repeated Idempotency-Key (a client's retry, the proxy's copy to every replica) is answered
// like the first request and logged once, also after a restart; a malformed key is a 400.
TEST(Api, EventsWithAnIdempotencyKeyAreAppliedOnce) {
  const fs::path log = fresh_log("idempotent");
  const std::string body = R"({"events": [{"user_id": 7000000, "place_id": 1, "type": "like"}]})";
  const auto post = [&](Api& api, const std::string& key) {
    return testing::HttpClient(api.server.port()).request("POST", "/v1/events", body, "application/json",
                                                           {{"Idempotency-Key", key}});
  };
  const auto lines = [&] {
    std::ifstream in(log);
    return std::count(std::istreambuf_iterator<char>(in), {}, '\n');
  };
  {
    Api api(serving_workdir(), log);
    for (int i = 0; i < 3; ++i) {
      const auto r = post(api, "req-1");
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(json::parse(r.body), json({{"accepted", 1}}));
    }
    EXPECT_EQ(lines(), 1);
    ASSERT_EQ(post(api, "req-2").status, 200);
    EXPECT_EQ(lines(), 2);
    const auto bad = post(api, std::string(201, 'k'));
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("Idempotency-Key"), std::string::npos) << bad.body;
    EXPECT_EQ(post(api, "two words").status, 400);
    ASSERT_EQ(api.post("/v1/events", body).status, 200);  // no key: always applied
    ASSERT_EQ(api.post("/v1/events", body).status, 200);
    EXPECT_EQ(lines(), 4);
  }
  Api restarted(serving_workdir(), log);  // the keys come back with the log
  ASSERT_EQ(post(restarted, "req-1").status, 200);
  EXPECT_EQ(lines(), 4);
}

TEST(Api, EventsTakeEffectAtOnceAndSurviveARestart) {
  const fs::path log = fresh_log("events");
  const int64_t user = [&] {
    Api api(serving_workdir(), log);
    return some_user(api);
  }();
  const std::string target = "/v1/users/" + std::to_string(user) + "/recommendations/places?k=5&diversity=0";
  int64_t top = -1;
  {
    Api api(serving_workdir(), log);
    auto r = api.get(target);
    ASSERT_EQ(r.status, 200) << r.body;
    top = json::parse(r.body)["places"][0]["place_id"];
    r = api.post("/v1/events", json{{"events", {{{"user_id", user}, {"place_id", top}, {"type", "like"}}}}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["accepted"], 1);
    r = api.get(target);
    const json after = json::parse(r.body);
    for (const auto& p : after["places"]) EXPECT_NE(p["place_id"], top);
    // A user the artifacts do not know is created by its first events and answered at once.
    r = api.post("/v1/events", json{{"events", {{{"user_id", 5000000}, {"place_id", top}, {"type", "attend"}}}}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    r = api.get("/v1/users/5000000/recommendations/places?k=3");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["user_id"], 5000000);
    EXPECT_EQ(api.post("/v1/events", R"({"events": [{"user_id": 1, "place_id": 987654321, "type": "like"}]})").status, 404);
    EXPECT_EQ(api.post("/v1/events", R"({"events": [{"user_id": 1, "place_id": 1, "type": "buy"}]})").status, 400);
    EXPECT_EQ(api.post("/v1/events", R"({"events": []})").status, 400);
  }
  Api restarted(serving_workdir(), log);  // replays the log
  const auto r = restarted.get(target);
  ASSERT_EQ(r.status, 200);
  const json replayed = json::parse(r.body);
  for (const auto& p : replayed["places"]) EXPECT_NE(p["place_id"], top);
  EXPECT_EQ(restarted.get("/v1/users/5000000/recommendations/places?k=3").status, 200);
}

TEST(Api, UserProfilePlaceAndUserList) {
  Api api(serving_workdir(), fresh_log("profile"));
  const auto rec = api.service.current();
  int32_t row = 0;  // a user with a history (some are held out whole: cold-start users)
  while (rec->history().seen_places(row).empty()) ++row;
  const int64_t user = rec->catalogue().users().raw(row);
  auto r = api.get("/v1/users/" + std::to_string(user));
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  for (const char* key : {"user_id", "known", "home_city", "friends", "seen_places", "interests", "recent_places"})
    EXPECT_TRUE(j.contains(key)) << key << ": " << r.body;
  EXPECT_EQ(j["user_id"], user);
  EXPECT_TRUE(j["known"].get<bool>());
  EXPECT_EQ(j["friends"], rec->history().friends(row).size());
  EXPECT_EQ(j["seen_places"], rec->history().seen_places(row).size());
  ASSERT_FALSE(j["recent_places"].empty());
  EXPECT_LE(j["recent_places"].size(), 10u);
  int64_t previous = std::numeric_limits<int64_t>::max();
  for (const auto& p : j["recent_places"]) {  // seen by the user, newest first
    const int32_t place = rec->place_row(p["place_id"].get<int64_t>());
    const auto seen = rec->history().seen_places(row);
    EXPECT_TRUE(std::binary_search(seen.begin(), seen.end(), place)) << p;
    if (!p["last_timestamp"].is_null()) {
      EXPECT_LE(p["last_timestamp"].get<int64_t>(), previous);
      previous = p["last_timestamp"].get<int64_t>();
    }
  }
  int64_t counted = std::numeric_limits<int64_t>::max();
  for (const auto& i : j["interests"]) {  // by count, descending
    EXPECT_LE(i["count"].get<int64_t>(), counted);
    counted = i["count"].get<int64_t>();
  }
  EXPECT_EQ(api.get("/v1/users/987654321").status, 404);
  EXPECT_EQ(api.get("/v1/users/abc").status, 400);
  EXPECT_EQ(api.get("/v1/users/" + std::to_string(user) + "?k=3").status, 400);

  const int64_t place = rec->artifacts().embeddings.place_ids[5];
  r = api.get("/v1/places/" + std::to_string(place));
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  for (const char* key : {"place_id", "city", "neighborhood", "price_band", "time_slot", "categories", "tags", "lat", "lon",
                          "visitors"})
    EXPECT_TRUE(j.contains(key)) << key << ": " << r.body;
  EXPECT_EQ(j["city"], rec->catalogue().city(rec->place_row(place)));
  EXPECT_EQ(api.get("/v1/places/987654321").status, 404);

  r = api.get("/v1/users?offset=2&limit=3");
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  EXPECT_EQ(j["total"], rec->catalogue().n_users());
  ASSERT_EQ(j["users"].size(), 3u);
  EXPECT_EQ(j["users"][0], rec->catalogue().users().raw(2));
  EXPECT_EQ(api.get("/v1/users?limit=0").status, 422);

  // A user known only through events: not in the model, the reported place listed.
  r = api.post("/v1/events", json{{"events", {{{"user_id", 6000000}, {"place_id", place}, {"type", "like"}}}}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  r = api.get("/v1/users/6000000");
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  EXPECT_FALSE(j["known"].get<bool>());
  ASSERT_EQ(j["recent_places"].size(), 1u);
  EXPECT_EQ(j["recent_places"][0]["place_id"], place);
  EXPECT_TRUE(j["recent_places"][0]["live"].get<bool>());
}

TEST(Api, ExplorerPage) {
  Api api(serving_workdir(), fresh_log("explorer"));
  const auto r = api.get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.content_type.find("text/html"), std::string::npos);
  EXPECT_NE(r.body.find("recsys explorer"), std::string::npos);
  EXPECT_NE(r.body.find("/v1/attendance"), std::string::npos);
}

TEST(Api, OperationalRoutes) {
  Api api(serving_workdir(), fresh_log("ops"));
  EXPECT_EQ(json::parse(api.get("/healthz").body)["status"], "ok");
  const json ready = json::parse(api.get("/readyz").body);
  EXPECT_EQ(ready["status"], "ready");
  EXPECT_EQ(ready["model"], kHasHead ? "hetero" : "mf-bpr");
  api.get("/v1/users/" + std::to_string(some_user(api)) + "/recommendations/places");
  const auto m = api.get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.content_type.find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("recsys_http_requests_total{route=\"/v1/users/{id}/recommendations/places\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos) << m.body;
  EXPECT_NE(m.body.find("recsys_model_info{model=\"" + ready["model"].get<std::string>() + "\""), std::string::npos);
  const json spec = json::parse(api.get("/openapi.json").body);
  EXPECT_EQ(spec["openapi"], "3.0.3");
  EXPECT_TRUE(spec["paths"].contains("/v1/events"));
  const auto docs = api.get("/docs");
  EXPECT_EQ(docs.status, 200);
  EXPECT_NE(docs.body.find("/openapi.json"), std::string::npos);
}

TEST(Api, ReloadUnderLoadFailsNoRequest) {
  Api api(serving_workdir(), fresh_log("reload"));
  const std::string target = "/v1/users/" + std::to_string(some_user(api)) + "/recommendations/places?k=10";
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t)
    clients.emplace_back([&] {
      testing::HttpClient client(api.server.port());
      while (!done.load()) (client.request("GET", target).status == 200 ? ok : failed)++;
    });
  const std::string before = api.service.version();
  for (int i = 0; i < 3; ++i) {
    const auto r = api.post("/admin/reload", "");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["version"], before);  // same artifacts, same version
  }
  done = true;
  for (auto& c : clients) c.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 0);
}

}  // namespace
}  // namespace recsys::serve
