// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/llrp_messages.hpp"

#include "drivers/llrp/llrp_frame.hpp"

namespace dockgate::drivers::llrp {
namespace {

// Parameter types (LLRP 1.0.1 section 16.2, Table 4).
constexpr std::uint16_t kUtcTimestamp = 128;
constexpr std::uint16_t kUptime = 129;
constexpr std::uint16_t kRospec = 177;
constexpr std::uint16_t kRoBoundarySpec = 178;
constexpr std::uint16_t kRospecStartTrigger = 179;
constexpr std::uint16_t kRospecStopTrigger = 182;
constexpr std::uint16_t kAiSpec = 183;
constexpr std::uint16_t kAiSpecStopTrigger = 184;
constexpr std::uint16_t kInventoryParameterSpec = 186;
constexpr std::uint16_t kKeepaliveSpec = 220;
constexpr std::uint16_t kEventsAndReports = 226;
constexpr std::uint16_t kRoReportSpec = 237;
constexpr std::uint16_t kTagReportContentSelector = 238;
constexpr std::uint16_t kReaderEventNotificationSpec = 244;
constexpr std::uint16_t kEventNotificationState = 245;
constexpr std::uint16_t kReaderEventNotificationData = 246;
constexpr std::uint16_t kConnectionAttemptEvent = 256;
constexpr std::uint16_t kConnectionCloseEvent = 257;
constexpr std::uint16_t kLlrpStatus = 287;
constexpr std::uint16_t kCustom = 1023;
constexpr std::uint8_t kEpcGlobalClass1Gen2 = 1;  // AirProtocols (section 16.2.4.2.1)

Bytes empty_message(std::uint16_t type, std::uint32_t id) {
  ByteWriter w;
  w.begin_message(type, id);
  return w.end_message();
}

Bytes rospec_id_message(std::uint16_t type, std::uint32_t id, std::uint32_t rospec_id) {
  ByteWriter w;
  w.begin_message(type, id);
  w.u32(rospec_id);
  return w.end_message();
}

}  // namespace

Bytes encode_get_reader_capabilities(std::uint32_t id) {
  ByteWriter w;
  w.begin_message(kGetReaderCapabilities, id);
  w.u8(0);  // RequestedData: all
  return w.end_message();
}

Bytes encode_set_reader_config(std::uint32_t id, const ReaderConfigRequest& config) {
  ByteWriter w;
  w.begin_message(kSetReaderConfig, id);
  w.u8(config.reset_to_factory ? 0x80 : 0x00);
  // Parameter order is fixed by section 16.1.4: ReaderEventNotificationSpec first,
  // KeepaliveSpec after the (unsent) antenna and report specs, EventsAndReports last.
  if (!config.events.empty()) {
    const auto spec = w.begin_tlv(kReaderEventNotificationSpec);
    for (const std::uint16_t event : config.events) {
      const auto state = w.begin_tlv(kEventNotificationState);
      w.u16(event);
      w.u8(0x80);  // NotificationState: on
      w.end_tlv(state);
    }
    w.end_tlv(spec);
  }
  const auto keepalive = w.begin_tlv(kKeepaliveSpec);
  w.u8(config.keepalive_ms > 0 ? 1 : 0);  // 1 = periodic, 0 = null
  w.u32(config.keepalive_ms);
  w.end_tlv(keepalive);
  const auto events = w.begin_tlv(kEventsAndReports);
  w.u8(config.hold_events_on_reconnect ? 0x80 : 0x00);
  w.end_tlv(events);
  return w.end_message();
}

Bytes encode_add_rospec(std::uint32_t id, const RospecRequest& rospec) {
  ByteWriter w;
  w.begin_message(kAddRospec, id);
  const auto spec = w.begin_tlv(kRospec);
  w.u32(rospec.rospec_id);
  w.u8(0);  // Priority
  w.u8(0);  // CurrentState: Disabled (section 10.1.1 requires it)
  const auto boundary = w.begin_tlv(kRoBoundarySpec);
  const auto start = w.begin_tlv(kRospecStartTrigger);
  w.u8(rospec.immediate_start ? 1 : 0);
  w.end_tlv(start);
  const auto stop = w.begin_tlv(kRospecStopTrigger);
  w.u8(0);   // Null: runs until stopped
  w.u32(0);  // DurationTriggerValue
  w.end_tlv(stop);
  w.end_tlv(boundary);
  const auto ai = w.begin_tlv(kAiSpec);
  const std::vector<std::uint16_t> all{0};
  const auto& antennas = rospec.antennas.empty() ? all : rospec.antennas;
  w.u16(static_cast<std::uint16_t>(antennas.size()));
  for (const std::uint16_t a : antennas) w.u16(a);
  const auto ai_stop = w.begin_tlv(kAiSpecStopTrigger);
  w.u8(0);  // Null
  w.u32(0);
  w.end_tlv(ai_stop);
  const auto inventory = w.begin_tlv(kInventoryParameterSpec);
  w.u16(1);
  w.u8(kEpcGlobalClass1Gen2);
  w.end_tlv(inventory);
  w.end_tlv(ai);
  const auto report = w.begin_tlv(kRoReportSpec);
  w.u8(rospec.report_trigger);
  w.u16(rospec.report_every_tags);
  const auto selector = w.begin_tlv(kTagReportContentSelector);
  w.u16(rospec.content_selector);
  w.end_tlv(selector);
  w.end_tlv(report);
  w.end_tlv(spec);
  return w.end_message();
}

Bytes encode_delete_rospec(std::uint32_t id, std::uint32_t rospec_id) {
  return rospec_id_message(kDeleteRospec, id, rospec_id);
}
Bytes encode_enable_rospec(std::uint32_t id, std::uint32_t rospec_id) {
  return rospec_id_message(kEnableRospec, id, rospec_id);
}
Bytes encode_start_rospec(std::uint32_t id, std::uint32_t rospec_id) {
  return rospec_id_message(kStartRospec, id, rospec_id);
}
Bytes encode_stop_rospec(std::uint32_t id, std::uint32_t rospec_id) {
  return rospec_id_message(kStopRospec, id, rospec_id);
}
Bytes encode_enable_events_and_reports(std::uint32_t id) {
  return empty_message(kEnableEventsAndReports, id);
}
Bytes encode_keepalive_ack(std::uint32_t id) {
  return empty_message(kKeepaliveAck, id);
}
Bytes encode_close_connection(std::uint32_t id) {
  return empty_message(kCloseConnection, id);
}

std::string LlrpStatus::to_string() const {
  std::string out = status_name(code) + " (" + std::to_string(code) + ")";
  if (!description.empty()) out += ": " + description;
  return out;
}

StatusResult decode_status(std::span<const std::uint8_t> body) {
  StatusResult out;
  ParamReader params(body);
  Param p;
  while (params.next(p)) {
    if (p.tv || p.type != kLlrpStatus) continue;
    FieldReader f(p.value);
    out.status.code = f.u16();
    const std::uint16_t n = f.u16();
    const auto text = f.bytes(n);
    if (!f.ok()) {
      out.error = "LLRPStatus parameter truncated (" + std::to_string(p.value.size() + 4) +
                  " bytes, description claims " + std::to_string(n) + ")";
      return out;
    }
    out.status.description.assign(text.begin(), text.end());
    return out;
  }
  out.error = params.error().empty() ? "no LLRPStatus parameter in the message"
                                     : "LLRPStatus not found: " + params.error();
  return out;
}

EventResult decode_reader_event(std::span<const std::uint8_t> body) {
  EventResult out;
  ParamReader top(body);
  Param data;
  while (top.next(data)) {
    if (data.tv || data.type != kReaderEventNotificationData) continue;
    ParamReader inner(data.value);
    Param p;
    while (inner.next(p)) {
      if (p.tv) continue;
      FieldReader f(p.value);
      switch (p.type) {
        case kUtcTimestamp:
          out.event.utc_us = f.u64();
          break;
        case kUptime:
          out.event.uptime_us = f.u64();
          break;
        case kConnectionAttemptEvent:
          out.event.connection_attempt = f.u16();
          break;
        case kConnectionCloseEvent:
          out.event.connection_close = true;
          break;
        case kCustom:
          break;  // vendor extension (section 8.2): skipped
        default:
          out.event.other_events.push_back(p.type);
          break;
      }
      if (!f.ok()) {
        out.error = "READER_EVENT_NOTIFICATION: parameter type " + std::to_string(p.type) +
                    " too short (" + std::to_string(p.value.size() + 4) + " bytes)";
        return out;
      }
    }
    if (!inner.error().empty()) out.error = "READER_EVENT_NOTIFICATION: " + inner.error();
    if (out.error.empty() && !out.event.utc_us && !out.event.uptime_us) {
      out.error = "READER_EVENT_NOTIFICATION without a timestamp (section 13.2.6.1)";
    }
    return out;
  }
  out.error = "READER_EVENT_NOTIFICATION without ReaderEventNotificationData" +
              (top.error().empty() ? std::string() : ": " + top.error());
  return out;
}

std::string status_name(std::uint16_t code) {
  switch (code) {
    case 0:
      return "M_Success";
    case 100:
      return "M_ParameterError";
    case 101:
      return "M_FieldError";
    case 102:
      return "M_UnexpectedParameter";
    case 103:
      return "M_MissingParameter";
    case 104:
      return "M_DuplicateParameter";
    case 105:
      return "M_OverflowParameter";
    case 106:
      return "M_OverflowField";
    case 107:
      return "M_UnknownParameter";
    case 108:
      return "M_UnknownField";
    case 109:
      return "M_UnsupportedMessage";
    case 110:
      return "M_UnsupportedVersion";
    case 111:
      return "M_UnsupportedParameter";
    case 200:
      return "P_ParameterError";
    case 201:
      return "P_FieldError";
    case 202:
      return "P_UnexpectedParameter";
    case 203:
      return "P_MissingParameter";
    case 204:
      return "P_DuplicateParameter";
    case 205:
      return "P_OverflowParameter";
    case 206:
      return "P_OverflowField";
    case 207:
      return "P_UnknownParameter";
    case 208:
      return "P_UnknownField";
    case 209:
      return "P_UnsupportedParameter";
    case 300:
      return "A_Invalid";
    case 301:
      return "A_OutOfRange";
    case 401:
      return "R_DeviceError";
    default:
      return "status " + std::to_string(code);
  }
}

}  // namespace dockgate::drivers::llrp
