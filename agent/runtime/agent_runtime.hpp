// SPDX-License-Identifier: Apache-2.0
// The daemon: one io_context running the drivers and the scan pipeline, the outbox writer
// thread, and the MQTT publisher thread. Signal handlers only post to the io_context.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/core/scan_pipeline.hpp"
#include "agent/dock/dock_sessions.hpp"
#include "agent/plans/plan_checks.hpp"
#include "agent/runtime/metrics_http.hpp"
#include "agent/runtime/metrics_text.hpp"
#include "agent/runtime/plan_dir.hpp"
#include "agent/runtime/read_flow.hpp"
#include "agent/scan_read.hpp"
#include "buffer/outbox.hpp"
#include "config/agent_config.hpp"
#include "drivers/driver.hpp"
#include "uplink/publisher.hpp"

namespace dockgate::runtime {

/// Builds the pure pipeline's settings from the validated config.
PipelineSettings pipeline_settings(const config::AgentConfig& cfg);
/// Dock-session settings: the doors, the doors with a dock-sensor driver, `dock_sessions:`.
DockSettings dock_settings(const config::AgentConfig& cfg);
/// Plan-check settings: the doors, the sensor doors, `plans:`.
plans::PlanCheckSettings plan_check_settings(const config::AgentConfig& cfg);
/// Back-pressure marks for a buffer.max_queued_records: pause at half of it (at most 4,096
/// records, ~4 MB), resume at a quarter of that.
ReadFlow::Marks read_flow_marks(std::size_t max_queued_records);
/// {prefix}/{site}/{gateway}/events|exceptions|status, and .../cmd for commands
uplink::Topics topics_for(const config::AgentConfig& cfg);
/// {prefix}/{site}/{gateway}/plans/+ : where the central system publishes plans (retained).
std::string plans_filter_for(const config::AgentConfig& cfg);

/// Adds the counters and histograms of `more` (a publisher being replaced) to `sum`.
void add_publisher_totals(uplink::PublisherState& sum, const uplink::PublisherState& more);

class AgentRuntime final : public ReadSink {
 public:
  explicit AgentRuntime(config::AgentConfig cfg);
  ~AgentRuntime() override;
  AgentRuntime(const AgentRuntime&) = delete;
  AgentRuntime& operator=(const AgentRuntime&) = delete;

  /// Opens the buffer, starts the publisher and drivers, and runs until SIGTERM/SIGINT.
  /// Returns the process exit code: 0 after a graceful stop, 1 when the buffer cannot be
  /// opened. The stop takes at most ~2 s: drivers stop, in-flight PUBACKs are awaited up
  /// to 1.5 s, queued records are committed, the offline status is published.
  int run();

  /// The log level came from the command line: a config reload leaves it alone.
  void pin_log_level() { log_level_pinned_ = true; }

  void on_read(ScanRead read) override;
  void on_read_error(ReadError error) override;
  void on_device_status(DeviceStatus status) override;
  void on_dock_signal(DockSignal signal) override;
  bool ready_for_reads(std::function<void()> resume) override;

 private:
  bool start_publisher();  // false (logged) when the options are unusable
  void start_drivers();
  void stop_drivers();
  void wait_for_signals();
  void arm_reload();
  /// SIGHUP: re-reads cfg_.source_file; applies a valid change section by section (see
  /// config_reload.cpp), keeps the running config when the file has errors. Never touches
  /// the buffer: buffer changes wait for a restart.
  void reload();
  /// Queues `out` (and its followups) for the outbox; `plan_writes` go into the same
  /// transaction.
  void store(PipelineOutput out, std::vector<buffer::PlanWrite> plan_writes = {});
  void store_all(std::vector<PipelineOutput> outs);
  /// Stores DockSessions::bootstrap_state() (after a restore, before drivers run).
  void store_bootstrap_state();
  /// Stores a driver's exception unless the rate limit holds it back for the summary.
  /// Returns true when it was stored in full.
  bool store_limited(PipelineOutput out, const std::string& driver_id, const std::string& raw);
  void pulse(const std::string& location_id, const std::vector<FeedbackSignal>& signals);
  void snapshot_dock_status();

  // Plans (plan_intake.cpp).
  /// At start: the plans table and the tallies of the last run.
  void load_stored_plans(const buffer::OpenReport& report);
  /// A plan document from MQTT (`source` "mqtt") or plans.dir ("file:<name>"); empty `text`
  /// withdraws. Stores the accepted plan, the withdrawal or a plan_rejected exception.
  void on_plan_document(const std::string& text, const std::string& plan_id,
                        const std::string& source);
  /// Called on the MQTT client thread: hands the message to the io thread.
  void on_plan_message(uplink::InboundMessage message);
  /// Every plans_dir_period: new, changed and removed files of plans.dir.
  void scan_plan_dir();
  /// Every second: plan timers, window-ended visits, expired plans.
  void plans_tick(std::int64_t now_ms);
  void snapshot_plans_status(std::int64_t now_ms);
  void schedule_housekeeping();
  /// The outbox commit listener: counts committed rows, hands them to the publisher.
  void listen_for_commits();

  // Metrics (metrics_collect.cpp).
  /// Binds metrics.listen (nothing when ""). A bind failure is logged (once per message) and
  /// retried from the housekeeping tick every 10 s; it never stops the daemon.
  void start_metrics();
  /// Every figure of the endpoint, taken on the io thread.
  MetricsSnapshot metrics_snapshot();
  /// One read (or read error) delivered by `driver_id`. On the io thread.
  void count_driver(const std::string& driver_id, bool error);
  void publish_down_after_grace(const DeviceStatus& status);
  void shutdown();
  std::string status_extra();
  /// A corrupt buffer was replaced at start: buffer_corrupt exception + bufferRecovery status.
  void report_buffer_recovery(const buffer::OpenReport& report);
  /// Rejected reads not yet announced: one buffer_full exception carrying the count (it
  /// waits in the outbox queue until the disk takes it). On the io thread.
  void report_buffer_full(std::uint64_t rejected_total);

  config::AgentConfig cfg_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::signal_set reload_signal_;
  bool log_level_pinned_ = false;
  boost::asio::steady_timer housekeeping_;
  ScanPipeline pipeline_;
  DockSessions dock_;
  plans::PlanChecks plans_;
  std::optional<PlanDir> plan_dir_;  ///< plans.dir, when configured
  std::uint64_t plan_dir_ticks_ = 0;
  /// planId -> hash of the last rejected document: a retained bad plan re-delivered at each
  /// reconnect is reported once.
  std::map<std::string, std::size_t> rejected_plan_texts_;
  ExceptionLimiter limiter_;
  ReadFlow flow_;  ///< back-pressure on stream drivers while the buffer writer catches up
  std::unique_ptr<buffer::Outbox> outbox_;
  std::unique_ptr<uplink::Publisher> publisher_;
  std::vector<std::unique_ptr<drivers::Driver>> drivers_;
  bool stopping_ = false;

  // Snapshot for the publisher thread's status message.
  struct DeviceState {
    bool up = false;
    std::string detail;
    std::int64_t since_ms = 0;
    bool down_published = false;  ///< a device_down exception went out for this outage
    std::shared_ptr<boost::asio::steady_timer> grace;  ///< pending device_down
  };
  std::mutex status_mutex_;
  std::map<std::string, DeviceState> devices_;
  PipelineCounters counters_snapshot_;
  std::uint64_t suppressed_snapshot_ = 0;
  std::map<std::string, BabblingState> babbling_snapshot_;  ///< limiter_.babbling()
  std::string dock_snapshot_ = "{}";                        ///< dock_.status_json() as text
  std::string plans_snapshot_ = "{}";                       ///< plans_.status_json() as text
  std::uint64_t plans_changes_seen_ = ~std::uint64_t{0};
  std::int64_t plans_snapshot_ms_ = 0;
  std::uint64_t dock_changes_seen_ = ~std::uint64_t{0};  ///< dock_.changes() at the snapshot
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::int64_t> last_reject_log_ms_{0};  ///< UTC ms of the last rejection log line
  std::string buffer_recovery_json_;                 ///< "" or the bufferRecovery status object
  std::uint64_t rejected_total_ = 0;                 ///< outbox rejected_total as of the last tick
  std::uint64_t rejected_reported_ = 0;  ///< rejected_total covered by buffer_full events
  std::atomic<bool> buffer_full_in_flight_{false};

  // Metrics. driver_counts_ and the bases are io-thread only; the committed counters are
  // bumped on the outbox writer thread.
  struct DriverCounts {
    std::uint64_t reads = 0;
    std::uint64_t read_errors = 0;
  };
  std::map<std::string, DriverCounts> driver_counts_;
  std::atomic<std::uint64_t> committed_events_{0};
  std::atomic<std::uint64_t> committed_exceptions_{0};
  uplink::PublisherState publisher_totals_;  ///< counters of publishers replaced by reloads
  std::uint64_t pipeline_reads_base_ = 0;    ///< counters of pipelines replaced by reloads
  std::uint64_t pipeline_events_base_ = 0;
  std::uint64_t pipeline_invalid_base_ = 0;
  std::uint64_t pipeline_suppressed_base_ = 0;
  std::string metrics_error_;  ///< last bind error, logged once
  /// Declared last: destroyed first, while io_ and everything it reads still exist.
  std::unique_ptr<MetricsHttp> metrics_http_;
};

}  // namespace dockgate::runtime
