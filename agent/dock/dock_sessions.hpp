// SPDX-License-Identifier: Apache-2.0
// Dock sessions: per door, a state machine driven by debounced sensor signals (trailer
// present, door open) and by the scans at that door.
//   trailer_present rises            -> new session, "arriving" milestone
//   door_open rises / falls          -> door_opened / door_closed sensor events
//   scans while a session is open    -> carry dg:dockSessionId; a trailer ID scan (GRAI,
//                                       GIAI or a configured pattern) names the transport
//   trailer gone and door closed     -> session closes: "departing" (outbound) or
//                                       "unloading_complete" (inbound)
// Local checks become exception events: door_open_without_trailer, door_open_too_long,
// scan_without_session, empty_departure. Pure: no I/O and no clock of its own (times come
// with the signals, scans and ticks), so every rule is unit-testable. Io thread only.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "agent/core/event_id.hpp"
#include "agent/core/scan_pipeline.hpp"
#include "agent/dock/dock_events.hpp"
#include "agent/dock/dock_options.hpp"
#include "agent/dock/door_state.hpp"
#include "agent/dock/visit_observer.hpp"
#include "agent/dock_signal.hpp"

namespace dockgate {

struct DockSettings {
  std::string site_id;
  std::string site_gln;
  std::string gateway_id;
  std::vector<DoorInfo> doors;
  /// Doors with a dock-sensor driver: only there a scan without a session is flagged.
  std::set<std::string> sensor_doors;
  DockSessionOptions options;
  std::function<int(std::int64_t)> tz_offset_minutes = [](std::int64_t) { return 0; };
  std::uint64_t id_seed = 0;  ///< EventIdGenerator seed (0 = random)
};

class DockSessions final : public ScanDecorator {
 public:
  /// Keys in the outbox state table: kStatePrefix + door id.
  static constexpr const char* kStatePrefix = "dock_session/";

  explicit DockSessions(DockSettings settings);

  /// Loads door states saved by an earlier run (the outbox OpenReport::state; other keys
  /// are ignored). Returns one message per entry that could not be used (damaged JSON,
  /// a door no longer in the config); those entries are skipped, never fatal.
  std::vector<std::string> restore(const std::map<std::string, std::string>& state);

  /// State-only outputs for every door whose saved state had no id epoch yet (new door,
  /// damaged or pre-epoch state). The runtime stores them at start, before any signal, so
  /// the epoch is durable before the first derived eventID uses it. Call after restore().
  std::vector<PipelineOutput> bootstrap_state();

  /// A debounced sensor change. Returns the outputs to store, in order; the last one
  /// carries the door's new state. Repeats of the known value return nothing.
  std::vector<PipelineOutput> on_signal(const DockSignal& signal);

  /// Adds the session id (and the trailer id) to an accepted scan's event, records its EPCs
  /// in the session, and flags scan_without_session at sensor doors (ScanDecorator).
  ScanDecoration decorate(const ScanRead& read, const Identification& id) override;

  /// Plans are checked at arrival and at the end of every session from now on (nullptr =
  /// none). Not owned.
  void set_visit_observer(VisitObserver* observer) { visits_ = observer; }

  /// Periodic check (the runtime calls it every second): door_open_too_long.
  std::vector<PipelineOutput> on_tick(std::int64_t now_ms);

  /// {"door-07": {"trailerPresent":true, "doorOpen":false, "dockSessionId":"urn:uuid:..",
  /// "sessionOpenedAt":"...", "handlingUnits":3, "transportId":"..."}} for the status topic.
  [[nodiscard]] nlohmann::json status_json() const;

  /// Every door's state as the outbox keeps it (kStatePrefix + door -> JSON): hands the
  /// sessions over to a new instance after a config reload (see restore()).
  [[nodiscard]] std::map<std::string, std::string> saved_state() const;

  /// Doors with a session (trailer visit) open right now.
  [[nodiscard]] std::size_t open_sessions() const {
    std::size_t n = 0;
    for (const auto& [id, door] : doors_) n += door.state.session ? 1 : 0;
    return n;
  }
  /// Grows whenever a door's state changes: callers re-read status_json() only then.
  [[nodiscard]] std::uint64_t changes() const { return changes_; }

  /// The door's state, or nullptr when nothing is known about it (for tests and status).
  [[nodiscard]] const DoorState* door(const std::string& id) const;

 private:
  struct Door {
    DoorInfo info;
    DoorState state;
  };

  /// Starts a transition of `door`: the outputs it makes get eventIDs derived from
  /// (id epoch, door, transition number, output number). end_transition(false) undoes it
  /// when nothing happened.
  void begin_transition(Door& door);
  void assign_epoch(Door& door);
  void end_transition(Door& door, bool happened);
  /// The next eventID: derived inside a transition, a UUIDv7 otherwise (scans).
  std::string next_id(const Door& door, std::int64_t time_ms);
  dock::DockEventContext context(const Door& door, std::int64_t time_ms);
  static PipelineOutput event(const dock::DockEventContext& ctx, std::string open_json);
  PipelineOutput exception(const Door& door, std::int64_t time_ms, const std::string& type,
                           std::string reason, const std::string& related_event_id = "",
                           const VisitDeviation* details = nullptr);
  StateChange state_change(const Door& door);
  void close_session(Door& door, std::int64_t time_ms, std::vector<PipelineOutput>& out);
  void on_trailer(Door& door, const DockSignal& signal, std::vector<PipelineOutput>& out);
  void on_door(Door& door, const DockSignal& signal, std::vector<PipelineOutput>& out);
  [[nodiscard]] bool is_transport(const Identification& id) const;

  DockSettings settings_;
  std::map<std::string, Door> doors_;
  EventIdGenerator ids_;
  std::mt19937_64 epoch_rng_;
  const Door* in_transition_ = nullptr;   ///< the door of the transition being built
  std::uint32_t transition_outputs_ = 0;  ///< ids handed out in it so far
  std::uint64_t changes_ = 0;
  VisitObserver* visits_ = nullptr;
};

}  // namespace dockgate
