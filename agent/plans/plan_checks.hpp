// SPDX-License-Identifier: Apache-2.0
// Plans at work in the agent: takes plan documents in (MQTT or plans.dir), checks every
// accepted read against them (a ScanDecorator wrapped around the dock sessions), checks each
// visit as it ends (a VisitObserver of the dock sessions) and runs the plan timers. Turns the
// PlanMatcher's verdicts into exception events (docs/exceptions.md: misrouted,
// unexpected_unit, over_shipment, short_shipment, late_arrival, late_departure, wrong_door,
// plan_rejected) and signal-tower feedback. Pure like the pipeline: no I/O, no clock. Io
// thread only.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/core/event_id.hpp"
#include "agent/core/scan_pipeline.hpp"
#include "agent/dock/visit_observer.hpp"
#include "agent/plans/plan_matcher.hpp"

namespace dockgate::plans {

struct PlanCheckSettings {
  std::string site_id;
  std::string site_gln;
  std::string gateway_id;
  std::vector<DoorInfo> doors;
  std::set<std::string> sensor_doors;  ///< doors with a dock-sensor driver
  PlanOptions options;
  std::function<int(std::int64_t)> tz_offset_minutes = [](std::int64_t) { return 0; };
  std::uint64_t id_seed = 0;  ///< EventIdGenerator seed (0 = random)
};

/// What became of a plan document.
struct PlanIntake {
  enum class Outcome {
    accepted,   ///< a new plan: store `document` in the plans table
    replaced,   ///< a higher revision: store `document`
    stale,      ///< not newer than the held revision: nothing to store
    cancelled,  ///< withdrawn: delete the row and `state` (its tally)
    unknown,    ///< a withdrawal of a plan not held (or older than it): nothing to do
    rejected,   ///< invalid: store `rejection` (a plan_rejected exception)
  };
  Outcome outcome = Outcome::rejected;
  std::string plan_id;
  std::uint32_t revision = 0;
  std::vector<StateChange> state;           ///< cancelled: the tally to forget
  std::optional<PipelineOutput> rejection;  ///< rejected: the exception to store
  std::string error;                        ///< rejected: why
};

class PlanChecks final : public ScanDecorator, public VisitObserver {
 public:
  /// `inner` (the dock sessions) decorates each read first; may be nullptr. Not owned.
  PlanChecks(PlanCheckSettings settings, ScanDecorator* inner);

  /// A plan document from `source` ("mqtt" or "file:<name>"), `expected_id` = the planId of
  /// the topic or file name. Empty `text` withdraws plan `expected_id` (a cleared retained
  /// message or a deleted file). Validation: parse_plan plus the doors must be configured
  /// locations.
  PlanIntake receive(const std::string& text, const std::string& expected_id,
                     const std::string& source, std::int64_t now_ms);
  /// The plan_rejected exception for plan `plan_id` from `source` (no door, no feedback).
  PipelineOutput plan_rejected(const std::string& plan_id, const std::string& source,
                               const std::string& why, std::int64_t now_ms);
  /// A stored plan at start (the plans table): put back without checks of revision order.
  /// Returns "" or why it could not be used (it is skipped).
  std::string load(const std::string& text, const std::string& plan_id, const std::string& source,
                   std::int64_t received_ms);
  /// New doors / sensor doors / options (a config reload); the plans and tallies stay.
  void reconfigure(PlanCheckSettings settings);
  /// Tallies saved by the last run (call after every load()).
  std::vector<std::string> restore(const std::map<std::string, std::string>& state) {
    return matcher_.restore(state);
  }
  /// Drops an expired plan (on_tick listed it); returns the state changes that forget it.
  std::vector<StateChange> remove(const std::string& plan_id);

  /// ScanDecorator: the dock session's decoration, plus dg:planId / dg:planCheck, the tally
  /// change, and misrouted / unexpected_unit / over_shipment / wrong_door exceptions.
  ScanDecoration decorate(const ScanRead& read, const Identification& id) override;
  /// VisitObserver: arrivals and the comparison at the end of a session.
  std::vector<StateChange> on_session_opened(const std::string& door,
                                             std::int64_t time_ms) override;
  VisitOutcome on_session_closed(const std::string& door, const DockSession& session,
                                 std::int64_t time_ms) override;

  /// Every second: late_arrival, late_departure, window-ended visits (short_shipment ...).
  /// Expired plans go to `expired` (the runtime deletes them and calls remove()).
  std::vector<PipelineOutput> on_tick(std::int64_t now_ms, std::vector<std::string>& expired);

  /// Per door (see PlanMatcher::status_json) plus "plans" (count) and "units".
  [[nodiscard]] nlohmann::json status_json(std::int64_t now_ms) const;
  /// Grows whenever plans or tallies change: callers re-read status_json() only then.
  [[nodiscard]] std::uint64_t changes() const { return changes_; }
  [[nodiscard]] const PlanMatcher& matcher() const { return matcher_; }

 private:
  PipelineOutput exception(const std::string& type, std::string reason, const std::string& door,
                           const std::string& driver_id, std::int64_t time_ms,
                           VisitDeviation details, const std::string& related_event_id);
  [[nodiscard]] std::vector<VisitDeviation> deviations_of(const VisitCheck& v) const;

  PlanCheckSettings settings_;
  ScanDecorator* inner_;
  PlanMatcher matcher_;
  std::map<std::string, DoorInfo> doors_;
  EventIdGenerator ids_;
  std::uint64_t changes_ = 0;
};

}  // namespace dockgate::plans
