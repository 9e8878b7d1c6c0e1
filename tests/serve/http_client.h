#pragma once
// A small blocking HTTP/1.1 client for the server tests (Boost.Beast), one keep-alive connection.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <string>
#include <utility>
#include <vector>

namespace recsys::serve::testing {

struct ClientResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string allow;
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : socket_(ioc_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  using Headers = std::vector<std::pair<std::string, std::string>>;
  ClientResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                         const std::string& content_type = "application/json", const Headers& headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    if (req.method() == http::verb::unknown) req.method_string(method);
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty()) req.set(http::field::content_type, content_type);
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    http::write(socket_, req);
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    ClientResponse out;
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
    if (auto it = res.find(http::field::content_type); it != res.end()) out.content_type = std::string(it->value());
    if (auto it = res.find(http::field::allow); it != res.end()) out.allow = std::string(it->value());
    return out;
  }

  // Sends raw bytes and reads one response (for malformed / oversize requests).
  ClientResponse raw(const std::string& bytes) {
    namespace http = boost::beast::http;
    boost::asio::write(socket_, boost::asio::buffer(bytes));
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return {static_cast<int>(res.result_int()), res.body(), "", ""};
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace recsys::serve::testing
