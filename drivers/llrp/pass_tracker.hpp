// SPDX-License-Identifier: Apache-2.0
// Reads -> passes: turns the many TagSightings of one LLRP reader into one pass per tag per
// dock door. Pure: no I/O, no clock (times are passed in), io thread only. Rules (README.md
// "From reads to passes"):
// 1. A pass is the sightings of one EPC at one door less than pass_gap apart (receive time).
//    It ends when unseen for pass_gap (advance) or at max_pass after its start; event time =
//    first sighting. Direction only at a door with outside and inside antennas that both saw
//    the tag: outside first -> inbound, inside first -> outbound.
// 2. Staged tags: a door remembers an EPC it emitted until unseen there for stage_hold. A
//    pass of a remembered EPC without a direction is not emitted (counted `staged`).
// 3. Antennas of two doors that see one tag give one pass per door.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "drivers/llrp/pass.hpp"
#include "drivers/llrp/pass_settings.hpp"
#include "drivers/llrp/tag_sighting.hpp"

namespace dockgate::drivers::llrp {

class PassTracker {
 public:
  /// Throws std::invalid_argument with validate()'s text when `settings` is not usable.
  explicit PassTracker(PassSettings settings);
  ~PassTracker();
  PassTracker(const PassTracker&) = delete;
  PassTracker& operator=(const PassTracker&) = delete;

  /// One TagReportData received at `received_ms` (UTC ms, our clock). Gaps are measured on
  /// receive times (reader clocks drift); reader timestamps only give first/last seen.
  void on_sighting(const TagSighting& sighting, std::int64_t received_ms);

  /// Ends passes whose gap or max_pass has run out by `now_ms`; returns them (with passes
  /// ended early by eviction) in first-seen order. Staged and filtered ones are counted only.
  std::vector<Pass> advance(std::int64_t now_ms);

  /// At stop: ends every pass in progress under the same rules, so nothing read is lost.
  std::vector<Pass> flush();

  /// UTC ms at which advance() next has work; INT64_MAX when idle. Arm one timer on it.
  [[nodiscard]] std::int64_t next_deadline() const;

  [[nodiscard]] PassCounters counters() const;
  /// (door, EPC) entries held: passes in progress plus remembered EPCs (<= max_tags).
  [[nodiscard]] std::size_t tracked() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace dockgate::drivers::llrp
