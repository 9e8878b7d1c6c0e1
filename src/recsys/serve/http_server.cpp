#include "recsys/serve/http_server.h"

#include <fmt/format.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/serve/beast_request.h"
#include "recsys/serve/http_error.h"

namespace recsys::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
  ServerOptions options;
  RequestHandler handler;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::optional<tcp::acceptor> acceptor;
  size_t next_context = 0;
  uint16_t port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> in_flight{0};
  std::mutex stop_mutex;
  bool stopped = false;

  void accept();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server) : stream_(std::move(socket)), server_(server) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(server_.options.max_body_bytes);
    stream_.expires_after(server_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec) {
      // The request could not be read whole: answer once, then close (the stream is out of sync).
      int status = 400;
      std::string message = fmt::format("malformed request: {}", ec.message());
      if (ec == http::error::body_limit) {
        status = 413;
        message = fmt::format("request body over the limit of {} bytes", server_.options.max_body_bytes);
      } else if (ec == http::error::header_limit) {
        status = 431;
        message = fmt::format("request header over the limit of {} bytes", server_.options.max_header_bytes);
      }
      HttpResponse r;
      r.status = status;
      r.body = error_body(status, message);
      return write(r, /*keep_alive=*/false, 11, /*counted=*/false);
    }
    const auto& req = parser_->get();
    const HttpRequest request = to_http_request(req);
    const bool keep_alive = req.keep_alive() && !server_.stopping.load();
    const unsigned version = req.version();
    server_.in_flight.fetch_add(1);
    HttpResponse response;
    try {
      response = server_.handler(request);
    } catch (const std::exception& e) {
      response.status = 500;
      response.body = error_body(500, fmt::format("internal error: {}", e.what()));
    }
    write(response, keep_alive, version, /*counted=*/true);
  }

  // `counted`: the request was counted in flight (until its response is written).
  void write(const HttpResponse& r, bool keep_alive, unsigned version, bool counted) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res->set(http::field::server, "recsys");
    res->set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res->set(name, value);
    res->keep_alive(keep_alive);
    res->body() = r.body;
    res->prepare_payload();
    stream_.expires_after(server_.options.read_timeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive, counted](beast::error_code ec, size_t) {
      if (counted) self->server_.in_flight.fetch_sub(1);
      if (ec || !keep_alive) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

void HttpServer::Impl::accept() {
  asio::io_context& target = *contexts[next_context];
  next_context = (next_context + 1) % contexts.size();
  acceptor->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), *this)->start();
    }
    accept();
  });
}

HttpServer::HttpServer(const ServerOptions& options, RequestHandler handler) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.options = options;
  s.handler = std::move(handler);
  const int threads = options.threads > 0 ? options.threads
                                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    s.contexts.push_back(std::make_unique<asio::io_context>(1));
    s.guards.push_back(asio::make_work_guard(*s.contexts.back()));
  }
  const std::string where = fmt::format("{}:{}", options.host, options.port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) throw ConfigError(fmt::format("--host '{}': not an IP address ({})", options.host, ec.message()));
  const tcp::endpoint endpoint(address, options.port);
  s.acceptor.emplace(*s.contexts[0]);
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw IoError(fmt::format("cannot listen on {}: {}", where, ec.message()));
  s.port = s.acceptor->local_endpoint().port();
  s.accept();
}

HttpServer::~HttpServer() { stop(); }

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->contexts.size(); ++i)
    threads.emplace_back([ctx = impl_->contexts[i].get()] { ctx->run(); });
  impl_->contexts[0]->run();
  for (auto& t : threads) t.join();
}

void HttpServer::stop() {
  Impl& s = *impl_;
  std::lock_guard lock(s.stop_mutex);
  if (s.stopped) return;
  s.stopped = true;
  s.stopping.store(true);
  asio::post(*s.contexts[0], [&s] {
    beast::error_code ignored;
    s.acceptor->close(ignored);
  });
  const auto deadline = std::chrono::steady_clock::now() + s.options.drain_timeout;
  while (s.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.guards.clear();
  for (auto& ctx : s.contexts) ctx->stop();
}

}  // namespace recsys::serve
