// SPDX-License-Identifier: Apache-2.0
// One pass of one tag at one dock door: what the pass tracker hands to the LLRP driver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/epc/epc.hpp"

namespace dockgate::drivers::llrp {

/// Direction of travel through a door with an outside and an inside antenna.
enum class Direction { none, inbound, outbound };

/// ok: a milestone. unknown_scheme: raw EPC with `unknown_epc: reject` (the driver raises
/// `unknown_epc_scheme`). invalid_epc: decode_epc failed (undefined partition, bad padding,
/// ...): reported with the error text instead of being dropped.
enum class PassStatus { ok, unknown_scheme, invalid_epc };

struct Pass {
  PassStatus status = PassStatus::ok;
  std::string error;              ///< why status != ok, e.g. "SSCC-96: partition 7 is not defined"
  std::string location_id;        ///< dock door id from the antenna map
  std::vector<std::uint8_t> epc;  ///< EPC bits as the reader sent them (MSB first)
  std::size_t epc_bits = 0;
  epc::EpcResult decoded;            ///< scheme, filter, tag_uri, ais, digital_link (TDS)
  std::int64_t first_seen_ms = 0;    ///< UTC ms of the first sighting: the event time
  std::int64_t last_seen_ms = 0;     ///< UTC ms of the last sighting
  std::uint16_t antenna_id = 0;      ///< antenna of the strongest sighting (first without RSSI)
  std::optional<int> peak_rssi_dbm;  ///< max PeakRSSI of the pass, dBm
  std::uint64_t read_count = 0;      ///< sum of TagSeenCount over the pass
  Direction direction = Direction::none;
};

/// Running totals since construction (for the driver's stats and logs).
struct PassCounters {
  std::uint64_t ignored_antenna = 0;  ///< sightings from antennas not in the map
  std::uint64_t below_rssi = 0;       ///< sightings under rssi_min
  std::uint64_t filtered_scheme = 0;  ///< passes dropped by the scheme filter
  std::uint64_t filtered_value = 0;   ///< passes dropped by the filter-value filter
  std::uint64_t rejected = 0;         ///< passes emitted with status != ok
  std::uint64_t staged = 0;           ///< passes not emitted: EPC remembered, no crossing
  std::uint64_t evicted = 0;          ///< entries ended/forgotten by the max_tags bound
  std::uint64_t emitted = 0;          ///< passes returned (ok and rejected)
};

}  // namespace dockgate::drivers::llrp
