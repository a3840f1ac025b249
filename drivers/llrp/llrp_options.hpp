// SPDX-License-Identifier: Apache-2.0
// Settings of a `type: llrp` driver (one dock door's antennas on an LLRP RFID reader) and
// their config keys. Entries naming one reader host:port share its single connection, so
// their reader settings must agree. See drivers/llrp/README.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/map_reader.hpp"
#include "drivers/llrp/pass_settings.hpp"
#include "drivers/llrp/reader_link.hpp"

namespace dockgate::drivers {

using llrp::AntennaRole;  // any | outside | inside (drivers/llrp/pass_settings.hpp)

/// One antenna port of the reader that belongs to this door (LLRP AntennaID, 1-based).
struct LlrpAntenna {
  std::uint16_t port = 1;
  AntennaRole role = AntennaRole::any;
};

/// rospec: configure = dockgate writes the reader's ROSpec (LLRP 1.0.1 section 10);
/// keep = the reader is configured by its owner and dockgate only listens.
using llrp::RospecMode;

struct LlrpOptions {
  // The reader (shared by every entry on host:port; must agree between them).
  std::string host;
  std::uint16_t port = 5084;  ///< LLRP 1.0.1 section 18.1 (IANA llrp)
  RospecMode rospec = RospecMode::configure;
  bool reset_to_factory = false;                ///< SET_READER_CONFIG ResetToFactoryDefault
  std::chrono::milliseconds keepalive{10'000};  ///< KeepaliveSpec period asked of the reader
  std::uint32_t missed_keepalives = 3;          ///< silent for this many periods = reconnect
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds reconnect_min{1'000};
  std::chrono::milliseconds reconnect_max{60'000};
  // This door.
  std::vector<LlrpAntenna> antennas;             ///< empty = every antenna of the reader, role any
  std::chrono::milliseconds pass_gap{2'000};     ///< a pass ends after this long unseen
  std::chrono::milliseconds max_pass{30'000};    ///< a longer pass is reported anyway
  std::chrono::milliseconds stage_hold{60'000};  ///< staged-tag memory (README)
  std::optional<int> rssi_min;                   ///< dBm; weaker sightings are ignored
  std::vector<std::string> schemes;              ///< allowed EPC schemes ("sscc-96"); empty = all
  std::vector<int> filter_values;                ///< allowed EPC filter values 0-7; empty = all
  bool reject_unknown_epc = false;               ///< unknown_epc: reject (exception) | keep
};

/// Reads the entry's keys (host, port, rospec, reset_to_factory, keepalive,
/// missed_keepalives, connect_timeout, reconnect_min, reconnect_max, antennas, pass_gap,
/// max_pass, stage_hold, rssi_min, filters.schemes, filters.filter_values, unknown_epc) into
/// `out`. Errors go to the reader's context with file/line/column/key path; entries on one
/// reader with different reader settings, or claiming one antenna twice, are reported
/// through ReadContext::claims. Returns false when any key was missing or invalid.
bool read_llrp_options(config::MapReader& keys, LlrpOptions& out);

/// "host:port" of the reader, the key under which entries share a connection.
std::string llrp_reader_key(const LlrpOptions& options);

}  // namespace dockgate::drivers
