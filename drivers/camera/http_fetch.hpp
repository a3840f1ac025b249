// SPDX-License-Identifier: Apache-2.0
// One HTTP GET of a camera snapshot (Boost.Beast, plain HTTP/1.1), blocking with a deadline.
// Runs on a decode worker thread, never on the agent's io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace dockgate::drivers {

/// Parts of "http://host[:port]/path?query".
struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";  ///< path and query, always starting with '/'
};

/// Parses an http:// URL; nullopt for anything else (https, missing host, bad port).
std::optional<HttpUrl> parse_http_url(const std::string& url);

/// Body of a 200 response, or an error text ("connect: Connection refused",
/// "HTTP 404 Not Found", "timed out after 5000 ms").
struct HttpFetchResult {
  std::optional<std::string> error;
  std::string body;
};

/// GETs `url` with a total deadline of `timeout` (resolve + connect + request + response);
/// bodies above `max_body_bytes` are an error. Never throws.
HttpFetchResult http_get(const HttpUrl& url, std::chrono::milliseconds timeout,
                         std::uint64_t max_body_bytes);

}  // namespace dockgate::drivers
