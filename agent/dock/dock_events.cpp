// SPDX-License-Identifier: Apache-2.0
#include "agent/dock/dock_events.hpp"

#include <nlohmann/json.hpp>

#include "agent/core/time_format.hpp"

namespace dockgate::dock {
namespace {

using Json = nlohmann::ordered_json;

Json head(const DockEventContext& ctx, const char* type) {
  Json j;
  j["type"] = type;
  j["eventTime"] = format_utc_ms(ctx.time_ms);
  j["eventTimeZoneOffset"] = format_tz_offset(ctx.tz_offset_minutes);
  j["eventID"] = ctx.event_id;
  return j;
}

void where(Json& j, const DockEventContext& ctx) {
  j["readPoint"] = {{"id", epcis::read_point_uri(ctx.site_gln, ctx.gln_extension)}};
  j["bizLocation"] = {{"id", epcis::biz_location_uri(ctx.site_gln)}};
}

// EPCIS 2.0 section 7.3.8 SensorElement; booleanValue per sensorReport.
void sensors(Json& j, const DockEventContext& ctx, const std::string* extra_point = nullptr,
             bool extra_value = false) {
  Json reports = Json::array();
  if (ctx.trailer_present) {
    reports.push_back({{"type", "dg:trailerPresent"}, {"booleanValue", *ctx.trailer_present}});
  }
  if (ctx.door_open) reports.push_back({{"type", "dg:doorOpen"}, {"booleanValue", *ctx.door_open}});
  if (extra_point != nullptr) {
    reports.push_back({{"type", "dg:" + *extra_point}, {"booleanValue", extra_value}});
  }
  if (reports.empty()) return;
  Json meta;
  meta["time"] = format_utc_ms(ctx.time_ms);
  if (!ctx.device_id.empty()) meta["deviceID"] = ctx.device_id;
  j["sensorElementList"] = Json::array({{{"sensorMetadata", meta}, {"sensorReport", reports}}});
}

void tail(Json& j, const DockEventContext& ctx, const char* milestone, const DockSession* session) {
  j["dg:milestone"] = milestone;
  j["dg:gatewayId"] = ctx.gateway_id;
  j["dg:driverId"] = ctx.driver_id;
  j["dg:locationId"] = ctx.location_id;
  if (session != nullptr) {
    j["dg:dockSessionId"] = session->id;
    if (!session->transport_id.empty()) j["dg:transportId"] = session->transport_id;
  }
}

std::string open_text(const Json& j) {
  std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  text.pop_back();  // the outbox appends the sequence number and the brace
  return text;
}

}  // namespace

std::string arriving_event_open(const DockEventContext& ctx, const DockSession& session) {
  Json j = head(ctx, "ObjectEvent");
  j["action"] = "OBSERVE";
  j["bizStep"] = "arriving";
  where(j, ctx);
  sensors(j, ctx);
  tail(j, ctx, "arriving", &session);
  return open_text(j);
}

std::string door_event_open(const DockEventContext& ctx, bool opened, const DockSession* session) {
  Json j = head(ctx, "ObjectEvent");
  j["action"] = "OBSERVE";
  j["bizStep"] = "sensor_reporting";
  where(j, ctx);
  sensors(j, ctx);
  tail(j, ctx, opened ? "door_opened" : "door_closed", session);
  return open_text(j);
}

std::string sensor_event_open(const DockEventContext& ctx, const std::string& point, bool value,
                              const DockSession* session) {
  Json j = head(ctx, "ObjectEvent");
  j["action"] = "OBSERVE";
  j["bizStep"] = "sensor_reporting";
  where(j, ctx);
  sensors(j, ctx, &point, value);
  tail(j, ctx, "sensor_changed", session);
  return open_text(j);
}

std::string session_closed_event_open(const DockEventContext& ctx, const DockSession& session,
                                      const nlohmann::json& extra) {
  const bool outbound = ctx.direction == epcis::Direction::outbound;
  // With the trailer identified, EPCIS says "these were on that" with an AggregationEvent
  // (section 7.4.3); OBSERVE because the aggregation was built by the loading scans.
  const bool aggregate = outbound && !session.transport_id.empty() && !session.epcs.empty();
  Json j = head(ctx, aggregate ? "AggregationEvent" : "ObjectEvent");
  if (aggregate) {
    j["parentID"] = session.transport_id;
    j["childEPCs"] = session.epcs;
  } else if (!session.epcs.empty()) {
    j["epcList"] = session.epcs;
  }
  j["action"] = "OBSERVE";
  j["bizStep"] = outbound ? "departing" : "unloading";
  if (outbound) j["disposition"] = "in_transit";
  where(j, ctx);
  sensors(j, ctx);
  tail(j, ctx, outbound ? "departing" : "unloading_complete", &session);
  j["dg:handlingUnitCount"] = session.handling_units;
  j["dg:sessionOpenedAt"] = format_utc_ms(session.opened_ms);
  if (session.epcs_truncated) j["dg:epcListTruncated"] = true;
  if (extra.is_object()) {
    for (const auto& [key, value] : extra.items()) j[key] = value;
  }
  return open_text(j);
}

}  // namespace dockgate::dock
