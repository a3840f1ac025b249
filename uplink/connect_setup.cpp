// SPDX-License-Identifier: Apache-2.0
#include "uplink/connect_setup.hpp"

#include <MQTTReasonCodes.h>
#include <mqtt/exception.h>
#include <mqtt/properties.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>
#include <string_view>
#include <vector>

#include "uplink/publisher.hpp"
#include "uplink/tls_check.hpp"

namespace dockgate::uplink {
namespace {

[[noreturn]] void bad(const std::string& key, const std::string& why) {
  throw UplinkError("uplink.mqtt." + key + ": " + why);
}

void require_readable(const std::string& key, const std::string& what, const std::string& path) {
  if (const auto why = unreadable_reason(path); !why.empty()) {
    bad(key, "TLS: " + what + " \"" + path + "\" not readable: " + why);
  }
}

int whole_seconds_up(std::chrono::milliseconds ms) {
  return static_cast<int>((ms.count() + 999) / 1000);
}

std::vector<std::string> split_levels(const std::string& topic) {
  std::vector<std::string> levels;
  std::size_t start = 0;
  while (true) {
    const auto slash = topic.find('/', start);
    levels.push_back(topic.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return levels;
}

/// Well-formed UTF-8 without overlong forms, surrogates or code points above U+10FFFF
/// (MQTT 5.0 section 1.5.4; Paho C refuses a SUBSCRIBE otherwise, at every connect).
bool valid_utf8(std::string_view s) {
  static constexpr char32_t kMinOf[] = {0, 0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      n = 1;
      cp = lead;
    } else if ((lead & 0xE0U) == 0xC0U) {
      n = 2;
      cp = lead & 0x1FU;
    } else if ((lead & 0xF0U) == 0xE0U) {
      n = 3;
      cp = lead & 0x0FU;
    } else if ((lead & 0xF8U) == 0xF0U) {
      n = 4;
      cp = lead & 0x07U;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xC0U) != 0x80U) return false;
      cp = (cp << 6U) | (cont & 0x3FU);
    }
    if (cp < kMinOf[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

/// A filter as shown in an error message: control bytes (NUL ...) escaped as \xNN, so the
/// message is not cut at a NUL; at most 100 bytes.
std::string shown(const std::string& filter) {
  std::string out;
  for (const char c : filter.substr(0, 100)) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02X", b);
      out += esc;
    } else {
      out += c;
    }
  }
  return filter.size() > 100 ? out + "..." : out;
}

void check_filter(const std::string& filter) {
  const auto fail = [&](const std::string& why) {
    throw UplinkError("uplink: topic filter \"" + shown(filter) + "\": " + why);
  };
  // MQTT 5.0 section 4.7.3 / 3.1.1 section 4.7.3: at least one character.
  if (filter.empty()) throw UplinkError("uplink: topic filter is empty");
  if (filter.find('\0') != std::string::npos) fail("contains NUL");
  if (filter.size() > 65'535) fail("longer than 65535 bytes");
  if (!valid_utf8(filter)) fail("is not valid UTF-8");
  const auto levels = split_levels(filter);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string& level = levels[i];
    // Section 4.7.1.2: '#' alone in its level, and the last level.
    if (level.find('#') != std::string::npos) {
      if (level != "#") fail("'#' must be a whole level");
      if (i + 1 != levels.size()) fail("'#' must be the last level");
    }
    // Section 4.7.1.3: '+' alone in its level.
    if (level.find('+') != std::string::npos && level != "+") fail("'+' must be a whole level");
  }
}

}  // namespace

void validate_subscriptions(const Subscriptions& subscriptions) {
  std::set<std::string> seen;
  for (const auto& filter : subscriptions.filters) {
    check_filter(filter);
    // A second SUBSCRIBE of the same filter only replaces the first and sends the retained
    // messages twice.
    if (!seen.insert(filter).second) {
      throw UplinkError("uplink: topic filter \"" + shown(filter) + "\" is listed twice");
    }
  }
  if (!subscriptions.filters.empty() && !subscriptions.on_message) {
    throw UplinkError("uplink: topic filters given without a message callback (on_message)");
  }
}

void validate_options(const MqttOptions& o, const BrokerUri& uri, const Topics& topics) {
  using std::chrono::milliseconds;
  if (o.keepalive < milliseconds(1'000) || o.keepalive > milliseconds(65'535'000)) {
    bad("keepalive", "must be 1 s .. 65535 s (the will relies on it)");
  }
  if (o.connect_timeout < milliseconds(1'000)) bad("connect_timeout", "must be at least 1 s");
  if (o.inflight_window < 1 || o.inflight_window > 65'000) {
    bad("inflight_window", "must be 1 .. 65000 messages");
  }
  if (o.max_events_per_message < 1) bad("max_events_per_message", "must be at least 1");
  if (o.max_message_bytes < 1'024 || o.max_message_bytes > 256u * 1024 * 1024) {
    bad("max_message_bytes", "must be 1 KiB .. 256 MiB");
  }
  if (o.reconnect_min < milliseconds(10)) bad("reconnect_min", "must be at least 10 ms");
  if (o.reconnect_max < o.reconnect_min) bad("reconnect_max", "must be >= reconnect_min");
  if (o.status_interval < milliseconds(100)) bad("status_interval", "must be at least 100 ms");
  if (o.session_expiry.count() < 0 || o.session_expiry.count() > 4'294'967'295LL) {
    bad("session_expiry", "must be 0 .. 4294967295 s (MQTT 5.0 section 3.1.2.11.2)");
  }
  if (topics.events.empty() || topics.exceptions.empty() || topics.status.empty()) {
    throw UplinkError("uplink: topics must not be empty");
  }
  if (!o.password_file.empty()) {
    if (o.username.empty()) bad("password_file", "needs username (MQTT 3.1.1 section 3.1.2.9)");
    read_password_file(o.password_file);
  }
  if (!o.key_file.empty() && o.cert_file.empty()) bad("key_file", "needs cert_file");
  if (uri.tls) {
    if (!o.ca_file.empty()) require_readable("ca_file", "CA file", o.ca_file);
    if (!o.cert_file.empty()) require_readable("cert_file", "client certificate", o.cert_file);
    if (!o.key_file.empty()) require_readable("key_file", "client key", o.key_file);
  }
}

std::string read_password_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) bad("password_file", "cannot read \"" + path + "\"");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) bad("password_file", "\"" + path + "\" is empty (password on the first line)");
  return line;
}

std::string effective_client_id(const MqttOptions& options, const Topics& topics) {
  if (!options.client_id.empty()) return options.client_id;
  const auto levels = split_levels(topics.status);
  // {prefix}/{site}/{gateway}/status: the levels after the prefix (which may itself hold
  // several levels) and before "status" identify this gateway.
  std::size_t first = 1;
  const std::string& prefix = options.topic_prefix;
  if (!prefix.empty() && topics.status.rfind(prefix + "/", 0) == 0) {
    first = split_levels(prefix).size();
  }
  std::string id = "dockgate";
  for (std::size_t i = first; i + 1 < levels.size(); ++i) id += "-" + levels[i];
  if (levels.size() < 3) {
    std::vector<char> host(256, '\0');
    if (::gethostname(host.data(), host.size() - 1) == 0) id += "-" + std::string(host.data());
  }
  return id;
}

mqtt::create_options make_create_options(const MqttOptions& options) {
  // Paho's buffer limit also applies while connected (pitfalls.md): room for the whole row
  // window plus status messages, so publish() never fails with -12 in normal operation.
  mqtt::create_options co(paho_version(options.protocol),
                          static_cast<int>(options.inflight_window) + 16);
  co.set_send_while_disconnected(false);
  return co;
}

mqtt::connect_options make_connect_options(const MqttOptions& options, const BrokerUri& uri,
                                           const std::string& will_topic,
                                           const std::string& will_payload) {
  mqtt::connect_options co;
  // The version first: it resets clean session / clean start (pitfalls.md).
  co.set_mqtt_version(paho_version(options.protocol));
  const bool persistent = options.session_expiry.count() > 0;
  if (options.protocol == MqttProtocol::v5) {
    co.set_clean_start(!persistent);
    if (persistent) {
      mqtt::properties props;
      props.add(mqtt::property(mqtt::property::SESSION_EXPIRY_INTERVAL,
                               static_cast<int32_t>(options.session_expiry.count())));
      co.set_properties(std::move(props));
    }
  } else {
    co.set_clean_session(!persistent);
  }
  co.set_automatic_reconnect(false);
  co.set_keep_alive_interval(whole_seconds_up(options.keepalive));
  co.set_connect_timeout(whole_seconds_up(options.connect_timeout));
  co.set_max_inflight(static_cast<int>(options.inflight_window) + 16);
  co.set_will(mqtt::will_options(will_topic, will_payload, 1, true));
  if (!options.username.empty()) co.set_user_name(options.username);
  if (!options.password_file.empty()) co.set_password(read_password_file(options.password_file));
  if (uri.tls) {
    // Only the builder calls listed in pitfalls.md: ca_path and an error handler dangle in
    // Paho C++ 1.2.0 copies. An empty trust store means OpenSSL's default CA paths.
    auto ssl = mqtt::ssl_options_builder()
                   .trust_store(options.ca_file)
                   .key_store(options.cert_file)
                   .private_key(options.key_file.empty() ? options.cert_file : options.key_file)
                   .enable_server_cert_auth(true)
                   .verify(options.verify_hostname)
                   .finalize();
    co.set_ssl(std::move(ssl));
  }
  return co;
}

int paho_version(MqttProtocol protocol) {
  return protocol == MqttProtocol::v5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
}

bool is_rejection(MqttProtocol protocol, int reason_code) {
  // Paho C++ marks "no MQTT 5 reason code" with MQTTPP_V3_CODE (255).
  return protocol == MqttProtocol::v5 && reason_code >= 0x80 &&
         reason_code != mqtt::ReasonCode::MQTTPP_V3_CODE;
}

std::string reason_text(int reason_code) {
  const char* text = MQTTReasonCode_toString(static_cast<MQTTReasonCodes>(reason_code));
  std::string out = text != nullptr ? text : "unknown reason code";
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string describe_connect_failure(int rc, int reason_code, const std::string& message,
                                     const BrokerUri& uri) {
  // MQTT 5 CONNACK refusal (section 3.2.2.2); Paho C passes it as the return code.
  if (!is_rejection(MqttProtocol::v5, reason_code) && is_rejection(MqttProtocol::v5, rc)) {
    reason_code = rc;
  }
  if (is_rejection(MqttProtocol::v5, reason_code)) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%02X", reason_code);
    return "broker refused the connection: " + reason_text(reason_code) + " (CONNACK " + hex + ")";
  }
  switch (rc) {
    case 1:
      return "broker refused the connection: unacceptable protocol version (CONNACK 1)";
    case 2:
      return "broker refused the connection: client identifier rejected (CONNACK 2)";
    case 3:
      return "broker refused the connection: server unavailable (CONNACK 3)";
    case 4:
      return "broker refused the connection: bad user name or password (CONNACK 4)";
    case 5:
      return "broker refused the connection: not authorized (CONNACK 5)";
    default:
      break;
  }
  // Paho C reports a refused or unreachable TCP connect and a failed TLS handshake alike as
  // MQTTASYNC_FAILURE (-1); its own text for it is just "Failure".
  const std::string what =
      !message.empty() ? message
      : rc == -1       ? std::string("no connection (refused, unreachable, or closed during the ") +
                       (uri.tls ? "TLS " : "") + "handshake)"
                 : mqtt::exception::error_str(rc);
  std::string text = "connect to " + uri.scheme + "://" + uri.host + ":" +
                     std::to_string(uri.port) + " failed: " + what + " (Paho rc " +
                     std::to_string(rc) + ")";
  if (uri.tls && message.empty()) {
    text += "; TLS: check ca_file, that the broker certificate names this host (when";
    text += " verify_hostname is on) and cert_file/key_file";
  }
  return text;
}

}  // namespace dockgate::uplink
