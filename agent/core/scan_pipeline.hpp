// SPDX-License-Identifier: Apache-2.0
// The pure core: a read in, a milestone (or exception, or nothing) out. No I/O, no clocks
// of its own (times come with the reads), so every rule is unit-testable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/core/dedup_filter.hpp"
#include "agent/core/event_id.hpp"
#include "agent/core/exception_limiter.hpp"
#include "agent/core/scan_classifier.hpp"
#include "agent/core/site_patterns.hpp"
#include "agent/epcis/exception_event.hpp"
#include "agent/epcis/object_event.hpp"
#include "agent/scan_read.hpp"

namespace dockgate {

/// A dock door as the core needs it.
struct DoorInfo {
  std::string id;
  epcis::Direction direction = epcis::Direction::inbound;
  std::string gln_extension;  ///< AI 254
};

struct PipelineSettings {
  std::string site_id;
  std::string site_gln;
  std::string gateway_id;
  std::vector<DoorInfo> doors;
  std::vector<SitePattern> patterns;
  std::chrono::milliseconds dedup_window{5'000};
  /// eventTimeZoneOffset in minutes for a UTC ms instant (fixed or the local zone).
  std::function<int(std::int64_t)> tz_offset_minutes = [](std::int64_t) { return 0; };
  std::uint64_t id_seed = 0;  ///< EventIdGenerator seed (0 = random; tests fix it)
  /// A door label scanned by a scanner moves that scanner's later reads to the door for
  /// this long after the label (0 = until the next door label or a restart).
  std::chrono::milliseconds location_label_timeout{30 * 60'000};
};

/// A change to the agent's durable key/value state (the outbox `state` table), committed in
/// the same transaction as the output that carries it. nullopt value = delete the key.
struct StateChange {
  std::string key;
  std::optional<std::string> value;  ///< JSON text
  /// With value nullopt: delete every key that starts with `key` (a finished plan's tally).
  bool prefix = false;
};

/// What to store: an EPCIS event or an exception, as JSON text missing its closing brace
/// (the outbox appends the sequence number under `seq_key` at commit).
struct PipelineOutput {
  enum class Kind { event, exception };
  Kind kind = Kind::event;
  std::string open_json;
  const char* seq_key = "dg:gatewaySeq";
  std::int64_t time_ms = 0;  ///< UTC ms of the read
  std::string location_id;
  std::vector<StateChange> state;  ///< committed atomically with this output
  /// Outputs to store right after this one, in order (e.g. a scan_without_session exception
  /// that refers to this event).
  std::vector<PipelineOutput> followups;
  std::string event_id;          ///< eventID of the event / exception, for cross references
  std::string exception_type;    ///< Kind::exception: its `type`, e.g. "invalid_barcode"
  std::string exception_reason;  ///< Kind::exception: its `reason`
  /// Signal-tower outputs to pulse at location_id once this output is committed: green for
  /// an accepted scan, red for an exception at the door (plus buzzer for safety ones).
  std::vector<FeedbackSignal> feedback;
};

/// What the dock-session layer adds to an accepted scan (see agent/dock/dock_sessions.hpp).
struct ScanDecoration {
  std::string biz_step;   ///< "" = receiving/loading by door direction
  std::string milestone;  ///< "" = warehouse_inbound/outbound
  std::vector<std::pair<std::string, std::string>> extensions;  ///< dg: string fields
  std::vector<StateChange> state;
  /// Built once the event id is known: outputs to store after the scan's event.
  std::function<std::vector<PipelineOutput>(const std::string& event_id)> followups;
  /// Replaces the scan's own signal-tower feedback (green) when set: a misrouted pallet gets
  /// no green, only the red of its exception.
  std::optional<std::vector<FeedbackSignal>> feedback;
};

/// The direction a read travels: the door's, or for an RFID pass at a `both` door the pass's
/// own (TagFacts::travel), else `both`.
epcis::Direction travel_direction(epcis::Direction door, const std::optional<TagFacts>& tag);

/// Called for every accepted scan before its event is rendered. On the io thread.
class ScanDecorator {
 public:
  virtual ~ScanDecorator() = default;
  virtual ScanDecoration decorate(const ScanRead& read, const Identification& id) = 0;
};

/// Running totals, for the status topic and `dockgate status`.
struct PipelineCounters {
  std::uint64_t reads = 0;
  std::uint64_t events = 0;
  std::uint64_t invalid = 0;
  std::uint64_t read_errors = 0;
  std::uint64_t location_scans = 0;  ///< door labels that moved a scanner to a door
};

/// Where a roaming scanner is, after it scanned a door label.
struct ScannerPlace {
  std::string location_id;    ///< the door whose label it scanned
  std::int64_t since_ms = 0;  ///< time of that scan (UTC ms)
};

class ScanPipeline {
 public:
  /// Throws std::regex_error for a bad pattern (config validation reports it earlier).
  explicit ScanPipeline(PipelineSettings settings);

  /// A scan: nullopt when suppressed as a repeat or when it is a door label, otherwise an
  /// ObjectEvent or an exception (invalid_barcode, no_object_identifier, invalid_epc,
  /// unknown_location_label; never dropped).
  /// A door label (GS1 AI 414 = the site GLN + 254 = a door's gln_extension) moves the
  /// scanner (`driver_id`) to that door: its later reads count there until another door
  /// label or `location_label_timeout` after the label. RFID passes keep their antenna's door.
  std::optional<PipelineOutput> on_read(const ScanRead& read);
  /// Where `driver_id` was moved by a door label, if it was (and the move has not expired
  /// at `now_ms`).
  [[nodiscard]] std::optional<ScannerPlace> scanner_place(const std::string& driver_id,
                                                          std::int64_t now_ms) const;
  /// Dock sessions decorate accepted scans from now on (nullptr = none). Not owned.
  void set_decorator(ScanDecorator* decorator) { decorator_ = decorator; }
  /// A framing error from a driver: an exception of type `error.kind`.
  PipelineOutput on_read_error(const ReadError& error);
  /// A device state change: device_up / device_down exception.
  PipelineOutput on_device_status(const DeviceStatus& status);
  /// A rate-limit window that held exceptions back: one `exceptions_suppressed` exception at
  /// the window's end with suppressedType, suppressedCount, publishedCount, windowStart and
  /// rawDataBase64 / sampleReason of the first suppressed one.
  PipelineOutput on_suppressed(const SuppressedSummary& summary);
  /// A problem of the gateway itself, at no door (buffer_corrupt, buffer_full): an exception
  /// of `type` with driverId "buffer", the given string and integer fields, no feedback.
  PipelineOutput on_gateway_problem(
      std::string type, std::string reason, std::int64_t time_ms,
      std::vector<std::pair<std::string, std::string>> fields,
      const std::vector<std::pair<std::string, std::uint64_t>>& counts);

  [[nodiscard]] const PipelineCounters& counters() const { return counters_; }
  [[nodiscard]] const DedupFilter& dedup() const { return dedup_; }

 private:
  PipelineOutput exception(std::string type, std::string reason, const std::string& driver_id,
                           const std::string& location_id, std::int64_t time_ms,
                           const std::string* symbology, const std::string* raw,
                           const epcis::ExceptionInfo* extras = nullptr);

  std::optional<PipelineOutput> on_location_label(const ScanRead& read, const LocationLabel& label);

  PipelineSettings settings_;
  std::map<std::string, DoorInfo> doors_;
  std::map<std::string, ScannerPlace> scanner_places_;  ///< by driver id
  SitePatterns patterns_;
  DedupFilter dedup_;
  EventIdGenerator ids_;
  PipelineCounters counters_;
  ScanDecorator* decorator_ = nullptr;
};

}  // namespace dockgate
