// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/modbus_driver.hpp"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "drivers/common/read_reporter.hpp"
#include "drivers/modbus/bus_registry.hpp"
#include "drivers/modbus/door_link.hpp"
#include "drivers/modbus/modbus_errors.hpp"
#include "drivers/modbus/point_debouncer.hpp"

namespace dockgate::drivers {
namespace {

DoorSpec make_spec(const ModbusOptions& options) {
  DoorSpec spec{options.unit_id, ReadPlan(options.points), options.poll_interval, {}};
  for (const auto& out : options.outputs) {
    if (out.configured) spec.coils.push_back(out.coil);
  }
  return spec;
}

constexpr FeedbackSignal kSignals[] = {FeedbackSignal::green, FeedbackSignal::red,
                                       FeedbackSignal::buzzer};

/// {"modbusExceptionCode", "2"}, {"modbusExceptionName", "illegal data address"}; none for 0.
std::vector<std::pair<std::string, std::string>> exception_fields(int code) {
  if (code == 0) return {};
  return {{"modbusExceptionCode", std::to_string(code)},
          {"modbusExceptionName", exception_name(code)}};
}

std::size_t signal_index(FeedbackSignal s) {
  switch (s) {
    case FeedbackSignal::green:
      return 0;
    case FeedbackSignal::red:
      return 1;
    case FeedbackSignal::buzzer:
      return 2;
  }
  return 0;
}

}  // namespace

std::string modbus_device_id(const ModbusBusOptions& bus, int unit) {
  return bus_uri(bus) + "/unit/" + std::to_string(unit);
}

class ModbusDriver::Session : public DriverSession,
                              public DoorReceiver,
                              public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, ModbusOptions options)
      : io_(context.io),
        sink_(context.sink),
        reporter_(context.sink, context.id, context.location_id),
        driver_id_(context.id),
        location_id_(context.location_id),
        options_(std::move(options)),
        device_id_(modbus_device_id(options_.bus, options_.unit_id)) {
    up_detail_ = bus_uri(options_.bus) + " unit " + std::to_string(options_.unit_id);
    if (options_.bus.transport == ModbusTransport::rtu) {
      up_detail_ += " (" + serial_line(options_.bus) + ")";
    }
    for (const auto& p : options_.points) debouncers_.emplace_back(p.debounce);
  }

  void start() override {
    if (running_) return;
    running_ = true;
    state_ = State::unknown;
    link_ = std::make_shared<DoorLink>(io_, weak_from_this(), make_spec(options_));
    bus_ = attach_to_bus(options_.bus, link_);
  }

  void stop(bool report) override {
    if (!running_) return;
    running_ = false;
    link_->detach();  // no result is posted from here on
    detach_from_bus(bus_, link_);
    bus_.reset();
    link_.reset();
    if (report && state_ == State::up) reporter_.status(false, up_detail_ + ": stopped");
    state_ = State::unknown;
  }

  void feedback(const Feedback& request) override {
    if (!running_ || request.location_id != location_id_) return;
    // A correct read ends what an alarm holds on; then it shows its own green (if any).
    if (request.signal == FeedbackSignal::green) release_held();
    const ModbusOutput& out = options_.outputs[signal_index(request.signal)];
    if (!out.configured) {
      spdlog::debug("driver {}: no {} output configured", driver_id_, to_string(request.signal));
      return;
    }
    if (!bus_->pulse(*link_, out.coil, out.hold ? kMaxHold : out.pulse)) {
      spdlog::debug("driver {}: {} pulse dropped: {} is down", driver_id_,
                    to_string(request.signal), bus_uri(options_.bus));
    }
  }

  void on_poll(PollResult result) override {
    if (!running_) return;
    if (!result.ok && result.exception_code != 0) {
      refused(result);
      return;
    }
    if (!result.ok) {
      went_down(result.detail);
      return;
    }
    last_exception_.clear();
    if (result.values.size() != options_.points.size()) return;  // cannot happen: same plan
    if (state_ != State::up) {
      const bool announced = state_ == State::answering;
      state_ = State::up;
      last_reason_.clear();
      if (!announced) reporter_.status(true, up_detail_);
      // First read after (re)connect or recovery: every point as it is, not debounced.
      for (std::size_t i = 0; i < options_.points.size() && running_; ++i) {
        debouncers_[i].reset(result.values[i]);
        emit(i, result.values[i], result.time_ms, true);
      }
      return;
    }
    for (std::size_t i = 0; i < options_.points.size() && running_; ++i) {
      if (auto change = debouncers_[i].sample(result.values[i], result.at, result.time_ms)) {
        emit(i, change->value, change->first_seen_ms, false);
      }
    }
  }

 private:
  /// answering: the unit is reachable but refuses the poll with a Modbus exception, so no
  /// values yet (the first good poll then reports every point as initial).
  enum class State { unknown, answering, up, down };

  // The unit answered, with a Modbus exception: it is up, this request is wrong (a wrong
  // address in the config, a gateway that cannot reach its target). Published once per
  // distinct answer as modbus_exception, not as device_down.
  void refused(const PollResult& result) {
    if (state_ == State::unknown || state_ == State::down) {
      state_ = State::answering;
      last_reason_.clear();
      reporter_.status(true, up_detail_ + ": answering with Modbus exception " +
                                 std::to_string(result.exception_code));
    }
    if (result.detail == last_exception_) {
      spdlog::debug("driver {}: still refused: {}", driver_id_, result.detail);
      return;
    }
    last_exception_ = result.detail;
    reporter_.error("modbus_exception", result.detail, "", exception_fields(result.exception_code));
  }

 public:
  void on_write_failed(WriteFailure failure) override {
    if (!running_) return;
    std::string signal = "coil " + std::to_string(failure.coil);
    for (std::size_t i = 0; i < options_.outputs.size(); ++i) {
      const auto& out = options_.outputs[i];
      if (out.configured && out.coil == failure.coil) {
        std::string named = to_string(kSignals[i]);
        named += " (";
        named += signal;
        named += ")";
        signal = std::move(named);
        break;
      }
    }
    auto fields = exception_fields(failure.exception_code);
    fields.emplace_back("signal", signal);
    reporter_.error("signal_write_failed",
                    "signal tower " + signal + " not switched " + (failure.on ? "on" : "off") +
                        ": " + failure.detail,
                    "", std::move(fields));
  }

 private:
  void went_down(const std::string& reason) {
    if (state_ != State::down) {
      state_ = State::down;
      reporter_.status(false, reason);
    } else if (reason != last_reason_) {
      spdlog::warn("driver {}: {}", driver_id_, reason);
    } else {
      spdlog::debug("driver {}: still down: {}", driver_id_, reason);
    }
    last_reason_ = reason;
  }

  void release_held() {
    for (const ModbusOutput& o : options_.outputs) {
      if (o.configured && o.hold) bus_->release(*link_, o.coil);
    }
  }

  void emit(std::size_t index, bool value, std::int64_t time_ms, bool initial) {
    if (value && !initial && options_.points[index].name == kAcknowledgePoint) release_held();
    DockSignal s;
    s.driver_id = driver_id_;
    s.location_id = location_id_;
    s.time_ms = time_ms;
    s.point = options_.points[index].name;
    s.value = value;
    s.initial = initial;
    s.device_id = device_id_;
    spdlog::debug("driver {}: {} = {}{}", driver_id_, s.point, value, initial ? " (initial)" : "");
    sink_.on_dock_signal(std::move(s));
  }

  boost::asio::io_context& io_;
  ReadSink& sink_;
  ReadReporter reporter_;
  std::string driver_id_;
  std::string location_id_;
  ModbusOptions options_;
  std::string device_id_;
  std::string up_detail_;
  std::vector<PointDebouncer> debouncers_;
  std::shared_ptr<DoorLink> link_;
  std::shared_ptr<ModbusBus> bus_;
  std::string last_reason_;
  std::string last_exception_;  ///< detail of the last modbus_exception published
  State state_ = State::unknown;
  bool running_ = false;
};

ModbusDriver::ModbusDriver(const DriverContext& context, ModbusOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

DriverType modbus_type() {
  return DriverType{
      "modbus",
      "Dock door sensors (trailer present, door open) and signal tower on a Modbus TCP or RTU "
      "device; entries on one endpoint share one connection",
      [](config::MapReader& keys) -> DriverFactory {
        ModbusOptions options;
        read_modbus_options(keys, options);
        return [options](const DriverContext& context) -> std::unique_ptr<Driver> {
          return std::make_unique<ModbusDriver>(context, options);
        };
      },
      /*dock_sensor=*/true};
}

}  // namespace dockgate::drivers
