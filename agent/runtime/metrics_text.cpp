// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/metrics_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

namespace dockgate::runtime {
namespace {

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

/// Appends families in text format 0.0.4: # HELP, # TYPE, then the samples.
class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    for (const char c : help) {  // HELP escapes backslash and newline only
      if (c == '\\') {
        out_ += "\\\\";
      } else if (c == '\n') {
        out_ += "\\n";
      } else {
        out_ += c;
      }
    }
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, double value, const Labels& labels = {}) {
    head(name, labels);
    append_double(value);
    out_ += '\n';
  }

  void sample(std::string_view name, std::uint64_t value, const Labels& labels = {}) {
    head(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
  }

  /// A whole family: one gauge or counter sample without labels.
  void single(std::string_view name, std::string_view type, std::string_view help,
              std::uint64_t value) {
    family(name, type, help);
    sample(name, value);
  }

  template <std::size_t N>
  void histogram(std::string_view name, std::string_view help, const uplink::FixedHistogram<N>& h) {
    family(name, "histogram", help);
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= N; ++i) {
      cumulative += h.counts[i];
      std::string le = i < N ? format_double(h.bounds[i]) : "+Inf";
      sample(bucket, cumulative, {{"le", le}});
    }
    sample(std::string(name) + "_sum", h.sum);
    sample(std::string(name) + "_count", h.count);
  }

  std::string take() { return std::move(out_); }

  static std::string format_double(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
    return {buf, res.ptr};
  }

 private:
  void head(std::string_view name, const Labels& labels) {
    out_ += name;
    if (labels.empty()) {
      out_ += ' ';
      return;
    }
    out_ += '{';
    bool first = true;
    for (const auto& [key, value] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += key;
      out_ += "=\"";
      for (const char c : value) {  // label values escape backslash, quote and newline
        if (c == '\\' || c == '"') {
          out_ += '\\';
          out_ += c;
        } else if (c == '\n') {
          out_ += "\\n";
        } else {
          out_ += c;
        }
      }
      out_ += '"';
    }
    out_ += "} ";
  }

  void append_double(double v) { out_ += format_double(v); }

  std::string out_;
};

void process_families(Exposition& e, const ProcessMetrics& p) {
  e.family("process_start_time_seconds", "gauge",
           "Start time of the process since the Unix epoch, seconds.");
  e.sample("process_start_time_seconds", p.start_time_seconds);
  e.family("process_cpu_seconds_total", "counter", "User and system CPU time spent, seconds.");
  e.sample("process_cpu_seconds_total", p.cpu_seconds);
  e.single("process_resident_memory_bytes", "gauge", "Resident memory size, bytes.",
           p.resident_bytes);
  e.single("process_virtual_memory_bytes", "gauge", "Virtual memory size, bytes.", p.virtual_bytes);
  e.single("process_open_fds", "gauge", "Open file descriptors.", p.open_fds);
  e.single("process_max_fds", "gauge", "Limit of open file descriptors.", p.max_fds);
}

void pipeline_families(Exposition& e, const MetricsSnapshot& s) {
  e.single("dockgate_reads_total", "counter",
           "Reads from every scanner and RFID reader (before repeat suppression).", s.reads);
  e.single("dockgate_milestones_total", "counter",
           "Milestone events (EPCIS ObjectEvents) made from reads.", s.events);
  e.single("dockgate_invalid_reads_total", "counter",
           "Reads that became an invalid_barcode / invalid_epc / no_object_identifier "
           "exception event.",
           s.invalid);
  e.single("dockgate_suppressed_repeats_total", "counter",
           "Repeat reads of the same code at the same door within dedup_window, counted once.",
           s.suppressed_repeats);
  e.single("dockgate_dock_sessions_open", "gauge", "Dock doors with a trailer visit under way.",
           s.dock_sessions_open);
}

void buffer_families(Exposition& e, const MetricsSnapshot& s) {
  const buffer::OutboxStats& o = s.outbox;
  e.family("dockgate_records_committed_total", "counter",
           "Records (milestone events, exception events) durably committed to the buffer.");
  e.sample("dockgate_records_committed_total", s.committed_events, {{"channel", "events"}});
  e.sample("dockgate_records_committed_total", s.committed_exceptions, {{"channel", "exceptions"}});
  e.single("dockgate_records_rejected_total", "counter",
           "Records the buffer refused (buffer.max_bytes, full disk with a full memory queue). "
           "Kept in the buffer file: counts since the file was created.",
           o.rejected_total);
  e.single("dockgate_backlog_records", "gauge",
           "Committed records not yet acknowledged by the broker (PUBACK).", o.pending_count);
  e.single("dockgate_backlog_bytes", "gauge", "Payload bytes of the backlog.", o.pending_bytes);
  e.family("dockgate_backlog_oldest_age_seconds", "gauge",
           "Age of the oldest unsent record (from its read time); 0 when the backlog is empty.");
  double age = 0;
  if (o.oldest_created_ms && s.now_ms > *o.oldest_created_ms) {
    age = static_cast<double>(s.now_ms - *o.oldest_created_ms) / 1000.0;
  }
  e.sample("dockgate_backlog_oldest_age_seconds", age);
  e.single("dockgate_buffer_file_bytes", "gauge",
           "Size of the buffer database file and its write-ahead log, bytes.", o.file_bytes);
  e.single("dockgate_buffer_queued_records", "gauge",
           "Records in memory waiting for their commit (grows while the disk refuses writes).",
           o.queued_records);
  e.single("dockgate_buffer_write_failing", "gauge",
           "1 while the last buffer write failed (disk full, I/O error) and is being retried.",
           o.write_failing ? 1 : 0);
  e.single("dockgate_buffer_retained_records", "gauge",
           "Delivered records kept for replay on request (buffer.retain_delivered).",
           o.retained_count);
  e.single("dockgate_buffer_retained_bytes", "gauge", "Payload bytes of the kept records.",
           o.retained_bytes);
  e.single("dockgate_last_gateway_seq", "gauge",
           "Highest dg:gatewaySeq assigned (consumers compare it with what they received).",
           o.last_seq);
}

void uplink_families(Exposition& e, const MetricsSnapshot& s) {
  const uplink::PublisherState& p = s.publisher;
  e.single("dockgate_records_published_total", "counter",
           "Records the broker acknowledged (PUBACK) and that left the backlog.", p.acked_rows);
  e.single("dockgate_publish_rejected_total", "counter",
           "Messages the broker refused with an MQTT 5 PUBACK reason code >= 0x80 (for example "
           "0x87 not authorized); their records stay in the backlog.",
           p.publish_rejected_total);
  e.histogram("dockgate_publish_latency_seconds",
              "Seconds from handing a message to the MQTT client until its PUBACK.",
              p.publish_latency);
  e.histogram("dockgate_publish_batch_records",
              "Records per acknowledged message (1 when live, more while a backlog drains).",
              p.batch_records);
  e.single("dockgate_mqtt_connected", "gauge", "1 while connected to the MQTT broker.",
           p.connected ? 1 : 0);
  e.single("dockgate_mqtt_connects_total", "counter", "Successful connections to the broker.",
           p.connects);
  e.single("dockgate_mqtt_reconnects_total", "counter",
           "Successful connections after the first one (broker outages, network loss, config "
           "reloads).",
           p.connects > 0 ? p.connects - 1 : 0);
  e.single("dockgate_mqtt_inflight_messages", "gauge", "Messages awaiting their PUBACK.",
           p.inflight);
  e.single("dockgate_mqtt_subscribed", "gauge",
           "1 when every subscription (the plans topic) was granted on this connection.",
           p.subscribed ? 1 : 0);
  e.family("dockgate_uplink_alarm", "gauge",
           "1 while the uplink alarm of this kind is active (see the retained status message).");
  for (const char* kind : {"publish_rejected", "message_too_large", "subscribe_rejected"}) {
    const bool on = std::find(p.alarms.begin(), p.alarms.end(), kind) != p.alarms.end();
    e.sample("dockgate_uplink_alarm", std::uint64_t{on ? 1U : 0U}, {{"kind", kind}});
  }
}

void driver_families(Exposition& e, const std::vector<DriverMetrics>& drivers) {
  const auto labels = [](const DriverMetrics& d) {
    return Labels{{"driver", d.id}, {"type", d.type}, {"location", d.location}};
  };
  e.family("dockgate_driver_reads_total", "counter",
           "Reads (and dock sensor signals) the driver delivered.");
  for (const auto& d : drivers) e.sample("dockgate_driver_reads_total", d.reads, labels(d));
  e.family("dockgate_driver_read_errors_total", "counter",
           "Frames or images the driver could not read (each is a read error exception event).");
  for (const auto& d : drivers) {
    e.sample("dockgate_driver_read_errors_total", d.read_errors, labels(d));
  }
  e.family("dockgate_driver_up", "gauge",
           "1 while the device is connected and answering, 0 while it is down; absent until the "
           "driver reported its first state.");
  for (const auto& d : drivers) {
    if (d.up) e.sample("dockgate_driver_up", std::uint64_t{*d.up ? 1U : 0U}, labels(d));
  }
}

}  // namespace

std::string render_metrics(const MetricsSnapshot& s) {
  Exposition e;
  e.family("dockgate_build_info", "gauge", "Always 1; the labels say which dockgate this is.");
  e.sample("dockgate_build_info", std::uint64_t{1},
           {{"version", s.version}, {"site", s.site}, {"gateway", s.gateway}});
  process_families(e, s.process);
  pipeline_families(e, s);
  buffer_families(e, s);
  uplink_families(e, s);
  driver_families(e, s.drivers);
  return e.take();
}

}  // namespace dockgate::runtime
