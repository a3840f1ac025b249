// SPDX-License-Identifier: Apache-2.0
// RO_ACCESS_REPORT (LLRP 1.0.1 section 13.1.1, 13.2.3, 16.1.31) -> TagSightings. Pure code:
// no I/O, never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/llrp/tag_sighting.hpp"

namespace dockgate::drivers::llrp {

/// How Uptime timestamps (µs since the reader booted, section 7.1.3.1.1) become UTC.
/// `boot_utc_ms` = the UTC ms at which the reader's uptime was 0, as the link estimated it
/// from a READER_EVENT_NOTIFICATION's Uptime (receive time - uptime). Unknown: Uptime
/// timestamps are left as 0 (= not reported; the caller falls back to its receive time).
struct UptimeClock {
  std::optional<std::int64_t> boot_utc_ms;
};

/// Sightings decoded from one RO_ACCESS_REPORT and, when the body was malformed, why.
/// `sightings` then holds the TagReportData read before the fault.
struct ReportResult {
  std::vector<TagSighting> sightings;
  std::string error;
};

/// Decodes the body (the bytes after the 10-byte header) of an RO_ACCESS_REPORT.
/// - TagReportData (240): EPC_96 (TV 13) or EPCData (241, any bit count, pad bits cleared),
///   AntennaID, PeakRSSI (signed dBm), First/LastSeen UTC or Uptime, TagSeenCount.
/// - A field absent from a TagReportData takes the last value of that type in the same
///   report (section 13.2.3 ii); with none: antenna 0, no RSSI, time 0, count 1.
/// - Unknown TLVs, RFSurveyReportData (242) and Custom (1023) are skipped by their length
///   (section 8.2); every TLV length is bounded by its parent.
/// - An unknown TV type ends the decoding with an error (a TV has no length).
/// - A TagReportData without an EPC is an error (section 13.2.3: EPCParameter required).
ReportResult decode_ro_access_report(std::span<const std::uint8_t> body, UptimeClock clock);

}  // namespace dockgate::drivers::llrp
