// SPDX-License-Identifier: Apache-2.0
// The metrics endpoint's side of the runtime: binding it (and retrying while the address is
// taken), gathering one MetricsSnapshot on the io thread, and the process figures.
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/clock.hpp"
#include "agent/runtime/agent_runtime.hpp"
#include "agent/version.hpp"

namespace dockgate::runtime {
namespace {

/// /proc/self figures (Linux proc(5)); zeros where a file cannot be read.
ProcessMetrics read_process_metrics(std::int64_t now_ms) {
  ProcessMetrics p;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold spaces.
  const auto close = stat.rfind(')');
  if (close != std::string::npos && ticks > 0) {
    std::istringstream in(stat.substr(close + 2));
    std::vector<std::string> f;
    for (std::string w; in >> w;) f.push_back(w);
    // f[0] is field 3 (state): utime = field 14, stime = 15, starttime = 22, vsize = 23.
    if (f.size() > 20) {
      p.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
      const double started_after_boot = std::stod(f[19]) / ticks;
      std::ifstream uptime_file("/proc/uptime");
      double uptime = 0;
      if (uptime_file >> uptime) {
        p.start_time_seconds = static_cast<double>(now_ms) / 1000.0 - (uptime - started_after_boot);
      }
      p.virtual_bytes = std::stoull(f[20]);
    }
  }
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  if (statm >> size_pages >> resident_pages) {
    p.resident_bytes = static_cast<std::uint64_t>(static_cast<double>(resident_pages) * page);
  }
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++p.open_fds;
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) p.max_fds = limit.rlim_cur;
  return p;
}

}  // namespace

void add_publisher_totals(uplink::PublisherState& sum, const uplink::PublisherState& more) {
  sum.connects += more.connects;
  sum.published_messages += more.published_messages;
  sum.acked_rows += more.acked_rows;
  sum.acked_messages += more.acked_messages;
  sum.publish_rejected_total += more.publish_rejected_total;
  const auto add = [](auto& into, const auto& from) {
    for (std::size_t i = 0; i < into.counts.size(); ++i) into.counts[i] += from.counts[i];
    into.sum += from.sum;
    into.count += from.count;
  };
  add(sum.publish_latency, more.publish_latency);
  add(sum.batch_records, more.batch_records);
}

void AgentRuntime::start_metrics() {
  metrics_http_.reset();
  if (cfg_.metrics.listen.empty() || stopping_) return;
  ListenAddress address;
  const std::string bad = parse_listen_address(cfg_.metrics.listen, address);
  if (!bad.empty()) {  // validated with the config; kept as a guard
    spdlog::error("metrics.listen '{}': {}", cfg_.metrics.listen, bad);
    return;
  }
  try {
    metrics_http_ = std::make_unique<MetricsHttp>(
        io_, address, [this] { return render_metrics(metrics_snapshot()); });
    spdlog::info("metrics: serving http://{}/metrics", cfg_.metrics.listen);
    metrics_error_.clear();
  } catch (const std::system_error& e) {
    // Scans matter more than the scrape: the daemon runs on and retries every 10 s.
    if (metrics_error_ != e.what()) {
      spdlog::error("{}; the daemon runs without it and tries again every 10 s", e.what());
    }
    metrics_error_ = e.what();
  }
}

void AgentRuntime::count_driver(const std::string& driver_id, bool error) {
  auto& c = driver_counts_[driver_id];
  ++(error ? c.read_errors : c.reads);
}

MetricsSnapshot AgentRuntime::metrics_snapshot() {
  MetricsSnapshot s;
  s.version = kVersion;
  s.site = cfg_.site.id;
  s.gateway = cfg_.gateway.id;
  s.now_ms = now_utc_ms();
  s.process = read_process_metrics(s.now_ms);
  const PipelineCounters& c = pipeline_.counters();
  s.reads = pipeline_reads_base_ + c.reads;
  s.events = pipeline_events_base_ + c.events;
  s.invalid = pipeline_invalid_base_ + c.invalid;
  s.suppressed_repeats = pipeline_suppressed_base_ + pipeline_.dedup().suppressed_total();
  s.dock_sessions_open = dock_.open_sessions();
  s.committed_events = committed_events_.load(std::memory_order_relaxed);
  s.committed_exceptions = committed_exceptions_.load(std::memory_order_relaxed);
  s.outbox = outbox_->stats();
  s.publisher = publisher_->state();
  add_publisher_totals(s.publisher, publisher_totals_);
  std::lock_guard lock(status_mutex_);
  for (const auto& d : cfg_.drivers) {
    if (!d.enabled) continue;
    DriverMetrics m;
    m.id = d.id;
    m.type = d.type;
    m.location = d.location;
    if (const auto it = driver_counts_.find(d.id); it != driver_counts_.end()) {
      m.reads = it->second.reads;
      m.read_errors = it->second.read_errors;
    }
    if (const auto it = devices_.find(d.id); it != devices_.end() && it->second.since_ms != 0) {
      m.up = it->second.up;
    }
    s.drivers.push_back(std::move(m));
  }
  return s;
}

}  // namespace dockgate::runtime
