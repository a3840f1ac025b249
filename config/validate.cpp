// SPDX-License-Identifier: Apache-2.0
#include "config/validate.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <system_error>

#include "agent/gs1/parse.hpp"

namespace dockgate::config {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}

// Shows one offending character readably, control characters as \xNN.
std::string show_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("'\\x") + kHex[u >> 4] + kHex[u & 0xf] + "'";
  }
  return std::string("'") + c + "'";
}

// GS1 General Specifications figure 7.11-1: the 82 characters of CSET 82.
bool is_cset82(char c) {
  if (is_alnum(c)) return true;
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

// RFC 3986 section 2: unreserved, reserved (gen-delims and sub-delims) and '%'.
bool is_uri_char(char c) {
  if (is_alnum(c)) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Host name or IPv4 address: labels of [A-Za-z0-9-] separated by single dots (RFC 1123).
std::string check_host_name(std::string_view host) {
  if (host.empty()) return "has no host";
  if (host.size() > 253) return "host name is longer than 253 characters";
  std::size_t label = 0;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    if (i == host.size() || host[i] == '.') {
      if (label == 0) return "host '" + std::string(host) + "' has an empty label";
      if (host[i - 1] == '-' || host[i - label] == '-') {
        return "host '" + std::string(host) + "' has a label starting or ending with '-'";
      }
      label = 0;
    } else if (is_alnum(host[i]) || host[i] == '-') {
      ++label;
    } else {
      return "host '" + std::string(host) + "' contains " + show_char(host[i]);
    }
  }
  return "";
}

// IANA: 1883 is MQTT, 8883 MQTT over TLS.
MqttUri with_default_port(MqttUri uri) {
  uri.port = uri.tls ? 8883 : 1883;
  return uri;
}

}  // namespace

std::string check_topic_id(std::string_view id) {
  if (id.empty()) return "must not be empty";
  if (id.size() > 64) return "must be at most 64 characters";
  for (char c : id) {
    if (!is_alnum(c) && c != '-' && c != '_') {
      return "contains " + show_char(c) + "; use only letters, digits, '-' and '_'";
    }
  }
  return "";
}

std::string check_topic_prefix(std::string_view prefix) {
  if (prefix.empty()) return "must not be empty";
  if (prefix.size() > 128) return "must be at most 128 characters";
  if (prefix.front() == '/' || prefix.back() == '/') return "must not start or end with '/'";
  if (prefix.front() == '$') return "must not start with '$' (reserved for broker topics)";
  if (prefix.find("//") != std::string_view::npos) return "must not contain an empty level '//'";
  for (char c : prefix) {
    if (c == '+' || c == '#') return "must not contain the MQTT wildcard " + show_char(c);
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "must not contain the control character " + show_char(c);
    }
  }
  return "";
}

std::string check_gln(std::string_view gln) {
  if (gln.size() != 13) {
    return "a GLN has 13 digits, got " + std::to_string(gln.size()) + " characters";
  }
  for (char c : gln) {
    if (!is_digit(c)) return "a GLN has only digits, got " + show_char(c);
  }
  if (!gs1::check_digit_valid(gln)) {
    return std::string("check digit is ") + gln.back() + ", expected " +
           gs1::check_digit(gln.substr(0, 12));
  }
  return "";
}

std::string check_time_zone_offset(std::string_view offset) {
  if (offset == "local") return "";
  std::string expected = "expected \"local\" or an offset from -14:00 to +14:00 like +01:00";
  if (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') || offset[3] != ':' ||
      !is_digit(offset[1]) || !is_digit(offset[2]) || !is_digit(offset[4]) ||
      !is_digit(offset[5])) {
    return expected;
  }
  const int hours = (offset[1] - '0') * 10 + (offset[2] - '0');
  const int minutes = (offset[4] - '0') * 10 + (offset[5] - '0');
  if (minutes > 59 || hours > 14 || (hours == 14 && minutes != 0)) return expected;
  return "";
}

std::string check_gln_extension(std::string_view extension) {
  if (extension.empty()) return "must not be empty";
  if (extension.size() > 20) {
    return "AI (254) allows at most 20 characters, got " + std::to_string(extension.size());
  }
  for (char c : extension) {
    if (!is_cset82(c)) return "contains " + show_char(c) + ", not in GS1 character set 82";
  }
  return "";
}

std::optional<MqttUri> parse_mqtt_uri(std::string_view uri, std::string& error) {
  MqttUri out;
  const auto sep = uri.find("://");
  if (sep == std::string_view::npos) {
    error = "expected scheme://host:port, e.g. tcp://broker:1883";
    return std::nullopt;
  }
  out.scheme = std::string(uri.substr(0, sep));
  if (out.scheme == "ssl" || out.scheme == "mqtts") {
    out.tls = true;
  } else if (out.scheme != "tcp" && out.scheme != "mqtt") {
    error = "scheme '" + out.scheme + "' is not supported; use tcp, mqtt, ssl or mqtts";
    return std::nullopt;
  }
  std::string_view rest = uri.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('@') != std::string_view::npos) {
    error = "user info in the URI is not supported; use username and password_file";
    return std::nullopt;
  }
  if (rest.find('/') != std::string_view::npos || rest.find('?') != std::string_view::npos) {
    error = "an MQTT URI has no path or query; expected scheme://host:port";
    return std::nullopt;
  }
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      error = "IPv6 address has no closing ']'";
      return std::nullopt;
    }
    std::string_view host = rest.substr(1, close - 1);
    if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") != host.npos) {
      error = "'" + std::string(host) + "' is not an IPv6 address";
      return std::nullopt;
    }
    out.host = std::string(host);
    if (close + 1 == rest.size()) return with_default_port(std::move(out));
    if (rest[close + 1] != ':') {
      error = "expected ':port' after ']'";
      return std::nullopt;
    }
    port_text = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    std::string_view host = rest.substr(0, colon);
    if (std::string e = check_host_name(host); !e.empty()) {
      error = e;
      return std::nullopt;
    }
    out.host = std::string(host);
    if (colon == std::string_view::npos) return with_default_port(std::move(out));
    port_text = rest.substr(colon + 1);
  }
  unsigned port = 0;
  const char* end = port_text.data() + port_text.size();
  auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || ec != std::errc() || ptr != end || port == 0 || port > 65535) {
    error = "port '" + std::string(port_text) + "' is not a number from 1 to 65535";
    return std::nullopt;
  }
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

std::string check_uri_template(std::string_view uri, unsigned capture_groups) {
  // RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'.
  std::size_t i = 0;
  while (i < uri.size() && (is_alnum(uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.')) {
    ++i;
  }
  if (i == 0 || i >= uri.size() || uri[i] != ':' || !is_alpha(uri[0]) || i + 1 == uri.size()) {
    return "expected an absolute URI with a scheme, e.g. urn:example:lp:{0}";
  }
  for (std::size_t k = i + 1; k < uri.size(); ++k) {
    const char c = uri[k];
    if (c == '{') {
      if (k + 2 >= uri.size() || !is_digit(uri[k + 1]) || uri[k + 2] != '}') {
        return "'{' must start a placeholder {0}..{9}";
      }
      const unsigned n = static_cast<unsigned>(uri[k + 1] - '0');
      if (n > capture_groups) {
        return "uses {" + std::to_string(n) + "} but the regex has " +
               std::to_string(capture_groups) + " capture group" + (capture_groups == 1 ? "" : "s");
      }
      k += 2;
    } else if (c == '}') {
      return "'}' outside a placeholder {0}..{9}";
    } else if (c == '%') {
      if (k + 2 >= uri.size() || !is_hex(uri[k + 1]) || !is_hex(uri[k + 2])) {
        return "'%' must start a percent-encoded byte such as %20";
      }
    } else if (!is_uri_char(c)) {
      return "contains " + show_char(c) + ", which a URI cannot hold unencoded";
    }
  }
  return "";
}

std::string check_readable_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) return "file '" + path + "' does not exist";
    return "cannot access '" + path + "': " + std::generic_category().message(err);
  }
  if (!S_ISREG(st.st_mode)) return "'" + path + "' is not a regular file";
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return "cannot read '" + path + "': " + std::generic_category().message(err);
  }
  ::close(fd);
  return "";
}

}  // namespace dockgate::config
