// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/modbus_options.hpp"
#include "drivers/common/option_helpers.hpp"

#include <map>
#include <utility>

#include "drivers/modbus/modbus_points.hpp"

namespace dockgate::drivers {
namespace {

using std::chrono::milliseconds;

// Reads a duration and checks it lies in [lo, hi]; an absent key keeps the default.
bool read_bounded(config::MapReader& keys, const char* key, milliseconds& out, milliseconds lo,
                  milliseconds hi, const char* range_text, const char* help) {
  const bool read = keys.duration(key, out, help);
  if (!read) return !keys.has(key);
  if (out < lo || out > hi) {
    keys.error(key, std::string("must be between ") + range_text);
    return false;
  }
  return true;
}

// The key is declared for both transports (docs, unknown-key check) but only valid in one.
bool reject_for(config::MapReader& keys, const char* key, const char* other) {
  if (!keys.has(key)) return true;
  keys.error(key, std::string("only used with transport: ") + other);
  return false;
}

bool read_serial_keys(config::MapReader& keys, ModbusBusOptions& bus) {
  bool ok = true;
  std::uint32_t baud = bus.baud;
  if (keys.optional("baud", baud, "rtu: line speed in bit/s; every device on the line uses it.")) {
    if (!is_modbus_baud(baud)) {
      keys.error("baud", "unsupported baud rate " + std::to_string(baud) +
                             " (libmodbus sets 1200, 2400, 4800, 9600, 19200, 38400, 57600, "
                             "115200 ... 4000000)");
      ok = false;
    } else {
      bus.baud = baud;
    }
  } else if (keys.has("baud")) {
    ok = false;
  }
  std::string parity = "none";
  if (keys.choice("parity", parity, {"none", "even", "odd"},
                  "rtu: parity bit. The Modbus serial line spec's default is even; many "
                  "I/O modules ship with none.")) {
    bus.parity = parity == "even" ? 'E' : parity == "odd" ? 'O' : 'N';
  } else if (keys.has("parity")) {
    ok = false;
  }
  ok &= read_int_choice(keys, "data_bits", bus.data_bits, 7, 8, "rtu: data bits, 7 or 8.");
  ok &= read_int_choice(keys, "stop_bits", bus.stop_bits, 1, 2, "rtu: stop bits, 1 or 2.");
  return ok;
}

// "drivers[2] (id door05-io)" for messages about another entry.
std::string entry_name(const config::MapReader& keys) {
  std::string name = keys.path();
  const YAML::Node id = keys.node()["id"];
  if (id.IsDefined() && id.IsScalar()) name += " (id " + id.Scalar() + ")";
  return name;
}

std::map<std::string, std::string> split_fingerprint(const std::string& text) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const std::string pair = text.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (eq != std::string::npos) out[pair.substr(0, eq)] = pair.substr(eq + 1);
    start = end + 1;
  }
  return out;
}

// Entries on one endpoint share a connection (TCP) or the one open serial device (RTU), so
// their bus settings must agree: the first entry claims the bus, later ones are compared.
bool claim_bus(config::MapReader& keys, const ModbusBusOptions& bus) {
  const std::string fingerprint = bus_fingerprint(bus);
  auto [it, added] =
      keys.context().claims.emplace(bus_key(bus), std::make_pair(fingerprint, entry_name(keys)));
  if (added || it->second.first == fingerprint) return true;
  const auto mine = split_fingerprint(fingerprint);
  const auto theirs = split_fingerprint(it->second.first);
  std::string first_key;
  std::string diffs;
  for (const auto& [key, value] : mine) {
    auto other = theirs.find(key);
    if (other == theirs.end() || other->second == value) continue;
    // Point at the first differing key this entry sets (else at its endpoint key).
    if (first_key.empty() || (!keys.has(first_key.c_str()) && keys.has(key.c_str()))) {
      first_key = key;
    }
    if (!diffs.empty()) diffs += ", ";
    diffs += key;
    diffs += " " + value;
    diffs += " here, " + other->second;
    diffs += " there";
  }
  keys.error(
      keys.has(first_key.c_str())
          ? first_key
          : std::string(bus.transport == ModbusTransport::rtu ? "device" : "host"),
      "shares the bus " + bus_uri(bus) + " with " + it->second.second +
          " but its bus settings differ (" + diffs + "); entries on one bus must use the same " +
          (bus.transport == ModbusTransport::rtu ? "baud, parity, data_bits, stop_bits, " : "") +
          "response_timeout, reconnect_min and reconnect_max");
  return false;
}

}  // namespace

const char* to_string(PointSource source) {
  switch (source) {
    case PointSource::coil:
      return "coil";
    case PointSource::discrete_input:
      return "discrete_input";
    case PointSource::holding_register:
      return "holding_register";
    case PointSource::input_register:
      return "input_register";
  }
  return "coil";
}

bool read_modbus_options(config::MapReader& keys, ModbusOptions& out) {
  // Unknown keys inside points/outputs are reported by their readers' finish(): count them.
  const std::size_t errors_before = keys.context().errors.size();
  bool ok = true;
  ModbusBusOptions& bus = out.bus;
  std::string transport = "tcp";
  const bool transport_ok = keys.choice(
      "transport", transport, {"tcp", "rtu"},
      "tcp: Modbus TCP to host:port (I/O modules, PLCs, TCP-to-RTU gateways); rtu: Modbus "
      "RTU on a serial line (RS-485 adapter).",
      true);
  ok &= transport_ok;
  bus.transport = transport == "rtu" ? ModbusTransport::rtu : ModbusTransport::tcp;

  const bool have_host = keys.optional(
      "host", bus.host, "tcp: host name or IP address of the Modbus server (required).");
  if (!have_host && keys.has("host")) ok = false;
  if (!keys.integer<std::uint16_t>("port", bus.port, 1, 65535, "tcp: server port.") &&
      keys.has("port")) {
    ok = false;
  }
  const bool have_device =
      keys.optional("device", bus.device,
                    "rtu: serial device (required). Prefer the stable /dev/serial/by-id/... link.");
  if (!have_device && keys.has("device")) ok = false;
  ok &= read_serial_keys(keys, bus);

  int unit = out.unit_id;
  if (keys.optional("unit_id", unit,
                    "Modbus unit (slave) id of the device: rtu 1..247; tcp 0..247 or 255 (what "
                    "a TCP-to-RTU gateway forwards to; plain TCP devices often ignore it).")) {
    out.unit_id = unit;
  } else if (keys.has("unit_id")) {
    ok = false;
  }

  ok &= read_bounded(keys, "response_timeout", bus.response_timeout, milliseconds(10),
                     milliseconds(60'000), "10ms and 60s",
                     "Longest wait for one response (and for a TCP connect). Entries sharing "
                     "a bus must use the same value.");
  ok &= read_bounded(keys, "poll_interval", out.poll_interval, milliseconds(10),
                     milliseconds(3'600'000), "10ms and 1h",
                     "Time between two reads of this door's points.");
  ok &= read_bounded(keys, "debounce", out.debounce, milliseconds(0), milliseconds(3'600'000),
                     "0 and 1h",
                     "A new point value must hold this long before it is reported (its time "
                     "is when it was first seen). Points may override it.");
  ok &= read_bounded(keys, "reconnect_min", bus.reconnect_min, milliseconds(1),
                     milliseconds(3'600'000), "1ms and 1h",
                     "First delay before reconnecting after a failure (also between retries "
                     "of a door that answers with an error); doubles with jitter up to "
                     "reconnect_max.");
  ok &= read_bounded(keys, "reconnect_max", bus.reconnect_max, milliseconds(1),
                     milliseconds(3'600'000), "1ms and 1h", "Longest delay between retries.");
  if (bus.reconnect_max < bus.reconnect_min) {
    keys.error(keys.has("reconnect_max") ? "reconnect_max" : "reconnect_min",
               "reconnect_max must not be less than reconnect_min");
    ok = false;
  }

  ok &= detail::read_modbus_points(keys, out);
  ok &= detail::read_modbus_outputs(keys, out);
  ok &= keys.context().errors.size() == errors_before;

  if (!transport_ok) return false;  // transport-specific checks would only add noise
  bool endpoint_ok = true;
  if (bus.transport == ModbusTransport::tcp) {
    if (!have_host && !keys.has("host")) {
      keys.error("host", "missing required key 'host' (transport tcp)");
      endpoint_ok = false;
    } else if (have_host && bus.host.empty()) {
      keys.error("host", "must not be empty");
      endpoint_ok = false;
    }
    for (const char* key : {"device", "baud", "parity", "data_bits", "stop_bits"}) {
      endpoint_ok &= reject_for(keys, key, "rtu");
    }
    if (unit < 0 || (unit > 247 && unit != 255)) {
      keys.error("unit_id",
                 "must be 0..247 or 255 for transport tcp (libmodbus refuses 248..254), got " +
                     std::to_string(unit));
      ok = false;
    }
  } else {
    if (!have_device && !keys.has("device")) {
      keys.error("device", "missing required key 'device' (transport rtu)");
      endpoint_ok = false;
    } else if (have_device && bus.device.empty()) {
      keys.error("device", "must not be empty");
      endpoint_ok = false;
    }
    for (const char* key : {"host", "port"}) endpoint_ok &= reject_for(keys, key, "tcp");
    if (unit < 1 || unit > 247) {
      keys.error("unit_id",
                 "must be 1..247 for transport rtu (0 is broadcast, which gets no "
                 "answer), got " +
                     std::to_string(unit));
      ok = false;
    }
  }
  // Compare bus settings only when they are all valid: a bad baud would show up twice.
  if (!endpoint_ok || !ok) return false;
  return claim_bus(keys, bus);
}

}  // namespace dockgate::drivers
