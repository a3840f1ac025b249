// SPDX-License-Identifier: Apache-2.0
// The HTTP side of the metrics endpoint: a small Boost.Beast server on the daemon's
// io_context. It answers GET/HEAD /metrics with the body a callback renders; nothing else.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "agent/runtime/metrics_options.hpp"

namespace dockgate::runtime {

/// Serves the scrape endpoint. Runs entirely on `io` (the callback too, so it may read
/// io-thread state without locks). Limits, so a scanner of the network cannot hurt the
/// daemon: 16 connections at once (more are closed at accept), 8 KiB of request headers,
/// no request body, 10 s to send a request, keep-alive for up to 100 requests.
/// Responses: 200 for GET/HEAD /metrics (Content-Type "text/plain; version=0.0.4;
/// charset=utf-8"), 404 for another path, 405 with "Allow: GET, HEAD" for another method,
/// 400 for a malformed request (RFC 9110 sections 15.5.5, 15.5.6, 15.5.1).
class MetricsHttp {
 public:
  using BodyFn = std::function<std::string()>;

  /// Binds `address` and starts accepting. Throws std::system_error (with the address in the
  /// message) when it cannot bind: address in use, not a local address, no permission.
  MetricsHttp(boost::asio::io_context& io, const ListenAddress& address, BodyFn body);
  /// Closes the listening socket and every open connection (on the io thread).
  ~MetricsHttp();
  MetricsHttp(const MetricsHttp&) = delete;
  MetricsHttp& operator=(const MetricsHttp&) = delete;

  /// The bound port (useful with port 0 in tests).
  [[nodiscard]] unsigned short port() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace dockgate::runtime
