// SPDX-License-Identifier: Apache-2.0
// `plans:` settings: where plans come from and how deviations are handled. Read by
// config/plan_sections.cpp (keys, defaults and help text there).
#pragma once

#include <chrono>
#include <string>

namespace dockgate::plans {

struct PlanOptions {
  /// Directory of plan files (*.json, one plan each, named <planId>.json); "" = none.
  std::string dir;
  /// A unit in no plan read at a door that has a plan: alarm (unexpected_unit exception,
  /// red) or record_only (the milestone says dg:planCheck "unexpected_unit", no exception).
  bool unexpected_alarm = true;
  /// late_arrival / late_departure once the planned time is this far behind.
  std::chrono::milliseconds late_grace{std::chrono::minutes(15)};
  /// A plan with planned times is current at its doors from arrival - margin to
  /// departure + margin; plans without times are current until they finish.
  std::chrono::milliseconds window_margin{std::chrono::hours(2)};
  /// A finished plan (visit checked) or one whose departure is this long past is dropped.
  std::chrono::milliseconds keep_finished{std::chrono::hours(24)};
};

}  // namespace dockgate::plans
