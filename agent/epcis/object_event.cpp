// SPDX-License-Identifier: Apache-2.0
#include "agent/epcis/object_event.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "agent/core/base64.hpp"
#include "agent/core/time_format.hpp"
#include "agent/epc/epc.hpp"
#include "agent/gs1/parse.hpp"

namespace dockgate::epcis {
namespace {

using Json = nlohmann::ordered_json;

bool is_ascii(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

/// The RFID pass facts (LLRP TagReportData, summed over the pass by the LLRP driver).
void add_tag_facts(Json& j, const TagFacts& tag) {
  const epc::EpcResult decoded = epc::decode_epc_hex(tag.epc_hex);
  j["dg:tagUri"] = decoded.tag_uri;
  if (!decoded.scheme.empty()) j["dg:epcScheme"] = decoded.scheme;
  if (tag.antenna_id != 0) j["dg:antennaId"] = tag.antenna_id;
  if (tag.peak_rssi_dbm) j["dg:peakRssi"] = *tag.peak_rssi_dbm;
  j["dg:readCount"] = tag.read_count;
  j["dg:firstSeen"] = format_utc_ms(tag.first_seen_ms);
  j["dg:lastSeen"] = format_utc_ms(tag.last_seen_ms);
  if (tag.travel != Travel::unknown) {
    j["dg:travelDirection"] = tag.travel == Travel::inbound ? "inbound" : "outbound";
  }
}

}  // namespace

std::string read_point_uri(const std::string& site_gln, const std::string& gln_extension) {
  return gs1::digital_link("414", site_gln, {{"254", gln_extension}});
}

std::string biz_location_uri(const std::string& site_gln) {
  return gs1::digital_link("414", site_gln);
}

std::string object_event_open(const ScanContext& ctx, const Identification& id) {
  const bool inbound = ctx.direction == Direction::inbound;
  const bool both = ctx.direction == Direction::both;
  Json j;
  j["type"] = "ObjectEvent";
  j["eventTime"] = format_utc_ms(ctx.event_time_ms);
  j["eventTimeZoneOffset"] = format_tz_offset(ctx.tz_offset_minutes);
  j["eventID"] = ctx.event_id;
  if (!id.epcs.empty()) j["epcList"] = id.epcs;
  if (!id.quantities.empty()) {
    Json list = Json::array();
    for (const auto& q : id.quantities) {
      Json e;
      e["epcClass"] = q.epc_class;
      // Counts print as integers ("12", not "12.0"); measures keep their decimals.
      if (std::trunc(q.quantity) == q.quantity && std::fabs(q.quantity) < 1e15) {
        e["quantity"] = static_cast<std::int64_t>(q.quantity);
      } else {
        e["quantity"] = q.quantity;
      }
      if (!q.uom.empty()) e["uom"] = q.uom;
      list.push_back(std::move(e));
    }
    j["quantityList"] = std::move(list);
  }
  j["action"] = "OBSERVE";
  if (!ctx.biz_step.empty()) {
    j["bizStep"] = ctx.biz_step;
  } else if (!both) {
    j["bizStep"] = inbound ? "receiving" : "loading";
  }
  j["disposition"] = "in_progress";
  j["readPoint"] = {{"id", read_point_uri(ctx.site_gln, ctx.gln_extension)}};
  j["bizLocation"] = {{"id", biz_location_uri(ctx.site_gln)}};
  if (!id.biz_transactions.empty()) {
    Json list = Json::array();
    for (const auto& b : id.biz_transactions)
      list.push_back({{"type", b.type}, {"bizTransaction", b.id}});
    j["bizTransactionList"] = std::move(list);
  }
  if (!id.destinations.empty()) {
    Json list = Json::array();
    for (const auto& d : id.destinations) list.push_back({{"type", d.type}, {"destination", d.id}});
    j["destinationList"] = std::move(list);
  }
  if (!ctx.milestone.empty()) {
    j["dg:milestone"] = ctx.milestone;
  } else if (both) {
    j["dg:milestone"] = "door_passed";  // a two-way door that could not tell the direction
  } else {
    j["dg:milestone"] = inbound ? "warehouse_inbound" : "warehouse_outbound";
  }
  j["dg:gatewayId"] = ctx.gateway_id;
  j["dg:driverId"] = ctx.driver_id;
  j["dg:locationId"] = ctx.location_id;
  j["dg:source"] = id.source;
  if (!ctx.symbology_id.empty()) j["dg:symbologyId"] = ctx.symbology_id;
  if (is_ascii(ctx.raw_data)) {
    j["dg:rawData"] = ctx.raw_data;
  } else {
    j["dg:rawDataBase64"] = base64_encode(ctx.raw_data);
  }
  if (ctx.tag != nullptr) add_tag_facts(j, *ctx.tag);
  for (const auto& [key, value] : ctx.extensions) j[key] = value;
  std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  text.pop_back();  // drop '}' so the sequence number can be appended at commit
  return text;
}

std::string close_with_seq(const std::string& open, const char* key, std::uint64_t seq) {
  std::string out;
  out.reserve(open.size() + 40);
  out += open;
  out += ",\"";
  out += key;
  out += "\":";
  out += std::to_string(seq);
  out += '}';
  return out;
}

}  // namespace dockgate::epcis
