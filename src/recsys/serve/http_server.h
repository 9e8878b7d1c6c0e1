#pragma once
// The HTTP/1.1 server (Boost.Beast over Asio): one io_context per thread, connections spread
// over them round-robin by the acceptor, keep-alive, limits on header and body sizes (431 / 413),
// a deadline per request read so that slow or idle clients are dropped, and a graceful stop
// (no new connections; requests in flight are answered first). Every request is handed to one
// RequestHandler, called concurrently from the server's threads.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "recsys/serve/http_message.h"

namespace recsys::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port (see HttpServer::port)
  int threads = 0;       // 0: one per core
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  // A request must arrive whole (from the first byte after the previous response, so this also
  // bounds keep-alive idling) within this time, else the connection is closed.
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds drain_timeout{5000};  // stop(): longest wait for requests in flight
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  // Binds and listens at once (IoError naming host:port when that fails); serves from run().
  HttpServer(const ServerOptions& options, RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  // Serves until stop(); uses the calling thread plus threads - 1 more.
  void run();
  // Thread-safe, also from a signal-watching thread: stops accepting, lets the requests in flight
  // finish (up to drain_timeout), then makes run() return.
  void stop();

  struct Impl;  // opaque (the sessions in http_server.cpp share it)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace recsys::serve
