// SPDX-License-Identifier: Apache-2.0
// Timestamps as EPCIS 2.0 writes them (JSON binding: xsd:dateTime, section 8 of the
// EPCIS 2.0 standard; eventTimeZoneOffset as "+hh:mm" / "-hh:mm", section 7.4.1).
#pragma once

#include <cstdint>
#include <string>

namespace dockgate {

/// "2026-11-21T08:12:45.120Z" for UTC milliseconds since the Unix epoch.
std::string format_utc_ms(std::int64_t utc_ms);

/// "+01:00", "-05:30", "+00:00" for an offset in minutes east of UTC (range -1439..1439).
std::string format_tz_offset(int minutes);

/// Parses "+01:00" / "-05:30" / "Z"-less offsets; returns false on bad input.
bool parse_tz_offset(const std::string& text, int& minutes);

/// The gateway's local UTC offset in minutes at the given instant (DST-aware, from the
/// process time zone / TZ environment variable).
int local_tz_offset_minutes(std::int64_t utc_ms);

}  // namespace dockgate
