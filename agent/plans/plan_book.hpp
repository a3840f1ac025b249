// SPDX-License-Identifier: Apache-2.0
// The plans a gateway holds, indexed for the check at the door: which plans expect an SSCC,
// which expect a GTIN, which may use a door. Sized for 500 plans x 1,000 units: SSCCs are
// kept as 64-bit integers (18 digits < 2^63) in one sorted index, so a lookup is a binary
// search and the whole index costs 16 bytes per unit. Pure: no I/O, no clock. Io thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/plans/plan.hpp"

namespace dockgate::plans {

/// An SSCC (18 digits, GS1 General Specifications 3.3.1, AI 00) as an integer; nullopt when
/// `sscc` is not 18 digits.
std::optional<std::uint64_t> sscc_number(std::string_view sscc);
/// The 18-digit text of an SSCC number (leading zeros kept).
std::string sscc_text(std::uint64_t number);

/// One held plan: the plan as accepted plus its compact unit list.
struct HeldPlan {
  DockPlan plan;                     ///< plan.ssccs is emptied: see `ssccs`
  std::vector<std::uint64_t> ssccs;  ///< sorted; the position is the unit's index in the tally
  std::string source;                ///< "mqtt" or "file:<name>"
  std::int64_t received_ms = 0;      ///< UTC ms
};

class PlanBook {
 public:
  enum class Put {
    added,     ///< a new plan
    replaced,  ///< a higher revision replaced the held one
    stale,     ///< revision not higher than the held one: ignored
  };

  /// Adds or replaces (higher revision only) a plan. O(units of all plans) for the index.
  Put put(DockPlan plan, std::string source, std::int64_t received_ms);
  /// Removes a plan when `revision` is at least the held one (a withdrawal published before
  /// a newer revision must not remove it). Returns true when it was removed.
  bool cancel(const std::string& plan_id, std::uint32_t revision);
  /// Removes a plan whatever its revision (expired, completed and cleaned up).
  void erase(const std::string& plan_id);

  [[nodiscard]] const HeldPlan* find(const std::string& plan_id) const;
  /// Plans expecting this SSCC (usually one).
  [[nodiscard]] std::vector<const HeldPlan*> with_sscc(std::uint64_t sscc) const;
  /// Plans with a line for this GTIN (14 digits).
  [[nodiscard]] std::vector<const HeldPlan*> with_gtin(const std::string& gtin) const;
  /// Plans listing `door` among their doors.
  [[nodiscard]] std::vector<const HeldPlan*> at_door(const std::string& door) const;
  [[nodiscard]] const std::map<std::string, HeldPlan>& all() const { return plans_; }
  [[nodiscard]] std::size_t size() const { return plans_.size(); }
  /// Units (SSCCs + lines) of all held plans.
  [[nodiscard]] std::size_t unit_count() const { return sscc_index_.size() + gtin_count_; }

 private:
  void index_add(const HeldPlan& held);
  void index_remove(const HeldPlan& held);
  void sort_index() const;

  std::map<std::string, HeldPlan> plans_;
  struct SsccEntry {
    std::uint64_t sscc = 0;
    const HeldPlan* plan = nullptr;  // std::map nodes do not move
  };
  // Sorted by sscc on the first lookup after a change: loading 500 plans at start sorts once.
  mutable std::vector<SsccEntry> sscc_index_;
  mutable bool unsorted_ = false;
  std::map<std::string, std::vector<const HeldPlan*>> by_gtin_;
  std::map<std::string, std::vector<const HeldPlan*>> by_door_;
  std::size_t gtin_count_ = 0;
};

}  // namespace dockgate::plans
