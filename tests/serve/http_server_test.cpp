#include "recsys/serve/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http_client.h"
#include "running_server.h"
#include "recsys/core/error.h"
#include "recsys/serve/router.h"

namespace recsys::serve {
namespace {

using testing::RunningServer;

ServerOptions test_options() {
  ServerOptions o = testing::ephemeral_options();
  o.max_body_bytes = 1000;
  o.max_header_bytes = 2000;
  o.read_timeout = std::chrono::milliseconds(500);
  return o;
}

HttpResponse echo(const HttpRequest& r) {
  HttpResponse out;
  out.content_type = "text/plain";
  out.body = r.method + " " + r.path + " " + r.query + " " + r.body;
  return out;
}

TEST(HttpServer, AnswersKeepAliveRequests) {
  RunningServer s(test_options(), echo);
  testing::HttpClient client(s.port());
  for (int i = 0; i < 3; ++i) {
    const auto r = client.request("GET", "/a/b?x=1");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "GET /a/b x=1 ");
    EXPECT_EQ(r.content_type, "text/plain");
  }
  EXPECT_EQ(client.request("POST", "/p", "{}").body, "POST /p  {}");
}

TEST(HttpServer, OversizeBodyIs413AndOversizeHeaderIs431) {
  RunningServer s(test_options(), echo);
  {
    testing::HttpClient client(s.port());
    EXPECT_EQ(client.request("POST", "/p", std::string(5000, 'x')).status, 413);
  }
  {
    testing::HttpClient client(s.port());
    EXPECT_EQ(client.request("GET", "/" + std::string(5000, 'a')).status, 431);
  }
  {
    testing::HttpClient client(s.port());
    EXPECT_EQ(client.raw("NOT HTTP AT ALL\r\n\r\n").status, 400);
  }
}

TEST(HttpServer, SlowClientIsDisconnected) {
  RunningServer s(test_options(), echo);
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
  boost::asio::write(socket, boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n")));
  // Never finishes the header: the server closes the connection after read_timeout.
  char byte;
  boost::system::error_code ec;
  socket.read_some(boost::asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
}

TEST(HttpServer, HandlerExceptionIs500AndServerGoesOn) {
  RunningServer s(test_options(), [](const HttpRequest& r) -> HttpResponse {
    if (r.path == "/throw") throw std::runtime_error("bad");
    return echo(r);
  });
  testing::HttpClient client(s.port());
  EXPECT_EQ(client.request("GET", "/throw").status, 500);
  EXPECT_EQ(client.request("GET", "/ok").status, 200);
}

TEST(HttpServer, ManyClientsConcurrently) {
  std::atomic<int> calls{0};
  RunningServer s(test_options(), [&](const HttpRequest& r) {
    calls.fetch_add(1);
    return echo(r);
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      testing::HttpClient client(s.port());
      for (int i = 0; i < 50; ++i) ok += client.request("GET", "/x").status == 200;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 400);
  EXPECT_EQ(calls.load(), 400);
}

TEST(HttpServer, BindFailureNamesTheAddress) {
  RunningServer s(test_options(), echo);
  ServerOptions o = test_options();
  o.port = s.port();
  try {
    HttpServer second(o, echo);
    FAIL() << "bound twice";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(s.port())), std::string::npos);
  }
  o.host = "not-an-ip";
  EXPECT_THROW(HttpServer(o, echo), ConfigError);
}

}  // namespace
}  // namespace recsys::serve
