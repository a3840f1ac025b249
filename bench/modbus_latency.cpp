// SPDX-License-Identifier: Apache-2.0
#include "bench/modbus_latency.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "bench/modbus_agent_yaml.hpp"
#include "bench/modbus_node_red.hpp"
#include "bench/modbus_outbox_watch.hpp"
#include "bench/summary.hpp"

namespace dockgate::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Json = nlohmann::ordered_json;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

Json stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  Json j;
  j["n"] = v.size();
  j["p50_ms"] = round_to(percentile(v, 50), 2);
  j["p90_ms"] = round_to(percentile(v, 90), 2);
  j["p99_ms"] = round_to(percentile(v, 99), 2);
  j["max_ms"] = round_to(v.empty() ? 0 : v.back(), 2);
  j["mean_ms"] = round_to(v.empty() ? 0 : sum / static_cast<double>(v.size()), 2);
  return j;
}

/// One scheduled trailer toggle: which door, to which value.
struct Change {
  int door = 0;
  bool value = false;
  Clock::time_point at;    // server table changed
  Clock::time_point read;  // first read of that unit after the change
  Clock::time_point done;  // agent: committed; Node-RED: published (MQTT received)
  std::uint64_t seq = 0;   // agent: the gatewaySeq expected for it
  bool ok = false;
};

/// Picks doors and values: a random door, flipped (so each door alternates rise / fall).
class ChangePlan {
 public:
  ChangePlan(int doors, unsigned seed) : state_(static_cast<std::size_t>(doors) + 1), rng_(seed) {}
  Change next() {
    std::uniform_int_distribution<int> pick(1, static_cast<int>(state_.size()) - 1);
    Change c;
    c.door = pick(rng_);
    state_[static_cast<std::size_t>(c.door)] = !state_[static_cast<std::size_t>(c.door)];
    c.value = state_[static_cast<std::size_t>(c.door)];
    return c;
  }
  milliseconds gap(int interval_ms) {
    std::uniform_int_distribution<int> jitter(-50, 50);
    return milliseconds(std::max(10, interval_ms + jitter(rng_)));
  }
  /// Doors left with a trailer (to reset the server afterwards).
  [[nodiscard]] std::vector<int> present() const {
    std::vector<int> out;
    for (std::size_t d = 1; d < state_.size(); ++d) {
      if (state_[d]) out.push_back(static_cast<int>(d));
    }
    return out;
  }

 private:
  std::vector<bool> state_;
  std::mt19937 rng_;
};

Json latency_summary(const std::vector<Change>& changes, const std::string& done_name,
                     const std::vector<double>& mqtt_ms) {
  std::vector<double> total;
  std::vector<double> poll_wait;
  std::vector<double> after_read;
  std::uint64_t missed = 0;
  for (const auto& c : changes) {
    if (!c.ok) {
      ++missed;
      continue;
    }
    total.push_back(ms_between(c.at, c.done));
    if (c.read.time_since_epoch().count() != 0) {
      poll_wait.push_back(ms_between(c.at, c.read));
      after_read.push_back(ms_between(c.read, c.done));
    }
  }
  Json j;
  j["changes"] = changes.size();
  j["missed"] = missed;
  j["change_to_" + done_name] = stats(total);
  j["change_to_next_read"] = stats(poll_wait);
  j["next_read_to_" + done_name] = stats(after_read);
  if (!mqtt_ms.empty()) j["change_to_mqtt_received"] = stats(mqtt_ms);
  return j;
}

/// The agent's events by gatewaySeq: (milestone, readPoint id, received).
struct SeenEvent {
  std::string milestone;
  std::string read_point;
  Clock::time_point received;
};

std::map<std::uint64_t, SeenEvent> agent_events(const MessageLog& log, std::size_t from) {
  std::map<std::uint64_t, SeenEvent> out;
  for (const auto& m : log.since(from)) {
    if (m.topic != kModbusEventsTopic) continue;
    const auto doc = nlohmann::json::parse(m.payload, nullptr, false);
    if (doc.is_discarded()) continue;
    for (const auto& e : doc["epcisBody"]["eventList"]) {
      if (!e.contains("dg:gatewaySeq")) continue;
      out[e["dg:gatewaySeq"].get<std::uint64_t>()] = {e.value("dg:milestone", ""),
                                                      e["readPoint"].value("id", ""), m.received};
    }
  }
  return out;
}

}  // namespace

Json agent_latency_phase(ModbusDoorServer& server, const std::string& db_path, int doors,
                         const MessageLog& log, std::size_t log_from, pid_t pid,
                         const LatencyOptions& o) {
  OutboxWatch outbox(db_path);
  ChangePlan plan(doors, o.seed);
  std::vector<Change> changes;
  const CpuMeter meter({{"agent", pid}, {"bench", ::getpid()}});
  auto next_at = Clock::now();
  for (int i = 0; i < o.changes; ++i) {
    std::this_thread::sleep_until(next_at);
    Change c = plan.next();
    const std::uint64_t before = outbox.last_seq();
    c.at = server.set_discrete_input(c.door, 0, c.value);
    next_at = c.at + plan.gap(o.change_interval_ms);
    c.seq = before + 1;
    const auto deadline = c.at + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      if (outbox.last_seq() > before) {
        c.done = Clock::now();
        c.ok = true;
        break;
      }
      std::this_thread::sleep_for(milliseconds(1));
    }
    c.read = server.first_read_after_change(c.door);
    changes.push_back(c);
  }
  Json cpu = meter.read();
  for (int d : plan.present()) server.set_discrete_input(d, 0, false);

  // Every change's event must have reached the subscriber, as the right milestone at the
  // right door, under the gatewaySeq the commit gave it.
  std::map<std::uint64_t, SeenEvent> seen;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  do {
    std::this_thread::sleep_for(milliseconds(100));
    seen = agent_events(log, log_from);
  } while (Clock::now() < deadline && seen.size() < changes.size());
  std::uint64_t wrong = 0;
  std::vector<double> mqtt_ms;
  for (auto& c : changes) {
    const auto it = seen.find(c.seq);
    const std::string want = c.value ? "arriving" : "unloading_complete";
    const std::string door_suffix = "/254/DOOR" + door_name(c.door).substr(5);
    if (it == seen.end() || it->second.milestone != want ||
        it->second.read_point.size() < door_suffix.size() ||
        it->second.read_point.compare(it->second.read_point.size() - door_suffix.size(),
                                      door_suffix.size(), door_suffix) != 0) {
      ++wrong;
      continue;
    }
    mqtt_ms.push_back(ms_between(c.at, it->second.received));
  }
  Json j = latency_summary(changes, "committed", mqtt_ms);
  j["events_seen"] = seen.size();
  j["events_wrong_or_missing"] = wrong;
  j["cpu"] = cpu;
  return j;
}

Json node_red_latency_phase(ModbusDoorServer& server, int doors, MessageLog& log, pid_t pid,
                            const LatencyOptions& o) {
  ChangePlan plan(doors, o.seed);
  std::vector<Change> changes;
  const CpuMeter meter({{"node_red", pid}, {"bench", ::getpid()}});
  auto next_at = Clock::now();
  for (int i = 0; i < o.changes; ++i) {
    std::this_thread::sleep_until(next_at);
    Change c = plan.next();
    const std::size_t from = log.size();
    const std::string door = door_name(c.door);
    c.at = server.set_discrete_input(c.door, 0, c.value);
    next_at = c.at + plan.gap(o.change_interval_ms);
    const std::size_t hit = log.wait_for(
        from,
        [&](const LoggedMessage& m) {
          if (m.topic != kNodeRedEventsTopic) return false;
          const auto e = nlohmann::json::parse(m.payload, nullptr, false);
          return !e.is_discarded() && e.value("door", "") == door &&
                 e.value("trailerPresent", !c.value) == c.value;
        },
        std::chrono::seconds(5));
    if (hit != static_cast<std::size_t>(-1)) {
      c.done = log.at(hit).received;
      c.ok = true;
    }
    c.read = server.first_read_after_change(c.door);
    changes.push_back(c);
  }
  Json cpu = meter.read();
  for (int d : plan.present()) server.set_discrete_input(d, 0, false);
  Json j = latency_summary(changes, "mqtt_received", {});
  j["cpu"] = cpu;
  return j;
}

}  // namespace dockgate::bench
