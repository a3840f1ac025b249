// SPDX-License-Identifier: Apache-2.0
// A dock plan: the expected content of one trailer visit, the edge form of a despatch advice
// (GS1 DESADV / ASN). Central systems publish plans as JSON (docs/plans.md has the schema);
// parse_plan checks one and turns it into a DockPlan. Pure code: no I/O, never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockgate::plans {

/// A GTIN + quantity line of a plan: `quantity` trade items of GTIN `gtin` (GS1 General
/// Specifications 3.2, AI 01 / AI 02 with AI 37).
struct PlanLine {
  std::string gtin;  ///< 14 digits, check digit verified
  std::uint32_t quantity = 0;
};

enum class PlanDirection { inbound, outbound };

struct DockPlan {
  std::string plan_id;         ///< 1-64 characters A-Z a-z 0-9 . _ -
  std::uint32_t revision = 0;  ///< a higher revision replaces a lower one
  PlanDirection direction = PlanDirection::inbound;
  std::vector<std::string> doors;  ///< location ids the visit may use (at least one)
  std::string transport_id;        ///< trailer / licence plate as read at the door; "" = any
  std::optional<std::int64_t> planned_arrival_ms;    ///< UTC ms
  std::optional<std::int64_t> planned_departure_ms;  ///< UTC ms, not before the arrival
  std::string ship_from;                             ///< GLN (13 digits) or ""
  std::string ship_to;                               ///< GLN (13 digits) or ""
  std::string despatch_advice_number;                ///< DESADV / ASN number or ""
  std::vector<std::string> ssccs;  ///< 18 digits each, check digit verified, unique
  std::vector<PlanLine> lines;     ///< GTIN lines, one per GTIN
};

/// Outcome of parse_plan: `plan` when accepted; `cancelled` (with `plan_id` and `revision`)
/// for a withdrawal; else `error`, a reason a central-system developer can act on
/// ("units.ssccs[3]: check digit is 1, expected 0").
struct PlanParse {
  std::optional<DockPlan> plan;
  bool cancelled = false;
  std::string plan_id;
  std::uint32_t revision = 0;
  std::string error;
};

/// Limits that keep one plan bounded in memory and in the database.
inline constexpr std::size_t kMaxPlanUnits = 10'000;   ///< SSCCs + lines per plan
inline constexpr std::size_t kMaxPlanBytes = 1 << 20;  ///< JSON text per plan

/// Parses and validates one plan document (docs/plans.md):
///   {"planId", "revision", "status"?: "active"|"cancelled", "direction": "inbound"|"outbound",
///    "doors": [location ids], "transportId"?, "plannedArrival"?, "plannedDeparture"? (RFC 3339
///    with a zone), "shipFrom"?, "shipTo"? (GLN), "despatchAdviceNumber"?,
///    "units": {"ssccs"?: [...], "lines"?: [{"gtin", "quantity"}]}}
/// Unknown fields are rejected. A cancelled plan needs only planId, revision and status.
/// `expected_id` (the planId of the MQTT topic or the file name) must match when not empty.
PlanParse parse_plan(std::string_view json_text, std::string_view expected_id = {});

}  // namespace dockgate::plans
