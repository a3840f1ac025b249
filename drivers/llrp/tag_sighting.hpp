// SPDX-License-Identifier: Apache-2.0
// One TagReportData of an LLRP RO_ACCESS_REPORT as the rest of the LLRP driver sees it:
// the frame codec produces these, the pass tracker turns many of them into one pass.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace dockgate::drivers::llrp {

/// A tag seen by one antenna (LLRP 1.0.1 section 13.2.3 TagReportData). Fields the reader
/// did not send are filled with the last value of that type in the same report (section
/// 13.2.3 ii) or, with none, stay unset / 0.
struct TagSighting {
  std::vector<std::uint8_t> epc;     ///< EPC bank bits, most significant bit first
  std::size_t epc_bits = 0;          ///< EPC_96 (TV 13): 96; EPCData (241): its bit count
  std::uint16_t antenna_id = 0;      ///< AntennaID (TV 1), 1-based; 0 = not reported
  std::optional<int> peak_rssi_dbm;  ///< PeakRSSI (TV 6), signed dBm
  /// FirstSeenTimestampUTC (TV 2) in UTC ms, or FirstSeenTimestampUptime (TV 3) mapped to
  /// UTC by the client (receive time minus the reader's uptime difference); 0 = not reported.
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;  ///< LastSeenTimestampUTC/Uptime (TV 4/5), as above
  std::uint32_t seen_count = 1;   ///< TagSeenCount (TV 8); 1 when not reported
};

}  // namespace dockgate::drivers::llrp
