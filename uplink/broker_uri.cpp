// SPDX-License-Identifier: Apache-2.0
#include "uplink/broker_uri.hpp"

#include <charconv>

#include "uplink/publisher.hpp"

namespace dockgate::uplink {
namespace {

[[noreturn]] void fail(const std::string& uri, const std::string& why) {
  throw UplinkError("uplink.mqtt.uri \"" + uri + "\": " + why);
}

}  // namespace

BrokerUri parse_broker_uri(const std::string& uri) {
  BrokerUri out;
  const auto sep = uri.find("://");
  if (sep == std::string::npos) fail(uri, "expected scheme://host:port");
  out.scheme = uri.substr(0, sep);
  if (out.scheme == "tcp" || out.scheme == "mqtt") {
    out.tls = false;
    out.port = 1883;
  } else if (out.scheme == "ssl" || out.scheme == "mqtts") {
    out.tls = true;
    out.port = 8883;
  } else {
    fail(uri, "unsupported scheme \"" + out.scheme + "\" (use tcp, mqtt, ssl or mqtts)");
  }

  std::string rest = uri.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) fail(uri, "a path is not allowed");
  if (rest.find('@') != std::string::npos) {
    fail(uri, "credentials in the URI are not allowed (use username and password_file)");
  }

  std::string port_text;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string::npos) fail(uri, "unterminated [IPv6 address]");
    out.host = rest.substr(1, close - 1);
    const std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail(uri, "expected :port after ]");
      port_text = after.substr(1);
      if (port_text.empty()) fail(uri, "empty port");
    }
  } else {
    const auto colon = rest.rfind(':');
    if (colon != std::string::npos) {
      out.host = rest.substr(0, colon);
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) fail(uri, "empty port");
      if (out.host.find(':') != std::string::npos) fail(uri, "IPv6 addresses need [brackets]");
    } else {
      out.host = rest;
    }
  }
  if (out.host.empty()) fail(uri, "empty host");
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, value);
    if (ec != std::errc() || ptr != end || value == 0 || value > 65535) {
      fail(uri, "port \"" + port_text + "\" is not 1..65535");
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  const bool v6 = out.host.find(':') != std::string::npos;
  out.paho_uri = std::string(out.tls ? "ssl" : "tcp") + "://" + (v6 ? "[" : "") + out.host +
                 (v6 ? "]" : "") + ":" + std::to_string(out.port);
  return out;
}

}  // namespace dockgate::uplink
