// SPDX-License-Identifier: Apache-2.0
// A real mosquitto broker on free loopback ports, for tests. Config, log and persistence
// files live in a private temp dir; the ports stay the same across stop()/start() so clients
// reconnect to the "same" broker.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::test {

struct BrokerOptions {
  /// Adds a TLS listener next to the plain one (PEM files).
  struct Tls {
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    bool require_client_cert = false;  ///< mutual TLS: clients must present a cert by ca_file
  };
  std::optional<Tls> tls;
  /// user -> password. Non-empty: anonymous clients are refused (CONNACK "not authorized").
  std::map<std::string, std::string> users;
  /// Broker persistence (sessions and queued QoS 1 messages survive stop()/start(); written
  /// on clean shutdown only, so not across kill()). Off by default.
  bool persistence = false;
  /// Content of an acl_file (mosquitto.conf(5) "acl_file"); "" = no ACL (everything allowed).
  /// Change it while running with MosquittoBroker::set_acl() + reload().
  std::string acl;
  /// Extra global mosquitto.conf lines, e.g. "max_inflight_messages 3\n" (sent to MQTT 5
  /// clients as CONNACK Receive Maximum) or "max_packet_size 1000\n".
  std::string extra_config;
};

class MosquittoBroker {
 public:
  /// Picks free ports, writes the config and starts the broker (start()).
  explicit MosquittoBroker(BrokerOptions options = {});
  /// stop(); removes the temp dir. Never throws.
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  /// Starts /usr/sbin/mosquitto and waits (up to 5 s) until every listener accepts TCP
  /// connections. Throws std::runtime_error with the broker log when it does not come up.
  /// No-op when already running.
  void start();
  /// SIGTERM (clean shutdown: persistence written, clients see the socket close), waits.
  void stop();
  /// SIGKILL: no shutdown work at all.
  void kill();
  /// SIGSTOP: connections stay open but nothing is answered (no PUBACK, no PINGRESP) until
  /// resume(). Keep it shorter than the clients' keepalive to avoid a timeout.
  void pause();
  /// SIGCONT after pause().
  void resume();
  [[nodiscard]] bool running() const;
  /// Rewrites the acl_file (the broker must have been created with a non-empty acl); takes
  /// effect at reload().
  void set_acl(const std::string& acl);
  /// SIGHUP: mosquitto reloads its config, password and ACL files; connections stay.
  void reload();
  /// One QoS 1 publish by mosquitto_pub on the plain listener, out of process (a second Paho
  /// client in the test process would share Paho's threads with the code under test). An
  /// empty payload is a zero-length message; with `retain` it clears the retained message.
  /// Returns "" once mosquitto_pub succeeded (within 5 s), else what went wrong.
  [[nodiscard]] std::string publish(const std::string& topic, const std::string& payload,
                                    bool retain) const;

  [[nodiscard]] std::uint16_t port() const { return port_; }          ///< plain listener
  [[nodiscard]] std::uint16_t tls_port() const { return tls_port_; }  ///< 0 without TLS
  /// "tcp://127.0.0.1:<port>"
  [[nodiscard]] std::string uri() const;
  /// "<scheme>://<host>:<tls_port>", e.g. tls_uri("mqtts", "localhost").
  [[nodiscard]] std::string tls_uri(const std::string& scheme = "ssl",
                                    const std::string& host = "127.0.0.1") const;
  [[nodiscard]] const std::string& log_path() const { return log_path_; }
  /// The broker log so far (for failure messages).
  [[nodiscard]] std::string log_text() const;

 private:
  void write_config();

  BrokerOptions options_;
  TempDir dir_{"dockgate-mosquitto"};
  std::uint16_t port_ = 0;
  std::uint16_t tls_port_ = 0;
  std::string config_path_;
  std::string log_path_;
  std::string acl_path_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace dockgate::test
