// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/cli_commands.hpp"

#include <spdlog/spdlog.h>

#include <iomanip>
#include <nlohmann/json.hpp>

#include "agent/clock.hpp"
#include "agent/core/time_format.hpp"
#include "agent/runtime/agent_runtime.hpp"
#include "agent/runtime/logging.hpp"
#include "buffer/outbox.hpp"
#include "config/agent_config.hpp"

namespace dockgate::runtime {

int cmd_run(const std::string& config_path, const std::string& log_level_override) {
  config::ConfigErrors errors;
  auto cfg = config::load_agent_config(config_path, errors);
  if (!cfg) {
    spdlog::critical("invalid config {} ({} error(s)):\n{}", config_path, errors.size(),
                     errors.to_string());
    return 1;
  }
  const std::string level = log_level_override.empty() ? cfg->log.level : log_level_override;
  if (!set_log_level(level)) spdlog::warn("unknown log level '{}', using info", level);
  try {
    AgentRuntime agent(std::move(*cfg));
    if (!log_level_override.empty()) agent.pin_log_level();
    return agent.run();
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}

int cmd_check_config(const std::string& config_path, std::ostream& out, std::ostream& err) {
  config::ConfigErrors errors;
  auto cfg = config::load_agent_config(config_path, errors);
  if (!cfg) {
    err << errors.to_string();
    err << config_path << ": " << errors.size() << " error(s)\n";
    return 1;
  }
  out << config_path << ": OK (" << cfg->locations.size() << " location(s), " << cfg->drivers.size()
      << " driver(s), buffer " << cfg->buffer.path << ", broker " << cfg->mqtt.uri << ")\n";
  return 0;
}

namespace {

// The saved door states as {"door-07": {trailerPresent, doorOpen, dockSessionId, ...}}.
nlohmann::ordered_json dock_sessions_json(const std::map<std::string, std::string>& rows) {
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  const std::string prefix = DockSessions::kStatePrefix;
  for (const auto& [key, value] : rows) {
    std::string error;
    auto st = door_state_from_json(value, error);
    if (!st) continue;
    nlohmann::ordered_json d;
    d["trailerPresent"] = st->trailer_present ? nlohmann::ordered_json(*st->trailer_present)
                                              : nlohmann::ordered_json(nullptr);
    d["doorOpen"] =
        st->door_open ? nlohmann::ordered_json(*st->door_open) : nlohmann::ordered_json(nullptr);
    if (st->session) {
      d["dockSessionId"] = st->session->id;
      d["sessionOpenedAt"] = format_utc_ms(st->session->opened_ms);
      d["handlingUnits"] = st->session->handling_units;
      if (!st->session->transport_id.empty()) d["transportId"] = st->session->transport_id;
    }
    all[key.substr(prefix.size())] = std::move(d);
  }
  return all;
}

}  // namespace

int cmd_status(const std::string& config_path, bool json, std::ostream& out, std::ostream& err) {
  config::ConfigErrors errors;
  auto cfg = config::load_agent_config(config_path, errors);
  if (!cfg) {
    err << errors.to_string();
    return 1;
  }
  buffer::OutboxStats st;
  std::map<std::string, std::string> doors;
  // The plans as the daemon keeps them: the plans table and their tallies in the state.
  plans::PlanChecks plan_checks(plan_check_settings(*cfg), nullptr);
  try {
    buffer::OutboxReader reader(cfg->buffer.path);
    st = reader.stats();
    doors = reader.state(DockSessions::kStatePrefix);
    for (const auto& row : reader.plans()) {
      plan_checks.load(row.document, row.plan_id, row.source, row.received_ms);
    }
    plan_checks.restore(reader.state("plan_"));
  } catch (const std::exception& e) {
    err << "cannot read buffer " << cfg->buffer.path << ": " << e.what() << "\n";
    return 1;
  }
  const std::int64_t now = now_utc_ms();
  nlohmann::ordered_json j;
  j["buffer"] = cfg->buffer.path;
  j["backlogCount"] = st.pending_count;
  j["backlogBytes"] = st.pending_bytes;
  j["oldestUnsentAgeMs"] = st.oldest_created_ms
                               ? nlohmann::ordered_json(now - *st.oldest_created_ms)
                               : nlohmann::ordered_json(nullptr);
  j["lastPublish"] = st.last_publish_ms ? nlohmann::ordered_json(format_utc_ms(*st.last_publish_ms))
                                        : nlohmann::ordered_json(nullptr);
  j["lastGatewaySeq"] = st.last_seq;
  j["ackedTotal"] = st.acked_total;
  j["rejectedTotal"] = st.rejected_total;
  j["retainedCount"] = st.retained_count;  // delivered, kept for replay
  j["retainedBytes"] = st.retained_bytes;
  j["fileBytes"] = st.file_bytes;
  j["dockSessions"] = dock_sessions_json(doors);
  j["plans"] = plan_checks.status_json(now);
  if (json) {
    out << j.dump(2) << "\n";
    return 0;
  }
  out << "buffer:             " << cfg->buffer.path << " (" << st.file_bytes << " bytes on disk)\n";
  out << "backlog:            " << st.pending_count << " event(s), " << st.pending_bytes
      << " bytes\n";
  out << "oldest unsent age:  "
      << (st.oldest_created_ms ? std::to_string((now - *st.oldest_created_ms) / 1000) + " s"
                               : std::string("-"))
      << "\n";
  out << "last publish:       "
      << (st.last_publish_ms ? format_utc_ms(*st.last_publish_ms) : std::string("never")) << "\n";
  out << "last gatewaySeq:    " << st.last_seq << "\n";
  out << "acked total:        " << st.acked_total << "\n";
  out << "rejected (full):    " << st.rejected_total << "\n";
  out << "kept for replay:    " << st.retained_count << " record(s), " << st.retained_bytes
      << " bytes\n";
  for (const auto& [door, d] : j["dockSessions"].items()) {
    out << "dock " << door << ":" << std::string(door.size() < 13 ? 13 - door.size() : 1, ' ')
        << "trailer "
        << (d["trailerPresent"].is_boolean() && d["trailerPresent"].get<bool>() ? "present"
                                                                                : "absent")
        << ", door "
        << (d["doorOpen"].is_boolean() && d["doorOpen"].get<bool>() ? "open" : "closed");
    if (d.contains("dockSessionId")) {
      out << ", session " << d["dockSessionId"].get<std::string>() << " since "
          << d["sessionOpenedAt"].get<std::string>() << ", "
          << d["handlingUnits"].get<std::uint64_t>() << " handling unit(s)";
    }
    out << "\n";
  }
  out << "plans:              " << j["plans"]["plans"].get<std::uint64_t>() << " plan(s), "
      << j["plans"]["units"].get<std::uint64_t>() << " unit(s)\n";
  for (const auto& [door, list] : j["plans"]["doors"].items()) {
    for (const auto& p : list) {
      out << "plan at " << door << ":" << std::string(door.size() < 10 ? 10 - door.size() : 1, ' ')
          << p["planId"].get<std::string>() << " (" << p["direction"].get<std::string>()
          << (p["current"].get<bool>() ? ", current" : "")
          << "): " << p["read"].get<std::uint64_t>() << " of " << p["expected"].get<std::uint64_t>()
          << " read, " << p["missing"].get<std::uint64_t>() << " missing, "
          << p["deviations"].get<std::uint64_t>() << " deviation(s)";
      if (p.contains("finished")) out << ", finished " << p["finished"].get<std::string>();
      out << "\n";
    }
  }
  return 0;
}

int cmd_config_reference(std::ostream& out) {
  for (const auto& k : config::agent_config_reference()) {
    out << k.path << "  (" << k.type;
    if (k.required) out << ", required";
    if (!k.default_value.empty()) out << ", default " << k.default_value;
    out << ")\n    " << k.help << "\n";
  }
  return 0;
}

}  // namespace dockgate::runtime
