// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/llrp_report.hpp"

#include "drivers/llrp/llrp_bytes.hpp"

namespace dockgate::drivers::llrp {
namespace {

constexpr std::uint16_t kTagReportData = 240;
constexpr std::uint16_t kEpcData = 241;
// TV types (section 16.2.7.3, Table 5).
constexpr std::uint16_t kAntennaId = 1;
constexpr std::uint16_t kFirstSeenUtc = 2;
constexpr std::uint16_t kFirstSeenUptime = 3;
constexpr std::uint16_t kLastSeenUtc = 4;
constexpr std::uint16_t kLastSeenUptime = 5;
constexpr std::uint16_t kPeakRssi = 6;
constexpr std::uint16_t kTagSeenCount = 8;
constexpr std::uint16_t kEpc96 = 13;

/// Values carried from one TagReportData to the next (section 13.2.3 ii).
struct LastValues {
  std::optional<std::uint16_t> antenna;
  std::optional<int> rssi;
  std::optional<std::int64_t> first_seen_ms;
  std::optional<std::int64_t> last_seen_ms;
  std::optional<std::uint32_t> seen_count;
};

std::int64_t utc_ms(std::uint64_t utc_us) {
  return static_cast<std::int64_t>(utc_us / 1000U);
}

std::int64_t uptime_ms(std::uint64_t uptime_us, const UptimeClock& clock) {
  if (!clock.boot_utc_ms) return 0;
  return *clock.boot_utc_ms + static_cast<std::int64_t>(uptime_us / 1000U);
}

// EPCData (241, section 16.2.7.3.1): u16 bit count + ceil(bits / 8) bytes.
std::string read_epc_data(std::span<const std::uint8_t> value, TagSighting& tag) {
  FieldReader f(value);
  const std::uint16_t bits = f.u16();
  const auto bytes = f.bytes((std::size_t{bits} + 7U) / 8U);
  if (!f.ok()) {
    return "EPCData claims " + std::to_string(bits) + " bits, the parameter holds " +
           std::to_string(value.size() < 2 ? 0 : (value.size() - 2) * 8);
  }
  tag.epc.assign(bytes.begin(), bytes.end());
  tag.epc_bits = bits;
  if (bits % 8U != 0) tag.epc.back() &= static_cast<std::uint8_t>(0xFFU << (8U - bits % 8U));
  return {};
}

// One TagReportData: fills `tag`, returns an error or "".
std::string read_tag(std::span<const std::uint8_t> value, const UptimeClock& clock,
                     LastValues& last, TagSighting& tag) {
  LastValues seen;  // what this TagReportData carries itself
  bool have_epc = false;
  ParamReader params(value);
  Param p;
  while (params.next(p)) {
    FieldReader f(p.value);
    if (!p.tv) {
      if (p.type == kEpcData) {
        if (auto error = read_epc_data(p.value, tag); !error.empty()) return error;
        have_epc = true;
      }
      continue;  // unknown TLVs, Custom, AirProtocolTagData, OpSpecResults: skipped
    }
    switch (p.type) {
      case kEpc96: {
        const auto epc = f.bytes(12);
        tag.epc.assign(epc.begin(), epc.end());
        tag.epc_bits = 96;
        have_epc = true;
        break;
      }
      case kAntennaId:
        seen.antenna = f.u16();
        break;
      case kPeakRssi:
        seen.rssi = static_cast<std::int8_t>(f.u8());
        break;
      case kFirstSeenUtc:
        seen.first_seen_ms = utc_ms(f.u64());
        break;
      case kFirstSeenUptime:
        seen.first_seen_ms = uptime_ms(f.u64(), clock);
        break;
      case kLastSeenUtc:
        seen.last_seen_ms = utc_ms(f.u64());
        break;
      case kLastSeenUptime:
        seen.last_seen_ms = uptime_ms(f.u64(), clock);
        break;
      case kTagSeenCount:
        seen.seen_count = f.u16();
        break;
      default:
        break;  // known TVs the driver does not use (ROSpecID, ChannelIndex, ...)
    }
  }
  if (!params.error().empty()) return "TagReportData: " + params.error();
  if (!have_epc) return "TagReportData without EPC_96 or EPCData";
  if (seen.antenna) last.antenna = seen.antenna;
  if (seen.rssi) last.rssi = seen.rssi;
  if (seen.first_seen_ms) last.first_seen_ms = seen.first_seen_ms;
  if (seen.last_seen_ms) last.last_seen_ms = seen.last_seen_ms;
  if (seen.seen_count) last.seen_count = seen.seen_count;
  tag.antenna_id = last.antenna.value_or(0);
  tag.peak_rssi_dbm = last.rssi;
  tag.first_seen_ms = last.first_seen_ms.value_or(0);
  tag.last_seen_ms = last.last_seen_ms.value_or(0);
  tag.seen_count = last.seen_count.value_or(1);
  return {};
}

}  // namespace

ReportResult decode_ro_access_report(std::span<const std::uint8_t> body, UptimeClock clock) {
  ReportResult out;
  LastValues last;
  ParamReader params(body);
  Param p;
  while (params.next(p)) {
    if (p.tv || p.type != kTagReportData) continue;  // RFSurveyReportData, Custom, unknown
    TagSighting tag;
    if (auto error = read_tag(p.value, clock, last, tag); !error.empty()) {
      out.error = "RO_ACCESS_REPORT, TagReportData " + std::to_string(out.sightings.size() + 1) +
                  ": " + error;
      return out;
    }
    out.sightings.push_back(std::move(tag));
  }
  if (!params.error().empty()) out.error = "RO_ACCESS_REPORT: " + params.error();
  return out;
}

}  // namespace dockgate::drivers::llrp
