// SPDX-License-Identifier: Apache-2.0
// What the dock-session state machine asks the plan checks (agent/plans/) when a visit starts
// and ends. An interface so agent/dock/ does not depend on plans: without plans nothing is
// asked and sessions behave as before.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agent/core/scan_pipeline.hpp"
#include "agent/dock/door_state.hpp"

namespace dockgate {

/// A deviation found when a visit ends, raised as an exception event at the door (after the
/// closing milestone, which it names in relatedEventId).
struct VisitDeviation {
  std::string type;                                           ///< short_shipment | over_shipment
  std::string reason;                                         ///< for a dock supervisor
  std::vector<std::pair<std::string, std::string>> fields;    ///< e.g. planId
  std::vector<std::pair<std::string, std::int64_t>> numbers;  ///< e.g. expected
  std::vector<std::pair<std::string, std::vector<std::string>>> lists;  ///< e.g. missingSsccs
};

/// What a visit's end adds to the closing milestone and after it.
struct VisitOutcome {
  /// Fields merged into the departing / unloading_complete event (dg:planId,
  /// dg:expectedUnits, dg:actualUnits ...). An object, possibly empty.
  nlohmann::json event_fields = nlohmann::json::object();
  std::vector<VisitDeviation> deviations;
  std::vector<StateChange> state;  ///< committed with the closing milestone
};

class VisitObserver {
 public:
  virtual ~VisitObserver() = default;
  /// A session opened at `door` at `time_ms` (UTC ms): state changes to commit with the
  /// arriving milestone.
  virtual std::vector<StateChange> on_session_opened(const std::string& door,
                                                     std::int64_t time_ms) = 0;
  /// The session at `door` closed at `time_ms`.
  virtual VisitOutcome on_session_closed(const std::string& door, const DockSession& session,
                                         std::int64_t time_ms) = 0;
};

}  // namespace dockgate
