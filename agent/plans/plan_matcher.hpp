// SPDX-License-Identifier: Apache-2.0
// Planned vs actual at the door: checks every read against the plans current at its door,
// keeps each plan's tally (units read so far), compares a finished visit with its plan and
// runs the plan timers. Pure: no I/O and no clock (times come with the reads and ticks), so
// every rule is unit-testable. The tally rides on the outbox `state` table (StateChange in the
// same transaction as the milestone that changed it), so a restart resumes every visit and
// raises nothing twice. Io thread only.
//
// Rules (docs/plans.md, "Checks at the door"):
//  - a read's units are its SSCCs (AI 00, SSCC-96); a read without an SSCC counts its GTINs
//    (SGTIN: AI 01 + 21, one unit per serial; AI 01 / 02 + 30 / 37: the quantity) against the
//    plans' GTIN lines;
//  - expected: the unit's plan lists this door, has the door's direction, and is current (its
//    window holds the read) or no other plan is current at the door;
//  - repeat: expected and already counted: nothing changes;
//  - misrouted: the SSCC belongs to a plan of another door, of the other direction, or of
//    another visit at this door (a different plan is current here); GTINs name products,
//    not pallets, so a GTIN line only counts at its plan's doors and is never misrouted;
//  - unexpected_unit: in no plan at all, read at a door where a plan is current;
//  - over_shipment: more units of a GTIN line than planned.
// Reads at a door where no plan is current and of units in no plan are not checked.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "agent/core/identification.hpp"
#include "agent/core/scan_pipeline.hpp"
#include "agent/plans/plan_book.hpp"
#include "agent/plans/plan_options.hpp"

namespace dockgate::plans {

/// What the gateway knows of one plan's visit. Persisted (see PlanMatcher::kUnitPrefix ...).
struct Tally {
  std::set<std::uint64_t> ssccs;               ///< SSCCs of the plan read so far
  std::map<std::string, std::uint64_t> lines;  ///< GTIN -> units read (serials + quantities)
  std::set<std::string> serials;               ///< "gtin/serial" counted (repeats change nothing)
  std::map<std::string, std::int64_t> doors;   ///< door -> UTC ms of the last unit counted there
  bool arrived = false;                        ///< a unit was counted or a session opened
  std::set<std::string> raised;                ///< once-per-plan alarms already raised
  std::int64_t finished_ms = 0;                ///< visit checked (0 = open)
  std::uint64_t deviations = 0;                ///< misrouted / over_shipment reads naming it
};

/// The verdict for one unit of a read.
struct UnitCheck {
  enum class Kind { expected, repeat, misrouted, unexpected_unit, over_shipment };
  Kind kind = Kind::expected;
  std::string unit;                     ///< "sscc:<18 digits>" or "gtin:<14 digits>[/<serial>]"
  std::string plan_id;                  ///< the unit's plan ("" for unexpected_unit)
  std::vector<std::string> plan_doors;  ///< misrouted: the doors of the unit's plan
  std::string door_plan_id;             ///< misrouted: the plan current at this door ("" = none)
  std::string reason;                   ///< for a dock supervisor ("" for expected / repeat)
};

/// The outcome of check_read: one entry per unit, and the tally changes to commit with it.
struct ReadCheck {
  std::vector<UnitCheck> units;  ///< empty = not checked (no plan concerned)
  std::vector<StateChange> state;
};

/// A GTIN line whose count differs from the plan at the end of the visit.
struct LineDelta {
  std::string gtin;
  std::uint64_t planned = 0;
  std::uint64_t actual = 0;
};

/// The comparison of a finished visit with its plan.
struct VisitCheck {
  std::string plan_id;
  std::uint64_t expected = 0;  ///< SSCCs + line quantities of the plan
  std::uint64_t actual = 0;    ///< of those, read (line reads capped at the planned quantity)
  std::vector<std::string> missing_ssccs;  ///< 18 digits each, in order
  std::vector<LineDelta> short_lines;
  std::vector<LineDelta> over_lines;
  std::vector<StateChange> state;  ///< marks the plan finished
};

/// A plan timer that fired (late_arrival, late_departure, wrong_door) or a visit that ended
/// by its window (no dock sensors at the plan's doors).
struct PlanAlarm {
  std::string type;  ///< late_arrival | late_departure | wrong_door | "" (see visit)
  std::string plan_id;
  std::string door;  ///< where to show it: the door it happened at, or the plan's first door
  std::string reason;
  std::vector<StateChange> state;
  std::optional<VisitCheck> visit;  ///< the window-ended visit's comparison
};

class PlanMatcher {
 public:
  /// State keys: kUnitPrefix + planId + "/" + unit; kLinePrefix + planId + "/" + gtin;
  /// kVisitPrefix + planId (the rest of the tally as JSON).
  static constexpr const char* kUnitPrefix = "plan_unit/";
  static constexpr const char* kLinePrefix = "plan_line/";
  static constexpr const char* kVisitPrefix = "plan_visit/";

  /// `door_direction`: the configured direction of every door (inbound | outbound | both).
  PlanMatcher(PlanOptions options, std::map<std::string, epcis::Direction> door_direction);

  /// A config reload: new options and doors; plans and tallies stay.
  void reconfigure(PlanOptions options, std::map<std::string, epcis::Direction> door_direction) {
    options_ = std::move(options);
    door_direction_ = std::move(door_direction);
  }

  PlanBook& book() { return book_; }
  [[nodiscard]] const PlanBook& book() const { return book_; }

  /// Loads tallies saved by an earlier run (the outbox state; other keys ignored). Call after
  /// the plans were put into book(). Returns one message per damaged entry (skipped).
  std::vector<std::string> restore(const std::map<std::string, std::string>& state);
  /// The state changes that drop a plan's tally (prefix deletes), for a removed plan.
  static std::vector<StateChange> forget(const std::string& plan_id);
  /// Drops the in-memory tally of a plan no longer in the book.
  void drop(const std::string& plan_id) { tallies_.erase(plan_id); }

  /// Checks the units of an accepted read at `door` (`travel`: the read's direction).
  ReadCheck check_read(const std::string& door, epcis::Direction travel, const Identification& id,
                       std::int64_t time_ms);
  /// The transport (trailer) at `door` was identified as `transport_uri`: a current plan with
  /// that transportId (equal, or the last segment of the URI or URN) at other doors -> wrong_door.
  std::vector<PlanAlarm> on_transport(const std::string& door, const std::string& transport_uri,
                                      std::int64_t time_ms);
  /// A dock session opened at `door`: current plans there have arrived.
  std::vector<StateChange> on_arrival(const std::string& door, std::int64_t time_ms);
  /// A dock session closed at `door` (departing / unloading_complete): compares it with the
  /// plan(s) it served — those with units counted at the door since `opened_ms`, else the
  /// transport's plan, else the plans current at the door — and finishes them.
  std::vector<VisitCheck> end_visit(const std::string& door, const std::string& transport_uri,
                                    std::int64_t opened_ms, std::int64_t time_ms);
  /// Timers: late_arrival, late_departure (plans at sensor doors), window-ended visits
  /// (plans without sensor doors, at planned departure + late_grace). `sensor_door` says
  /// whether a door has dock sensors. Also lists expired plans in `expired`.
  std::vector<PlanAlarm> on_tick(std::int64_t now_ms,
                                 const std::function<bool(const std::string&)>& sensor_door,
                                 std::vector<std::string>& expired);

  /// Per door: {"door-07": [{"planId", "direction", "expected", "read", "missing",
  /// "deviations", "finished"?}]} for plans listing the door; at most `max_plans_per_door`
  /// per door (the current ones first).
  [[nodiscard]] nlohmann::json status_json(std::int64_t now_ms,
                                           std::size_t max_plans_per_door = 5) const;
  [[nodiscard]] const Tally* tally(const std::string& plan_id) const;

  /// True when the plan's window holds `t` (plans without times: until finished).
  [[nodiscard]] bool is_current(const HeldPlan& p, std::int64_t t) const;

 private:
  /// Among `plans` (those holding `unit`), the open one expected at `door`; nullptr after
  /// recording unexpected_unit / misrouted in `out` (or when the read is not checked).
  /// `class_level` (GTIN lines): only plans loaded at this door count, never misrouted.
  const HeldPlan* plan_for(const std::string& door, epcis::Direction travel,
                           const std::string& unit, std::vector<const HeldPlan*> plans,
                           bool class_level, std::int64_t t, ReadCheck& out);
  void check_sscc(const std::string& door, epcis::Direction travel, std::uint64_t sscc,
                  std::int64_t t, ReadCheck& out);
  void check_gtin(const std::string& door, epcis::Direction travel, const std::string& gtin,
                  const std::string& serial, std::uint64_t quantity, std::int64_t t,
                  ReadCheck& out);
  [[nodiscard]] bool serves(const HeldPlan& p, const std::string& door,
                            epcis::Direction travel) const;
  [[nodiscard]] std::vector<const HeldPlan*> current_at(const std::string& door,
                                                        epcis::Direction travel,
                                                        std::int64_t t) const;
  /// Among `plans` (holding the unit), the one expected at this door, or nullptr; sets
  /// `door_plan` to the plan current at the door when there is one.
  const HeldPlan* expected_among(const std::vector<const HeldPlan*>& plans, const std::string& door,
                                 epcis::Direction travel, std::int64_t t,
                                 const HeldPlan*& door_plan) const;
  void misrouted(const std::string& door, const std::string& unit, const HeldPlan& owner,
                 const HeldPlan* door_plan, ReadCheck& out);
  StateChange visit_state(const std::string& plan_id) const;
  VisitCheck compare(const HeldPlan& p, Tally& t, std::int64_t time_ms);

  PlanOptions options_;
  std::map<std::string, epcis::Direction> door_direction_;
  PlanBook book_;
  std::map<std::string, Tally> tallies_;
};

/// "sscc:..." / "gtin:..." unit key -> what a dock supervisor reads ("SSCC 3401...").
std::string unit_label(const std::string& unit);

}  // namespace dockgate::plans
