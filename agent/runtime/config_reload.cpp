// SPDX-License-Identifier: Apache-2.0
// SIGHUP (`systemctl reload dockgate`): re-read the config file and apply what changed.
// Nothing buffered is touched: un-acked events stay in the outbox and a restarted publisher
// drains them again from the lowest pending seq (same eventIDs). A file with errors is
// logged with every error and the running config stays in force.
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "agent/runtime/agent_runtime.hpp"
#include "agent/runtime/logging.hpp"
#include "agent/runtime/systemd_notify.hpp"

namespace dockgate::runtime {
namespace {

constexpr auto kDrainOnReload = std::chrono::milliseconds(1500);

std::string section(const config::AgentConfig& cfg, const std::string& name) {
  auto it = cfg.section_text.find(name);
  return it == cfg.section_text.end() ? std::string() : it->second;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::unique_ptr<uplink::Publisher> make_publisher(const config::AgentConfig& cfg,
                                                  buffer::Outbox& outbox,
                                                  uplink::StatusExtraFn status_extra,
                                                  uplink::MessageFn on_plan);

void AgentRuntime::reload() {
  const std::string file = cfg_.source_file;
  spdlog::info("SIGHUP: reloading the config from {}", file);
  config::ConfigErrors errors;
  auto next = config::load_agent_config(file, errors);
  if (!next) {
    spdlog::error("config reload: {} has {} error(s); the running config stays in force:\n{}", file,
                  errors.size(), errors.to_string());
    notify_status("config reload failed (" + std::to_string(errors.size()) +
                  " error(s)); running config unchanged");
    return;
  }
  std::vector<std::string> changed;
  for (const auto& [name, text] : next->section_text) {
    if (section(cfg_, name) != text) changed.push_back(name);
  }
  for (const auto& [name, text] : cfg_.section_text) {
    if (!next->section_text.count(name)) changed.push_back(name);
  }
  if (changed.empty()) {
    spdlog::info("config reload: no change");
    return;
  }
  auto has = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      for (const auto& c : changed) {
        if (c == n) return true;
      }
    }
    return false;
  };
  if (has({"buffer"})) {
    // Moving or re-capping the outbox under a running writer risks the very events it holds.
    spdlog::warn("config reload: buffer settings changed; they apply at the next restart");
    next->buffer = cfg_.buffer;
  }
  const bool core = has({"site", "gateway", "locations", "patterns", "dock_sessions",
                         "dedup_window", "location_label_timeout", "drivers", "plans"});
  const bool uplink = has({"uplink", "site", "gateway"});
  const bool devices = has({"drivers", "locations"});

  // Build everything that can fail before anything running is touched.
  std::optional<ScanPipeline> new_pipeline;
  std::optional<DockSessions> new_dock;
  std::unique_ptr<uplink::Publisher> new_publisher;
  try {
    if (core) {
      new_pipeline.emplace(pipeline_settings(*next));
      new_dock.emplace(dock_settings(*next));
    }
    if (uplink) {
      new_publisher = make_publisher(
          *next, *outbox_, [this] { return status_extra(); },
          [this](uplink::InboundMessage m) { on_plan_message(std::move(m)); });
    }
  } catch (const std::exception& e) {
    spdlog::error("config reload: cannot apply {}: {}; the running config stays in force", file,
                  e.what());
    notify_status(std::string("config reload failed: ") + e.what());
    return;
  }

  if (devices) stop_drivers();  // their last frames still go through the old pipeline
  if (core) {
    for (const auto& p : new_dock->restore(dock_.saved_state())) spdlog::warn("{}", p);
    dock_ = std::move(*new_dock);
    pipeline_reads_base_ += pipeline_.counters().reads;  // metrics counters never go back
    pipeline_events_base_ += pipeline_.counters().events;
    pipeline_invalid_base_ += pipeline_.counters().invalid;
    pipeline_suppressed_base_ += pipeline_.dedup().suppressed_total();
    pipeline_ = std::move(*new_pipeline);
    // The plans and their tallies stay; only the doors and `plans:` settings change.
    plans_.reconfigure(plan_check_settings(*next));
    pipeline_.set_decorator(&plans_);
    dock_.set_visit_observer(&plans_);
    plan_dir_.reset();
    if (!next->plans.dir.empty()) plan_dir_.emplace(next->plans.dir);
    plans_changes_seen_ = ~std::uint64_t{0};
    store_bootstrap_state();  // doors new in this config
    dock_changes_seen_ = ~std::uint64_t{0};
    snapshot_dock_status();
  }
  if (uplink) {
    // No listener while the publishers change hands: rows committed meanwhile are on disk
    // and the new publisher drains them from the database.
    outbox_->set_commit_listener(nullptr);
    publisher_->stop(kDrainOnReload);
    add_publisher_totals(publisher_totals_, publisher_->state());  // counters never go back
    publisher_ = std::move(new_publisher);
    listen_for_commits();
    publisher_->start();
  }
  if (has({"exception_limit"})) limiter_.set_settings(next->exception_limit);
  if (has({"log"}) && !log_level_pinned_ && !set_log_level(next->log.level)) {
    spdlog::warn("config reload: unknown log level '{}'", next->log.level);
  }
  const bool metrics = has({"metrics"});
  cfg_ = std::move(*next);
  if (metrics) start_metrics();  // closes the old endpoint first
  if (devices) {
    {
      std::lock_guard lock(status_mutex_);
      for (auto it = devices_.begin(); it != devices_.end();) {
        bool kept = false;
        for (const auto& d : cfg_.drivers) kept = kept || (d.id == it->first && d.enabled);
        it = kept ? std::next(it) : devices_.erase(it);
      }
    }
    start_drivers();
  }
  spdlog::info("config reloaded: changed {}{}{}", join(changed),
               uplink ? "; MQTT session restarted" : "", devices ? "; drivers restarted" : "");
  notify_status("config reloaded (" + join(changed) + ")");
}

}  // namespace dockgate::runtime
