// SPDX-License-Identifier: Apache-2.0
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

void ModbusBus::release(const DoorLink& door, std::uint16_t coil) {
  std::lock_guard lock(mutex_);
  auto it = pulsing_.find(Coil{door.spec().unit, coil});
  if (it == pulsing_.end()) return;
  it->second = std::min(it->second, Clock::now());
  kick_ = true;
  wake_.notify_all();
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
      bus_down(lock, uri_ + ": internal error: " + e.what());
    }
  }
  switch_all_off(lock);
  lock.unlock();
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
    bus_down(lock, uri_ + ": " + *error);
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
  if (takes_bus_down(*failure)) {
    bus_down(lock, uri_ + ": " + what_failed(*failure) + " to " + request);
    return;
  }
  if (failure->kind == FailureKind::exception) {
    result.exception_code = exception_code(failure->err);
    result.detail = failure->text + ": " + request + " (Modbus exception " +
                    std::to_string(exception_code(failure->err)) + " from " + uri_ + ")";
  } else {
    link_.flush();  // RTU: drop a late or partial answer before the next request
    result.detail = what_failed(*failure) + ": " + request + " (" + uri_ + ")";
  }
  door->deliver(std::move(result));
  if (d != nullptr) d->next_poll = at + d->retry.next();
}

// TCP: anything but an exception answer leaves the stream in doubt (a late answer would be
// taken for the next request): reconnect. RTU: a silent or garbled unit is that unit's
// problem; only a failing serial device takes the bus down.
bool ModbusBus::takes_bus_down(const LinkFailure& failure) const {
  if (failure.kind == FailureKind::link) return true;
  return options_.transport == ModbusTransport::tcp && failure.kind != FailureKind::exception;
}

std::string ModbusBus::what_failed(const LinkFailure& failure) const {
  switch (failure.kind) {
    case FailureKind::no_response:
      return "no response within " + std::to_string(options_.response_timeout.count()) + " ms";
    case FailureKind::bad_response:
      return "invalid response (" + failure.text + ")";
    case FailureKind::exception:
      return failure.text;
    case FailureKind::link:
      break;
  }
  return (options_.transport == ModbusTransport::rtu ? "device error (" : "connection lost (") +
         failure.text + ")";
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
  if (failure) {
    // The door that owns the coil publishes it: the tower did not show what it should.
    WriteFailure report;
    report.coil = coil.address;
    report.on = on;
    report.time_ms = now_utc_ms();
    if (failure->kind == FailureKind::exception) {
      report.exception_code = exception_code(failure->err);
      report.detail = failure->text + ": " + request + " (Modbus exception " +
                      std::to_string(report.exception_code) + " from " + uri_ + ")";
    } else {
      report.detail = what_failed(*failure) + ": " + request + " (" + uri_ + ")";
    }
    for (const auto& d : doors_) {
      const auto& spec = d.link->spec();
      if (spec.unit == coil.unit &&
          std::find(spec.coils.begin(), spec.coils.end(), coil.address) != spec.coils.end()) {
        d.link->deliver(report);
      }
    }
    spdlog::warn("modbus {}: signal tower output failed: {}", uri_, report.detail);
  }
  if (failure && takes_bus_down(*failure)) {
    // The coil stays in pulsing_: it is switched off after the reconnect.
    bus_down(lock, uri_ + ": " + what_failed(*failure) + " to " + request);
    return;
  }
  if (failure && options_.transport == ModbusTransport::rtu) link_.flush();
  auto it = pulsing_.find(coil);
  if (it == pulsing_.end()) return;
  if (!on && failure && failure->kind != FailureKind::exception) {
    it->second = std::max(it->second, now + options_.reconnect_min);  // RTU: retry the off
  } else if ((on && failure) || (!on && it->second <= now)) {
    // Not switched on (nothing to switch off), switched off, or refused (a retry would be
    // refused the same way). A coil pulsed again during the off-write stays.
    pulsing_.erase(it);
  }
}

// Called with the lock held (released while closing: closing a serial port may wait for
// its output to drain). Every door hears why (its driver reports it once per outage);
// pulses not yet written are dropped; the next attempt is scheduled with backoff.
void ModbusBus::bus_down(std::unique_lock<std::mutex>& lock, const std::string& detail) {
  connected_ = false;
  down_detail_ = detail;
  switch_on_.clear();
  const auto delay = reconnect_.next();
  next_connect_ = Clock::now() + delay;
  spdlog::debug("modbus {}: down ({}); next attempt in {} ms", uri_, detail, delay.count());
  for (auto& d : doors_) d.link->deliver(failed(detail));
  lock.unlock();
  link_.close();
  lock.lock();
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
