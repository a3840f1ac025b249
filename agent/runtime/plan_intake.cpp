// SPDX-License-Identifier: Apache-2.0
// Plans in: from the outbox at start, from MQTT (retained, {prefix}/{site}/{gateway}/plans/+)
// and from plans.dir. An accepted plan is stored in the plans table before it counts for the
// next restart; a withdrawal deletes it with its tally; a bad plan becomes a plan_rejected
// exception (once per distinct document: a retained plan is re-delivered at every reconnect).
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <functional>

#include "agent/clock.hpp"
#include "agent/runtime/agent_runtime.hpp"

namespace dockgate::runtime {

void AgentRuntime::load_stored_plans(const buffer::OpenReport& report) {
  for (const auto& row : report.plans) {
    const std::string problem = plans_.load(row.document, row.plan_id, row.source, row.received_ms);
    if (!problem.empty()) spdlog::warn("{}; it stays stored but is not checked", problem);
  }
  for (const auto& problem : plans_.restore(report.state)) spdlog::warn("{}", problem);
  if (!report.plans.empty()) {
    spdlog::info("{} plan(s) with {} unit(s) loaded from the buffer",
                 plans_.matcher().book().size(), plans_.matcher().book().unit_count());
  }
}

void AgentRuntime::on_plan_message(uplink::InboundMessage message) {
  // Paho's thread: only hand over. After shutdown the io_context no longer runs it.
  boost::asio::post(io_, [this, m = std::move(message)] {
    if (stopping_) return;
    const auto slash = m.topic.find_last_of('/');
    const std::string plan_id = slash == std::string::npos ? m.topic : m.topic.substr(slash + 1);
    on_plan_document(m.payload, plan_id, "mqtt");
  });
}

void AgentRuntime::on_plan_document(const std::string& text, const std::string& plan_id,
                                    const std::string& source) {
  if (text.empty() && source != "mqtt") {
    // A removed file withdraws only the plan it delivered, not one from MQTT of that name.
    const plans::HeldPlan* held = plans_.matcher().book().find(plan_id);
    if (held == nullptr || held->source != source) return;
  }
  const std::int64_t now = now_utc_ms();
  plans::PlanIntake in = plans_.receive(text, plan_id, source, now);
  using Outcome = plans::PlanIntake::Outcome;
  switch (in.outcome) {
    case Outcome::accepted:
    case Outcome::replaced: {
      rejected_plan_texts_.erase(plan_id);
      spdlog::info("plan {} revision {} {} from {}", in.plan_id, in.revision,
                   in.outcome == Outcome::accepted ? "accepted" : "replaces the held one", source);
      PipelineOutput only_state;
      only_state.time_ms = now;
      store(std::move(only_state),
            {buffer::PlanWrite{in.plan_id,
                               buffer::PlanRow{in.plan_id, in.revision, source, now, text}}});
      break;
    }
    case Outcome::cancelled: {
      spdlog::info("plan {} withdrawn ({}); its tally is dropped", in.plan_id, source);
      PipelineOutput only_state;
      only_state.time_ms = now;
      only_state.state = std::move(in.state);
      store(std::move(only_state), {buffer::PlanWrite{in.plan_id, std::nullopt}});
      break;
    }
    case Outcome::stale:
      spdlog::debug("plan {} revision {} from {}: not newer than the held one; ignored", in.plan_id,
                    in.revision, source);
      break;
    case Outcome::unknown:
      spdlog::debug("withdrawal of plan {} from {}: not held; ignored", plan_id, source);
      break;
    case Outcome::rejected: {
      const std::size_t hash = std::hash<std::string>{}(text);
      auto [it, fresh] = rejected_plan_texts_.try_emplace(plan_id, hash);
      if (!fresh && it->second == hash) break;  // the same document again (a reconnect)
      it->second = hash;
      spdlog::warn("plan {} from {} rejected: {}", plan_id, source, in.error);
      store(std::move(*in.rejection));
      break;
    }
  }
  snapshot_plans_status(now);
}

void AgentRuntime::scan_plan_dir() {
  if (!plan_dir_) return;
  const std::string before = plan_dir_->problem();
  for (auto& f : plan_dir_->scan()) {
    const std::string source = "file:" + f.name;
    if (!f.error.empty()) {
      // An unreadable file is a rejected plan: the same report as for bad content.
      spdlog::warn("plan file {}: {}", f.name, f.error);
      store(plans_.plan_rejected(f.plan_id, source, f.error, now_utc_ms()));
      continue;
    }
    on_plan_document(f.removed ? std::string() : f.text, f.plan_id, source);
  }
  if (plan_dir_->problem() != before && !plan_dir_->problem().empty()) {
    spdlog::warn("{}", plan_dir_->problem());
  }
}

void AgentRuntime::plans_tick(std::int64_t now_ms) {
  std::vector<std::string> expired;
  auto alarms = plans_.on_tick(now_ms, expired);
  for (auto& a : alarms) {
    if (a.kind == PipelineOutput::Kind::exception && !a.exception_type.empty()) {
      spdlog::warn("plan alarm at {}: {}", a.location_id, a.exception_type);
    }
  }
  store_all(std::move(alarms));
  for (const auto& id : expired) {
    spdlog::info("plan {} is finished or past; dropped", id);
    PipelineOutput only_state;
    only_state.time_ms = now_ms;
    only_state.state = plans_.remove(id);
    store(std::move(only_state), {buffer::PlanWrite{id, std::nullopt}});
  }
  snapshot_plans_status(now_ms);
}

void AgentRuntime::snapshot_plans_status(std::int64_t now_ms) {
  // Whether a plan is current depends on the clock too: refresh at least every 10 s.
  if (plans_.changes() == plans_changes_seen_ && now_ms - plans_snapshot_ms_ < 10'000) return;
  plans_changes_seen_ = plans_.changes();
  plans_snapshot_ms_ = now_ms;
  std::string text =
      plans_.status_json(now_ms).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(status_mutex_);
  plans_snapshot_ = std::move(text);
}

}  // namespace dockgate::runtime
