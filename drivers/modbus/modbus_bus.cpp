#include "drivers/modbus/modbus_bus.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "agent/clock.hpp"

namespace dockgate::drivers {
namespace {

constexpr double kJitter = 0.2;

PollResult failed(std::string detail) {
  PollResult r;
  r.at = std::chrono::steady_clock::now();
  r.time_ms = now_utc_ms();
  r.detail = std::move(detail);
  return r;
}

}  // namespace

ModbusBus::ModbusBus(ModbusBusOptions options)
    : options_(std::move(options)),
      uri_(bus_uri(options_)),
      link_(options_),
      reconnect_(options_.reconnect_min, options_.reconnect_max, kJitter) {}

ModbusBus::~ModbusBus() {
  shutdown();
}

void ModbusBus::attach(std::shared_ptr<DoorLink> door) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  if (!connected_ && !down_detail_.empty()) door->deliver(failed(down_detail_));
  doors_.push_back(Door{std::move(door), Clock::now(),
                        Backoff(options_.reconnect_min, options_.reconnect_max, kJitter)});
  kick_ = true;
  if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
  wake_.notify_all();
}

std::size_t ModbusBus::detach(const std::shared_ptr<DoorLink>& door) {
  std::lock_guard lock(mutex_);
  auto it =
      std::find_if(doors_.begin(), doors_.end(), [&](const Door& d) { return d.link == door; });
  if (it == doors_.end()) return doors_.size();
  doors_.erase(it);
  // Whatever this door switched on goes off now rather than at the end of its pulse.
  const auto now = Clock::now();
  for (const std::uint16_t address : door->spec().coils) {
    auto p = pulsing_.find(Coil{door->spec().unit, address});
    if (p != pulsing_.end()) p->second = std::min(p->second, now);
  }
  kick_ = true;
  wake_.notify_all();
  return doors_.size();
}

bool ModbusBus::pulse(const DoorLink& door, std::uint16_t coil, std::chrono::milliseconds length) {
  std::lock_guard lock(mutex_);
  if (!connected_ || stopping_) return false;
  const Coil key{door.spec().unit, coil};
  const auto now = Clock::now();
  const auto off_at = now + length;
  auto it = pulsing_.find(key);
  if (it == pulsing_.end()) {
    pulsing_.emplace(key, off_at);
    switch_on_.push_back(key);
  } else {
    // Already on: extend. If it is due to go off (or going off right now), switch it on again.
    if (it->second <= now &&
        std::find(switch_on_.begin(), switch_on_.end(), key) == switch_on_.end()) {
      switch_on_.push_back(key);
    }
    it->second = std::max(it->second, off_at);
  }
  kick_ = true;
  wake_.notify_all();
  return true;
}

void ModbusBus::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
  }
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
}

ModbusBus::Door* ModbusBus::find(const DoorLink* link) {
  for (auto& d : doors_) {
    if (d.link.get() == link) return &d;
  }
  return nullptr;
}

void ModbusBus::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    try {
      step(lock);
    } catch (const std::exception& e) {
      // Out of memory or a library surprise: report it like a bus failure and retry later
      // instead of letting the exception end the process.
      if (!lock.owns_lock()) lock.lock();
      spdlog::error("modbus {}: worker error: {}", uri_, e.what());
      bus_down(uri_ + ": internal error: " + e.what());
    }
  }
  switch_all_off(lock);
  link_.close();
}

// One unit of work: connect, one write, or one door's poll; otherwise sleep until the next
// deadline or a kick. Called with the lock held; returns with it held.
void ModbusBus::step(std::unique_lock<std::mutex>& lock) {
  kick_ = false;
  const auto now = Clock::now();
  if (!connected_) {
    if (doors_.empty()) {
      wake_.wait(lock, [&] { return stopping_ || kick_; });
    } else if (now < next_connect_) {
      wake_.wait_until(lock, next_connect_, [&] { return stopping_ || kick_; });
    } else {
      connect(lock);
    }
    return;
  }
  const Door* due = nullptr;
  for (const auto& d : doors_) {
    if (d.next_poll <= now && (due == nullptr || d.next_poll < due->next_poll)) due = &d;
  }
  // Writes and polls alternate, so neither waits for more than one request of the other.
  if ((due == nullptr || !wrote_last_) && write_next(lock, now)) {
    wrote_last_ = true;
    return;
  }
  wrote_last_ = false;
  if (due != nullptr) {
    const auto link = due->link;
    poll(lock, link);
    return;
  }
  auto wake_at = Clock::time_point::max();
  for (const auto& d : doors_) wake_at = std::min(wake_at, d.next_poll);
  for (const auto& p : pulsing_) wake_at = std::min(wake_at, p.second);
  if (wake_at == Clock::time_point::max()) {
    wake_.wait(lock, [&] { return stopping_ || kick_; });
  } else {
    wake_.wait_until(lock, wake_at, [&] { return stopping_ || kick_; });
  }
}

void ModbusBus::connect(std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  const auto error = link_.open();
  lock.lock();
  if (error) {
    bus_down(uri_ + ": " + *error);
    return;
  }
  spdlog::debug("modbus {}: connected", uri_);
  connected_ = true;
  down_detail_.clear();
  reconnect_.reset();
  const auto now = Clock::now();
  for (auto& d : doors_) {
    d.next_poll = now;
    d.retry.reset();
  }
}

void ModbusBus::poll(std::unique_lock<std::mutex>& lock, const std::shared_ptr<DoorLink>& door) {
  const DoorSpec& spec = door->spec();
  const auto& groups = spec.plan.groups();
  const auto started = Clock::now();
  lock.unlock();
  std::vector<std::vector<std::uint16_t>> data(groups.size());
  std::optional<LinkFailure> failure;
  std::size_t failed_group = 0;
  for (; failed_group < groups.size(); ++failed_group) {
    failure = link_.read(spec.unit, groups[failed_group], data[failed_group]);
    if (failure) break;
  }
  PollResult result;
  result.at = Clock::now();
  result.time_ms = now_utc_ms();
  lock.lock();
  Door* d = find(door.get());  // null when the door was detached meanwhile

  const auto at = result.at;
  if (!failure) {
    result.ok = true;
    result.values = spec.plan.extract(data);
    door->deliver(std::move(result));
    if (d != nullptr) {
      d->retry.reset();
      d->next_poll = std::max(started + spec.poll_interval, at);
    }
    return;
  }

  const std::string request =
      describe(groups[failed_group]) + " at unit " + std::to_string(spec.unit);
  const bool rtu = options_.transport == ModbusTransport::rtu;
  // TCP: anything but an exception answer leaves the stream in doubt (a late answer would
  // be taken for the next request): reconnect. RTU: a silent or garbled unit is that unit's
  // problem; only a failing serial device takes the bus down.
  if (failure->kind == FailureKind::link || (!rtu && failure->kind != FailureKind::exception)) {
    std::string what;
    switch (failure->kind) {
      case FailureKind::no_response:
        what = "no response within " + std::to_string(options_.response_timeout.count()) + " ms";
        break;
      case FailureKind::bad_response:
        what = "invalid response (" + failure->text + ")";
        break;
      default:
        what = (rtu ? "device error (" : "connection lost (") + failure->text + ")";
        break;
    }
    bus_down(uri_ + ": " + what + " to " + request);
    return;
  }
  std::string detail;
  if (failure->kind == FailureKind::exception) {
    detail = failure->text + ": " + request + " (Modbus exception " +
             std::to_string(exception_code(failure->err)) + " from " + uri_ + ")";
  } else {
    link_.flush();  // RTU: drop a late or partial answer before the next request
    detail =
        (failure->kind == FailureKind::no_response
             ? "no response within " + std::to_string(options_.response_timeout.count()) + " ms"
             : "invalid response (" + failure->text + ")") +
        ": " + request + " (" + uri_ + ")";
  }
  result.detail = std::move(detail);
  door->deliver(std::move(result));
  if (d != nullptr) d->next_poll = at + d->retry.next();
}

bool ModbusBus::write_next(std::unique_lock<std::mutex>& lock, Clock::time_point now) {
  while (!switch_on_.empty()) {
    const Coil coil = switch_on_.front();
    switch_on_.pop_front();
    if (pulsing_.count(coil) == 0) continue;  // its door left meanwhile
    write(lock, coil, true);
    return true;
  }
  for (const auto& [coil, off_at] : pulsing_) {
    if (off_at <= now) {
      write(lock, coil, false);
      return true;
    }
  }
  return false;
}

void ModbusBus::write(std::unique_lock<std::mutex>& lock, Coil coil, bool on) {
  lock.unlock();
  const auto failure = link_.write_coil(coil.unit, coil.address, on);
  lock.lock();
  const auto now = Clock::now();
  const std::string request = std::string("write coil ") + std::to_string(coil.address) + " " +
                              (on ? "on" : "off") + " at unit " + std::to_string(coil.unit);
  if (failure &&
      (failure->kind == FailureKind::link ||
       (options_.transport == ModbusTransport::tcp && failure->kind != FailureKind::exception))) {
    // The coil stays in pulsing_: it is switched off after the reconnect.
    const bool rtu = options_.transport == ModbusTransport::rtu;
    bus_down(
        uri_ + ": " +
        (failure->kind == FailureKind::no_response
             ? "no response within " + std::to_string(options_.response_timeout.count()) + " ms"
             : (rtu ? "device error (" : "connection lost (") + failure->text + ")") +
        " to " + request);
    return;
  }
  if (failure) {
    if (options_.transport == ModbusTransport::rtu) link_.flush();
    spdlog::warn("modbus {}: signal tower output failed: {}: {}", uri_, failure->text, request);
  }
  auto it = pulsing_.find(coil);
  if (it == pulsing_.end()) return;
  if (on && failure) {
    pulsing_.erase(it);  // not switched on: nothing to switch off
  } else if (!on && failure && failure->kind != FailureKind::exception) {
    it->second = std::max(it->second, now + options_.reconnect_min);  // RTU: retry the off
  } else if (!on && it->second <= now) {
    pulsing_.erase(it);  // off, or refused (retrying would be refused the same way)
  }
}

// Called with the lock held: the connection is closed, every door hears why (the door's
// driver reports it once per outage), pulses not yet written are dropped.
void ModbusBus::bus_down(const std::string& detail) {
  link_.close();
  connected_ = false;
  down_detail_ = detail;
  switch_on_.clear();
  const auto delay = reconnect_.next();
  next_connect_ = Clock::now() + delay;
  spdlog::debug("modbus {}: down ({}); next attempt in {} ms", uri_, detail, delay.count());
  for (auto& d : doors_) d.link->deliver(failed(detail));
}

void ModbusBus::switch_all_off(std::unique_lock<std::mutex>& lock) {
  while (connected_ && !pulsing_.empty()) {
    const Coil coil = pulsing_.begin()->first;
    pulsing_.erase(pulsing_.begin());
    lock.unlock();
    const auto failure = link_.write_coil(coil.unit, coil.address, false);
    lock.lock();
    if (failure && failure->kind != FailureKind::exception) break;  // bus gone: give up
  }
}

}  // namespace dockgate::drivers
