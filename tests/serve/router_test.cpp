#include "recsys/serve/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "recsys/serve/http_error.h"

namespace recsys::serve {
namespace {

HttpRequest get(const std::string& path, const std::string& method = "GET") {
  HttpRequest r;
  r.method = method;
  r.path = path;
  return r;
}

Router make_router() {
  Router router;
  router.add("GET", "/v1/users/{id}/friends", [](const HttpRequest&, const PathParams& p) {
    HttpResponse r;
    r.body = nlohmann::json{{"id", p["id"]}}.dump();
    return r;
  });
  router.add("POST", "/v1/users/{id}/friends", [](const HttpRequest&, const PathParams&) -> HttpResponse {
    throw HttpError(422, "impossible");
  });
  router.add("GET", "/v1/places/{id}", [](const HttpRequest&, const PathParams& p) -> HttpResponse {
    throw NotFound("place " + p["id"] + " does not exist");
  });
  router.add("GET", "/boom", [](const HttpRequest&, const PathParams&) -> HttpResponse {
    throw std::runtime_error("kaput");
  });
  return router;
}

TEST(Router, MatchesCapturesAndDecodes) {
  const Router router = make_router();
  int route = -2;
  const HttpResponse r = router.handle(get("/v1/users/a%20b/friends"), &route);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(route, 0);
  EXPECT_EQ(nlohmann::json::parse(r.body)["id"], "a b");
}

TEST(Router, ErrorsAreJson) {
  const Router router = make_router();
  int route = -2;
  HttpResponse r = router.handle(get("/v1/nothing"), &route);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(route, -1);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["status"], 404);
  EXPECT_EQ(router.handle(get("/v1/users//friends")).status, 404);
  EXPECT_EQ(router.handle(get("/v1/users/1/friends/")).status, 404);
  r = router.handle(get("/v1/users/1/friends", "DELETE"));
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "GET, POST");
  EXPECT_EQ(router.handle(get("/v1/users/1/friends", "POST")).status, 422);
  r = router.handle(get("/v1/places/9"));
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("place 9 does not exist"), std::string::npos);
  EXPECT_EQ(router.handle(get("/boom")).status, 500);
  EXPECT_EQ(router.handle(get("/v1/users/%zz/friends")).status, 400);
  EXPECT_EQ(router.handle(get("")).status, 404);
}

TEST(Router, RejectsBadPattern) { EXPECT_THROW(Router().add("GET", "v1", {}), InvalidArgument); }

}  // namespace
}  // namespace recsys::serve
