// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/http_fetch.hpp"

#include <utility>
// Boost 1.74 Asio with GCC 12 / C++20: <utility> first (pitfalls.md).
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>

namespace dockgate::drivers {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

std::optional<HttpUrl> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpUrl out;
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(value);
    out.host = authority.substr(0, colon);
  } else {
    out.host = authority;
  }
  if (out.host.empty() || out.host.find('@') != std::string::npos) return std::nullopt;
  return out;
}

HttpFetchResult http_get(const HttpUrl& url, std::chrono::milliseconds timeout,
                         std::uint64_t max_body_bytes) {
  HttpFetchResult result;
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::request<http::empty_body> request{http::verb::get, url.target, 11};
  request.set(http::field::host, url.host);
  request.set(http::field::user_agent, "dockgate");
  request.set(http::field::connection, "close");
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  tcp::resolver resolver(io);
  std::string step = "resolve";
  auto fail = [&](const std::string& what, const boost::system::error_code& ec) {
    result.error =
        what + ": " +
        (ec == beast::error::timeout ? "timed out after " + std::to_string(timeout.count()) + " ms"
                                     : ec.message());
  };
  stream.expires_after(timeout);
  resolver.async_resolve(
      url.host, std::to_string(url.port),
      [&](const boost::system::error_code& ec, const tcp::resolver::results_type& endpoints) {
        if (ec) return fail("resolve " + url.host, ec);
        step = "connect";
        stream.async_connect(endpoints, [&](const boost::system::error_code& cec,
                                            const tcp::endpoint&) {
          if (cec) return fail("connect", cec);
          http::async_write(
              stream, request, [&](const boost::system::error_code& wec, std::size_t) {
                if (wec) return fail("send request", wec);
                http::async_read(
                    stream, buffer, parser, [&](const boost::system::error_code& rec, std::size_t) {
                      if (rec) return fail("read response", rec);
                      const auto& response = parser.get();
                      if (response.result() != http::status::ok) {
                        result.error = "HTTP " + std::to_string(response.result_int()) + " " +
                                       std::string(response.reason());
                        return;
                      }
                      result.body = response.body();
                    });
              });
        });
      });
  // The stream's deadline covers connect/write/read; the resolver has none of its own, so
  // the whole exchange is bounded here as well.
  io.run_for(timeout + std::chrono::milliseconds(100));
  if (!io.stopped()) {
    result.error = "timed out after " + std::to_string(timeout.count()) + " ms (" + step + ")";
    resolver.cancel();
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return result;
}

}  // namespace dockgate::drivers
