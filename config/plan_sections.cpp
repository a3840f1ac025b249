// SPDX-License-Identifier: Apache-2.0
// plans: where dock plans come from and how deviations are handled (docs/plans.md). Keys,
// defaults and help text live here; the struct is agent/plans/plan_options.hpp.
#include <chrono>

#include "config/sections.hpp"

namespace dockgate::config::detail {

void read_plans(MapReader& root, const std::filesystem::path& base_dir, plans::PlanOptions& out) {
  using std::chrono::milliseconds;
  MapReader r = root.child(
      "plans",
      "Dock plans (expected shipments per trailer visit): every read at a door is checked "
      "against them. Plans also arrive over MQTT on {prefix}/{site}/{gateway}/plans/{planId}.");
  if (r.optional("dir", out.dir,
                 "Directory of plan files, one plan per <planId>.json (docs/plans.md); read at "
                 "start and every 5 s after. A removed file withdraws its plan. Empty: plans "
                 "come only over MQTT.")) {
    out.dir = resolve_path(base_dir, out.dir);
  }
  std::string policy = out.unexpected_alarm ? "alarm" : "record_only";
  r.choice("unexpected_unit", policy, {"alarm", "record_only"},
           "A unit in no plan read at a door with a current plan: alarm (an unexpected_unit "
           "exception and red) or record_only (the milestone says dg:planCheck "
           "unexpected_unit, nothing else).");
  out.unexpected_alarm = policy == "alarm";
  const bool grace_read =
      r.duration("late_grace", out.late_grace,
                 "late_arrival / late_departure are raised once the planned time is this far "
                 "behind (0-24h). Without dock sensors at its doors a plan's visit ends here.");
  check_range(r, "late_grace", grace_read, out.late_grace, milliseconds(0),
              milliseconds(86'400'000));
  const bool margin_read =
      r.duration("window_margin", out.window_margin,
                 "A plan with planned times is current at its doors from planned arrival minus "
                 "this to planned departure plus this (0-24h); a pallet of another current plan "
                 "at the same door is misrouted.");
  check_range(r, "window_margin", margin_read, out.window_margin, milliseconds(0),
              milliseconds(86'400'000));
  const bool keep_read =
      r.duration("keep_finished", out.keep_finished,
                 "A checked visit's plan (or one whose departure is this long past) is dropped "
                 "after this (1m-30d).");
  check_range(r, "keep_finished", keep_read, out.keep_finished, milliseconds(60'000),
              milliseconds(30LL * 86'400'000));
  r.finish();
}

}  // namespace dockgate::config::detail
