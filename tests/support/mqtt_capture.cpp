// SPDX-License-Identifier: Apache-2.0
#include "tests/support/mqtt_capture.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef DOCKGATE_MOSQUITTO_SUB
#define DOCKGATE_MOSQUITTO_SUB "/usr/bin/mosquitto_sub"
#endif
#ifndef DOCKGATE_STDBUF
#define DOCKGATE_STDBUF "/usr/bin/stdbuf"
#endif

namespace dockgate::test {

struct MqttCapture::State {
  mutable std::mutex mu;
  std::condition_variable cv;
  std::vector<CapturedMessage> messages;
  bool subscribed = false;
  bool first_attempt_over = false;  // SUBACK seen or the first mosquitto_sub ended
  bool stopping = false;
  std::vector<std::string> args;  // mosquitto_sub command line
  TempDir dir{"dockgate-capture"};
};

namespace {

constexpr std::chrono::milliseconds kPollInterval{5};
constexpr std::chrono::milliseconds kRetryInterval{20};

std::string unique_client_id() {
  static std::atomic<unsigned> counter{0};
  return "capture-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// "M <retain> <qos> <topic> <hex payload>" as printed by -F 'M %r %q %t %x\n'.
bool parse_message_line(const std::string& line, CapturedMessage& out) {
  if (line.size() < 6 || line.compare(0, 2, "M ") != 0) return false;
  const auto last_space = line.rfind(' ');
  if (last_space < 6) return false;
  out.retained = line[2] == '1';
  out.qos = line[4] - '0';
  out.topic = line.substr(6, last_space - 6);
  const std::string hex = line.substr(last_space + 1);
  out.payload.clear();
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.payload.push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

/// host and port of tcp://host:port or mqtt://host:port.
std::pair<std::string, std::string> host_port(const std::string& uri) {
  std::string rest;
  for (const char* scheme : {"tcp://", "mqtt://"}) {
    if (uri.rfind(scheme, 0) == 0) rest = uri.substr(std::string(scheme).size());
  }
  const auto colon = rest.rfind(':');
  if (rest.empty() || colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) {
    throw std::runtime_error("MqttCapture: expected tcp://host:port, got " + uri);
  }
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

}  // namespace

MqttCapture::MqttCapture(const std::string& uri, const std::vector<std::string>& filters,
                         const CaptureOptions& options)
    : state_(std::make_unique<State>()) {
  if (::access(DOCKGATE_MOSQUITTO_SUB, X_OK) != 0) {
    throw std::runtime_error("MqttCapture: " + std::string(DOCKGATE_MOSQUITTO_SUB) +
                             " not found (package mosquitto-clients)");
  }
  if (filters.empty()) throw std::runtime_error("MqttCapture: no topic filter");
  const auto [host, port] = host_port(uri);
  auto& a = state_->args;
  // stdbuf: mosquitto_sub's debug lines (the SUBACK) are stdio-buffered when not on a tty.
  a = {DOCKGATE_STDBUF, "-oL", DOCKGATE_MOSQUITTO_SUB, "-h", host, "-p", port, "-V", "mqttv311",
       "-q", "1", "-k", "5", "-i",
       options.client_id.empty() ? unique_client_id() : options.client_id,
       // -d reports CONNECT and SUBACK; -N -F: one parseable line per message.
       "-d", "-N", "-F", "M %r %q %t %x\\n"};
  if (!options.clean_session) a.emplace_back("-c");
  if (!options.username.empty()) {
    a.insert(a.end(), {"-u", options.username, "-P", options.password});
  }
  for (const auto& f : filters) a.insert(a.end(), {"-t", f});

  thread_ = std::thread([this] { run(); });
  std::unique_lock lock(state_->mu);
  if (!state_->cv.wait_for(lock, options.timeout, [&] { return state_->first_attempt_over; })) {
    lock.unlock();
    shutdown();
    throw std::runtime_error("MqttCapture: no SUBACK from " + uri + " within the timeout");
  }
}

void MqttCapture::run() {
  unsigned spawn_count = 0;
  while (true) {
    {
      std::lock_guard lock(state_->mu);
      if (state_->stopping) return;
    }
    SpawnOptions so;
    so.args = state_->args;
    so.stdout_path = state_->dir.file("sub-" + std::to_string(spawn_count++) + ".out");
    so.stderr_path = so.stdout_path;
    Subprocess sub(so);
    const int fd = ::open(so.stdout_path.c_str(), O_RDONLY | O_CLOEXEC);
    std::string pending;
    char buf[8192];
    bool ended = false;
    while (!ended) {
      ended = !sub.running();  // read what it wrote before it ended, then respawn
      for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;) {
        pending.append(buf, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock(state_->mu);
        std::size_t start = 0;
        for (auto nl = pending.find('\n'); nl != std::string::npos;
             nl = pending.find('\n', start)) {
          const std::string line = pending.substr(start, nl - start);
          start = nl + 1;
          CapturedMessage m;
          if (parse_message_line(line, m)) {
            state_->messages.push_back(std::move(m));
          } else if (line.rfind("Subscribed (mid", 0) == 0) {
            state_->subscribed = true;
            state_->first_attempt_over = true;
          } else if (line.find("sending CONNECT") != std::string::npos) {
            state_->subscribed = false;  // (re)connecting
          }
        }
        pending.erase(0, start);
        if (ended) {
          state_->subscribed = false;
          state_->first_attempt_over = true;
        }
        state_->cv.notify_all();
        if (state_->stopping) break;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
    if (fd >= 0) ::close(fd);
    sub.terminate(std::chrono::milliseconds(2'000));
    std::unique_lock lock(state_->mu);
    if (state_->cv.wait_for(lock, kRetryInterval, [&] { return state_->stopping; })) return;
  }
}

MqttCapture::~MqttCapture() {
  shutdown();
}

void MqttCapture::shutdown() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
    state_->cv.notify_all();
  }
  thread_.join();
}

std::vector<CapturedMessage> MqttCapture::all() const {
  std::lock_guard lock(state_->mu);
  return state_->messages;
}

std::vector<CapturedMessage> MqttCapture::on(const std::string& topic) const {
  std::lock_guard lock(state_->mu);
  std::vector<CapturedMessage> out;
  for (const auto& m : state_->messages) {
    if (m.topic == topic) out.push_back(m);
  }
  return out;
}

std::size_t MqttCapture::count(const std::string& topic) const {
  return on(topic).size();
}

bool MqttCapture::wait_for(const std::string& topic, std::size_t n,
                           std::chrono::milliseconds timeout) {
  return wait_until(
      [&](const std::vector<CapturedMessage>& msgs) {
        std::size_t c = 0;
        for (const auto& m : msgs) c += m.topic == topic ? 1 : 0;
        return c >= n;
      },
      timeout);
}

bool MqttCapture::wait_until(const std::function<bool(const std::vector<CapturedMessage>&)>& pred,
                             std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mu);
  return state_->cv.wait_for(lock, timeout, [&] { return pred(state_->messages); });
}

bool MqttCapture::wait_for_match(const std::string& topic,
                                 const std::function<bool(const CapturedMessage&)>& pred,
                                 std::chrono::milliseconds timeout, CapturedMessage* out) {
  std::unique_lock lock(state_->mu);
  const CapturedMessage* found = nullptr;
  const bool ok = state_->cv.wait_for(lock, timeout, [&] {
    for (auto it = state_->messages.rbegin(); it != state_->messages.rend(); ++it) {
      if (it->topic == topic && (!pred || pred(*it))) {
        found = &*it;
        return true;
      }
    }
    return false;
  });
  if (ok && out != nullptr) *out = *found;
  return ok;
}

void MqttCapture::clear() {
  std::lock_guard lock(state_->mu);
  state_->messages.clear();
}

bool MqttCapture::connected() const {
  std::lock_guard lock(state_->mu);
  return state_->subscribed;
}

bool MqttCapture::wait_subscribed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mu);
  return state_->cv.wait_for(lock, timeout, [&] { return state_->subscribed; });
}

}  // namespace dockgate::test
