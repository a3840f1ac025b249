// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/metrics_http.hpp"

#include <utility>
// Boost 1.74 Asio with GCC 12 / C++20: <utility> first (pitfalls.md).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <list>
#include <optional>
#include <system_error>

namespace dockgate::runtime {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxConnections = 16;
constexpr std::uint32_t kMaxHeaderBytes = 8 * 1024;
constexpr std::chrono::seconds kRequestTimeout{10};
constexpr unsigned kMaxRequestsPerConnection = 100;
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace

struct MetricsHttp::Impl : std::enable_shared_from_this<MetricsHttp::Impl> {
  struct Connection {
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    std::optional<http::request_parser<http::empty_body>> parser;
    http::response<http::string_body> response;
    unsigned served = 0;
    explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  };
  using ConnIt = std::list<Connection>::iterator;

  Impl(asio::io_context& io, BodyFn render) : acceptor(io), body(std::move(render)) {}

  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (self->closed) return;
      if (!ec) {
        if (self->connections.size() >= kMaxConnections) {
          beast::error_code ignored;
          socket.close(ignored);  // over the limit: refuse, keep serving the others
        } else {
          self->connections.emplace_front(std::move(socket));
          self->read(self->connections.begin());
        }
      }
      self->accept();  // also after an error (EMFILE ...): the next accept may succeed
    });
  }

  void read(ConnIt c) {
    c->parser.emplace();
    c->parser->header_limit(kMaxHeaderBytes);
    c->parser->body_limit(0);
    c->stream.expires_after(kRequestTimeout);
    http::async_read(c->stream, c->buffer, *c->parser,
                     [self = shared_from_this(), c](beast::error_code ec, std::size_t) {
                       if (self->closed) return;
                       if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
                           ec == asio::error::connection_reset) {
                         self->drop(c);
                       } else if (ec) {
                         self->respond(c, http::status::bad_request, "bad request\n", false);
                       } else {
                         self->serve(c);
                       }
                     });
  }

  void serve(ConnIt c) {
    const auto& req = c->parser->get();
    const bool keep = req.keep_alive() && ++c->served < kMaxRequestsPerConnection;
    const beast::string_view target = req.target();
    const beast::string_view path = target.substr(0, target.find('?'));
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      respond(c, http::status::method_not_allowed, "only GET and HEAD\n", keep);
    } else if (path != "/metrics") {
      respond(c, http::status::not_found, "dockgate serves /metrics only\n", keep);
    } else {
      respond(c, http::status::ok, body(), keep);
    }
  }

  void respond(ConnIt c, http::status status, std::string text, bool keep) {
    const bool head =
        c->parser && c->parser->is_header_done() && c->parser->get().method() == http::verb::head;
    auto& res = c->response;
    res = {};
    res.version(11);
    res.result(status);
    res.set(http::field::server, "dockgate");
    res.set(http::field::content_type,
            status == http::status::ok ? kContentType : "text/plain; charset=utf-8");
    if (status == http::status::method_not_allowed) res.set(http::field::allow, "GET, HEAD");
    res.keep_alive(keep);
    res.body() = std::move(text);
    res.prepare_payload();  // Content-Length of the GET body, also for HEAD
    if (head) res.body().clear();
    c->stream.expires_after(kRequestTimeout);
    http::async_write(c->stream, res,
                      [self = shared_from_this(), c, keep](beast::error_code ec, std::size_t) {
                        if (self->closed) return;
                        if (ec || !keep) {
                          self->drop(c);
                        } else {
                          self->read(c);
                        }
                      });
  }

  void drop(ConnIt c) {
    beast::error_code ignored;
    c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    c->stream.close();
    connections.erase(c);
  }

  void close() {
    closed = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    // Handlers still queued see `closed` and return; they hold the Impl alive until then.
    for (auto& c : connections) c.stream.close();
  }

  tcp::acceptor acceptor;
  BodyFn body;
  std::list<Connection> connections;  // stable iterators while a handler holds one
  bool closed = false;
};

MetricsHttp::MetricsHttp(asio::io_context& io, const ListenAddress& address, BodyFn body)
    : impl_(std::make_shared<Impl>(io, std::move(body))) {
  beast::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  const std::string where = address.host + ":" + std::to_string(address.port);
  if (ec) throw std::system_error(ec, "metrics endpoint " + where);
  const tcp::endpoint endpoint(ip, address.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && ip.is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::system_error(ec, "metrics endpoint " + where);
  impl_->accept();
}

MetricsHttp::~MetricsHttp() {
  impl_->close();
}

unsigned short MetricsHttp::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

}  // namespace dockgate::runtime
