// SPDX-License-Identifier: Apache-2.0
#include "agent/epcis/exception_event.hpp"

#include <nlohmann/json.hpp>

#include "agent/core/base64.hpp"
#include "agent/core/time_format.hpp"

namespace dockgate::epcis {

std::string exception_event_open(const ExceptionInfo& info) {
  nlohmann::ordered_json j;
  j["type"] = info.type;
  j["eventID"] = info.event_id;
  j["eventTime"] = format_utc_ms(info.time_ms);
  j["eventTimeZoneOffset"] = format_tz_offset(info.tz_offset_minutes);
  j["reason"] = info.reason;
  j["siteId"] = info.site_id;
  j["gatewayId"] = info.gateway_id;
  j["locationId"] = info.location_id;
  if (!info.read_point.empty()) j["readPoint"] = info.read_point;
  j["driverId"] = info.driver_id;
  if (!info.symbology_id.empty()) j["symbologyId"] = info.symbology_id;
  if (info.has_raw) j["rawDataBase64"] = base64_encode(info.raw_data);
  for (const auto& [key, value] : info.extra) j[key] = value;
  for (const auto& [key, value] : info.extra_numbers) j[key] = value;
  for (const auto& [key, value] : info.extra_lists) j[key] = value;
  std::string text = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text.pop_back();
  return text;
}

}  // namespace dockgate::epcis
