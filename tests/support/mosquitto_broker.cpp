// SPDX-License-Identifier: Apache-2.0
#include "tests/support/mosquitto_broker.hpp"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/net.hpp"

#ifndef DOCKGATE_MOSQUITTO
#define DOCKGATE_MOSQUITTO "/usr/sbin/mosquitto"
#endif
#ifndef DOCKGATE_MOSQUITTO_PASSWD
#define DOCKGATE_MOSQUITTO_PASSWD "/usr/bin/mosquitto_passwd"
#endif

namespace dockgate::test {
namespace {

constexpr std::chrono::milliseconds kStartTimeout{5'000};

std::string current_user() {
  const passwd* pw = ::getpwuid(::geteuid());
  return pw != nullptr ? pw->pw_name : "root";
}

}  // namespace

MosquittoBroker::MosquittoBroker(BrokerOptions options) : options_(std::move(options)) {
  port_ = free_tcp_port();
  if (options_.tls) {
    do {
      tls_port_ = free_tcp_port();
    } while (tls_port_ == port_);
  }
  config_path_ = dir_.file("mosquitto.conf");
  log_path_ = dir_.file("mosquitto.log");
  write_config();
  start();
}

MosquittoBroker::~MosquittoBroker() {
  try {
    stop();
  } catch (...) {  // destructor: the child dies with the test process anyway
  }
}

void MosquittoBroker::write_config() {
  std::ostringstream c;
  // Running as root, mosquitto would drop to user "mosquitto" and lose access to the
  // temp dir; naming the current user keeps it as is.
  c << "user " << current_user() << "\n"
    << "per_listener_settings false\n"
    << "log_dest file " << log_path_ << "\n"
    << "log_type all\n"
    << "log_timestamp_format %H:%M:%S\n"
    << "connection_messages true\n";
  if (options_.persistence) {
    c << "persistence true\n"
      << "persistence_location " << dir_.path() << "/\n"
      << "autosave_interval 0\n";
  } else {
    c << "persistence false\n";
  }
  if (options_.users.empty()) {
    c << "allow_anonymous true\n";
  } else {
    const std::string pw_file = dir_.file("passwords");
    write_file(pw_file, "");
    for (const auto& [user, password] : options_.users) {
      SpawnOptions so;
      so.args = {DOCKGATE_MOSQUITTO_PASSWD, "-b", pw_file, user, password};
      Subprocess p(so);
      const auto st = p.wait_for(std::chrono::milliseconds(10'000));
      if (!st || !st->success()) {
        throw std::runtime_error("MosquittoBroker: mosquitto_passwd failed for user " + user);
      }
    }
    c << "allow_anonymous false\n"
      << "password_file " << pw_file << "\n";
  }
  if (!options_.acl.empty()) {
    acl_path_ = dir_.file("acl");
    write_file(acl_path_, options_.acl);
    c << "acl_file " << acl_path_ << "\n";
  }
  c << options_.extra_config;
  c << "listener " << port_ << " 127.0.0.1\n";
  if (options_.tls) {
    c << "listener " << tls_port_ << " 127.0.0.1\n"
      << "cafile " << options_.tls->ca_file << "\n"
      << "certfile " << options_.tls->cert_file << "\n"
      << "keyfile " << options_.tls->key_file << "\n"
      << "require_certificate " << (options_.tls->require_client_cert ? "true" : "false") << "\n";
  }
  write_file(config_path_, c.str());
}

void MosquittoBroker::start() {
  if (running()) return;
  SpawnOptions so;
  so.args = {DOCKGATE_MOSQUITTO, "-c", config_path_};
  so.stdout_path = dir_.file("mosquitto.stdout");
  so.stderr_path = so.stdout_path;
  process_ = std::make_unique<Subprocess>(so);
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (true) {
    if (!process_->running()) {
      throw std::runtime_error("MosquittoBroker: mosquitto exited at start. Log:\n" + log_text() +
                               read_file(dir_.file("mosquitto.stdout")));
    }
    if (port_accepts(port_) && (tls_port_ == 0 || port_accepts(tls_port_))) return;
    if (std::chrono::steady_clock::now() >= deadline) {
      process_->kill();
      throw std::runtime_error("MosquittoBroker: port " + std::to_string(port_) +
                               " not accepting after 5 s. Log:\n" + log_text());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void MosquittoBroker::stop() {
  if (!process_) return;
  process_->signal(SIGCONT);  // a paused broker cannot handle SIGTERM
  process_->terminate(std::chrono::milliseconds(5'000));
  process_.reset();
}

void MosquittoBroker::kill() {
  if (!process_) return;
  process_->kill();
  process_.reset();
}

void MosquittoBroker::pause() {
  if (process_) process_->signal(SIGSTOP);
}

void MosquittoBroker::resume() {
  if (process_) process_->signal(SIGCONT);
}

void MosquittoBroker::set_acl(const std::string& acl) {
  if (acl_path_.empty()) throw std::runtime_error("MosquittoBroker: created without an acl");
  write_file(acl_path_, acl);
}

void MosquittoBroker::reload() {
  if (process_) process_->signal(SIGHUP);
}

bool MosquittoBroker::running() const {
  return process_ && process_->running();
}

std::string MosquittoBroker::uri() const {
  return "tcp://127.0.0.1:" + std::to_string(port_);
}

std::string MosquittoBroker::tls_uri(const std::string& scheme, const std::string& host) const {
  return scheme + "://" + host + ":" + std::to_string(tls_port_);
}

std::string MosquittoBroker::log_text() const {
  return read_file(log_path_);
}

std::string MosquittoBroker::publish(const std::string& topic, const std::string& payload,
                                     bool retain) const {
  SpawnOptions so;
  so.args = {"mosquitto_pub", "-p", std::to_string(port_), "-t", topic, "-q", "1"};
  if (payload.empty()) {
    so.args.emplace_back("-n");
  } else {
    so.args.insert(so.args.end(), {"-m", payload});
  }
  if (retain) so.args.emplace_back("-r");
  Subprocess pub(so);
  const auto st = pub.wait_for(std::chrono::seconds(5));
  if (st && st->success()) return {};
  return "mosquitto_pub to " + topic + ": " + (st ? st->describe() : std::string("timeout"));
}

}  // namespace dockgate::test
