// SPDX-License-Identifier: Apache-2.0
#include "drivers/serial_scanner/serial_options.hpp"
#include "drivers/common/option_helpers.hpp"

#include <algorithm>
#include <array>

namespace dockgate::drivers {
namespace {

// The fixed rates of Linux termios (asm-generic/termbits.h); Boost.Asio maps exactly these.
constexpr std::array<std::uint32_t, 30> kSerialBaudRates{
    50,     75,     110,     134,     150,     200,     300,     600,     1200,    1800,
    2400,   4800,   9600,    19200,   38400,   57600,   115200,  230400,  460800,  500000,
    576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000};

}  // namespace

bool is_supported_baud(std::uint32_t baud) {
  return std::find(kSerialBaudRates.begin(), kSerialBaudRates.end(), baud) !=
         kSerialBaudRates.end();
}

bool read_serial_options(config::MapReader& keys, SerialOptions& out) {
  bool ok = true;
  if (keys.required("device", out.device,
                    "Serial device path. Prefer the stable /dev/serial/by-id/... link over "
                    "/dev/ttyUSBn, whose number can change after a replug.")) {
    if (out.device.empty()) {
      keys.error("device", "must not be empty");
      ok = false;
    }
  } else {
    ok = false;
  }

  std::uint32_t baud = out.baud;
  if (keys.optional("baud", baud, "Line speed in bit/s (must match the scanner's setting).")) {
    if (!is_supported_baud(baud)) {
      keys.error("baud", "unsupported baud rate " + std::to_string(baud) +
                             " (use a standard rate such as 9600, 19200, 38400, 57600, 115200)");
      ok = false;
    } else {
      out.baud = baud;
    }
  } else if (keys.has("baud")) {
    ok = false;
  }

  std::string parity = "none";
  if (keys.choice("parity", parity, {"none", "even", "odd"}, "Parity bit.")) {
    out.parity = parity == "even" ? Parity::even : parity == "odd" ? Parity::odd : Parity::none;
  } else if (keys.has("parity")) {
    ok = false;
  }
  ok &= read_int_choice(keys, "data_bits", out.data_bits, 7, 8, "Data bits per character: 7 or 8.");
  ok &= read_int_choice(keys, "stop_bits", out.stop_bits, 1, 2, "Stop bits: 1 or 2.");

  std::string flow = "none";
  if (keys.choice("flow_control", flow, {"none", "hardware", "software"},
                  "Flow control: hardware = RTS/CTS lines, software = XON/XOFF characters.")) {
    out.flow_control = flow == "hardware"   ? FlowControl::hardware
                       : flow == "software" ? FlowControl::software
                                            : FlowControl::none;
  } else if (keys.has("flow_control")) {
    ok = false;
  }

  ok &= read_framing_options(keys, out.framing);

  bool have_min = keys.duration("reopen_min", out.reopen_min,
                                "First delay before reopening a missing or failed device; "
                                "doubles after each failure up to reopen_max.");
  if (!have_min && keys.has("reopen_min")) ok = false;
  bool have_max =
      keys.duration("reopen_max", out.reopen_max, "Longest delay between reopen attempts.");
  if (!have_max && keys.has("reopen_max")) ok = false;
  if (out.reopen_min.count() <= 0) {
    keys.error("reopen_min", "must be greater than 0");
    ok = false;
  } else if (out.reopen_max < out.reopen_min) {
    keys.error(have_max ? "reopen_max" : "reopen_min",
               "reopen_max must not be less than reopen_min");
    ok = false;
  }
  return ok;
}

std::string line_settings(const SerialOptions& options) {
  const char parity = options.parity == Parity::even  ? 'E'
                      : options.parity == Parity::odd ? 'O'
                                                      : 'N';
  std::string out = std::to_string(options.baud) + " " + std::to_string(options.data_bits) +
                    parity + std::to_string(options.stop_bits);
  if (options.flow_control == FlowControl::hardware) out += " RTS/CTS";
  if (options.flow_control == FlowControl::software) out += " XON/XOFF";
  return out;
}

}  // namespace dockgate::drivers
