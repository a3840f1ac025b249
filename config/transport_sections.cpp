// SPDX-License-Identifier: Apache-2.0
// buffer: and uplink.mqtt: — where reads are stored and where events are sent.
#include <system_error>

#include "config/sections.hpp"
#include "config/validate.hpp"

namespace dockgate::config::detail {
namespace {

using std::chrono::milliseconds;

// MQTT 3.1.1 section 2.2.3: the Remaining Length field caps a packet at 268,435,455 bytes.
constexpr std::uint64_t kMqttMaxPacketBytes = 268'435'455;

// Reads a file-name key: resolves it against the config's directory and checks the file is
// readable now, so a typo fails at start-up rather than at the first (re)connect.
bool read_file_key(MapReader& r, const char* key, std::string& out,
                   const std::filesystem::path& base_dir, const char* help) {
  if (!r.optional(key, out, help) || out.empty()) return false;
  out = resolve_path(base_dir, out);
  const std::string e = check_readable_file(out);
  report(r, key, e);
  return e.empty();
}

// MQTT keep alive and Paho's connect timeout are whole seconds on the wire / in the API;
// refusing "1500ms" beats silently truncating it.
void check_whole_seconds(MapReader& r, const char* key, bool was_read, milliseconds value) {
  if (was_read && value.count() % 1000 != 0) {
    r.error(key, "must be a whole number of seconds, got " + format_duration(value));
  }
}

void check_client_id(MapReader& r, const std::string& id) {
  if (id.size() > 128) {
    r.error("client_id", "must be at most 128 characters");
    return;
  }
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      r.error("client_id", "must not contain spaces or control characters");
      return;
    }
  }
}

}  // namespace

void read_buffer(MapReader& root, const std::filesystem::path& base_dir,
                 buffer::OutboxOptions& out) {
  MapReader r = root.child("buffer",
                           "The durable SQLite outbox: every accepted read is committed here "
                           "before it is published.");
  if (r.optional("path", out.path,
                 "SQLite database file; created with its directory when missing. A relative "
                 "path is taken relative to the config file's directory.")) {
    if (out.path.empty()) {
      r.error("path", "must not be empty");
    } else {
      out.path = resolve_path(base_dir, out.path);
      std::error_code ec;
      if (std::filesystem::is_directory(out.path, ec)) {
        r.error("path", "'" + out.path + "' is a directory; name the database file in it");
      }
    }
  }
  r.choice("sync", out.sync, {"full", "normal"},
           "full: every commit is on disk before a read counts as accepted. normal: faster, "
           "but a power loss may drop the last commits (a crash does not).");
  bool read = r.optional("commit_max_rows", out.commit_max_rows,
                         "Group commit: a transaction closes after this many rows (1-100000).");
  check_range(r, "commit_max_rows", read, out.commit_max_rows, 1, 100'000);
  read = r.duration("commit_max_delay", out.commit_max_delay,
                    "Group commit: a transaction also closes this long after its first row "
                    "arrived (0-1000ms), which bounds how long a read waits for its commit.");
  check_range(r, "commit_max_delay", read, out.commit_max_delay, milliseconds(0),
              milliseconds(1000));
  read = r.byte_size("max_bytes", out.max_bytes,
                     "Cap on pending payload bytes (e.g. 512MB); 0 = only the disk limits. Over "
                     "the cap new reads are rejected and counted, never dropped silently.");
  if (read && out.max_bytes != 0 && out.max_bytes < 64ULL * 1024) {
    r.error("max_bytes", "must be 0 (unlimited) or at least 64KB, got " +
                             std::to_string(out.max_bytes) + " bytes");
  }
  read = r.optional("fetch_batch_rows", out.fetch_batch_rows,
                    "Rows fetched per query when draining a backlog (1-100000).");
  check_range(r, "fetch_batch_rows", read, out.fetch_batch_rows, 1, 100'000);
  read = r.optional("max_queued_records", out.max_queued_records,
                    "Reads held in memory while the disk refuses writes or before their "
                    "commit (1-1000000); beyond it new reads are rejected and counted.");
  check_range(r, "max_queued_records", read, out.max_queued_records, 1, 1'000'000);
  read = r.byte_size("max_file_bytes", out.max_file_bytes,
                     "Hard cap on the database file (e.g. 4GB); 0 = none. Reaching it behaves "
                     "like a full disk: reads wait in memory and are retried once "
                     "acknowledgements free space.");
  if (read && out.max_file_bytes != 0 && out.max_file_bytes < 1024ULL * 1024) {
    r.error("max_file_bytes", "must be 0 (no cap) or at least 1MB, got " +
                                  std::to_string(out.max_file_bytes) + " bytes");
  }
  read = r.byte_size("reserve_bytes", out.reserve_bytes,
                     "Disk space held back in <path>.reserve (e.g. 512KB; 0 = none) so that "
                     "acknowledgements, WAL checkpoints and the rejected counter can still be "
                     "written on a full disk; released when the disk is full, re-created when "
                     "there is room, new reads wait while it is missing (0 or 64KB-64MB).");
  if (read && out.reserve_bytes != 0 &&
      (out.reserve_bytes < 64ULL * 1024 || out.reserve_bytes > 64ULL * 1024 * 1024)) {
    r.error("reserve_bytes", "must be 0 (none) or between 64KB and 64MB, got " +
                                 std::to_string(out.reserve_bytes) + " bytes");
  }
  read = r.duration("retain_delivered", out.retain_delivered,
                    "Records the broker acknowledged are kept this long so the central side "
                    "can ask for a replay (cmd/replay); 0 = deleted at once (0-90d). Unsent "
                    "records always win the space: kept ones are dropped first on a full disk "
                    "or at max_file_bytes.");
  check_range(r, "retain_delivered", read, out.retain_delivered, milliseconds(0),
              milliseconds(90LL * 86'400'000));
  r.byte_size("retain_delivered_bytes", out.retain_delivered_bytes,
              "Upper bound of the kept records' payload (e.g. 256MB; the oldest go first); 0 "
              "= only retain_delivered limits them.");
  r.finish();
}

void read_uplink(MapReader& root, const std::filesystem::path& base_dir, uplink::MqttOptions& out) {
  MapReader up = root.child("uplink", "Where events are sent. One transport: mqtt.");
  MapReader r = up.child("mqtt", "MQTT broker connection.");
  up.finish();

  bool tls = false;
  if (r.optional("uri", out.uri,
                 "Broker as scheme://host:port; scheme tcp or mqtt (plain, default port "
                 "1883), ssl or mqtts (TLS, default port 8883). IPv6 hosts in brackets: "
                 "tcp://[::1]:1883.")) {
    std::string e;
    if (auto uri = parse_mqtt_uri(out.uri, e)) {
      tls = uri->tls;
    } else {
      r.error("uri", e);
    }
  } else if (std::string e; auto uri = parse_mqtt_uri(out.uri, e)) {
    tls = uri->tls;
  }
  std::string protocol = out.protocol == uplink::MqttProtocol::v5 ? "5" : "3.1.1";
  if (r.choice("protocol", protocol, {"5", "3.1.1"},
               "MQTT protocol version. 5 (default): a PUBACK carries a reason code, so a publish "
               "the broker refuses (e.g. 0x87 not authorized by its ACL) stays queued and raises "
               "the publish_rejected alarm. 3.1.1: for old brokers only; its PUBACK has no "
               "reason code and a broker that denies a publish still acknowledges it, so the "
               "event is deleted although nobody received it.")) {
    out.protocol = protocol == "5" ? uplink::MqttProtocol::v5 : uplink::MqttProtocol::v3_1_1;
  }
  if (r.optional("client_id", out.client_id,
                 "MQTT client identifier; empty = \"dockgate-\" + site.id + \"-\" + "
                 "gateway.id. Must be unique per broker: a second client with the same id "
                 "disconnects the first.")) {
    check_client_id(r, out.client_id);
  }
  if (r.optional("topic_prefix", out.topic_prefix,
                 "First topic level(s): topics are {prefix}/{site.id}/{gateway.id}/events, "
                 "/exceptions and /status. May contain '/' between levels; no '+', '#', "
                 "leading '$' or leading/trailing '/'.")) {
    report(r, "topic_prefix", check_topic_prefix(out.topic_prefix));
  }
  bool read = r.duration("keepalive", out.keepalive,
                         "MQTT keep alive interval, whole seconds; 0 disables keep alive.");
  check_whole_seconds(r, "keepalive", read, out.keepalive);
  check_range(r, "keepalive", read, out.keepalive, milliseconds(0), milliseconds(65'535'000));
  milliseconds expiry = out.session_expiry;
  read = r.duration("session_expiry", expiry,
                    "MQTT 5 Session Expiry Interval, whole seconds. 0 (default) = clean start: "
                    "the session ends with the connection and every un-acknowledged event is "
                    "re-sent from the local buffer after a reconnect (the buffer, not the broker "
                    "session, is the source of truth). Above 0 the broker keeps the session that "
                    "long (under 3.1.1: clean session off); nothing is gained for a publisher.");
  check_whole_seconds(r, "session_expiry", read, expiry);
  check_range(r, "session_expiry", read, expiry, milliseconds(0),
              milliseconds(4'294'967'295'000LL));
  out.session_expiry = std::chrono::duration_cast<std::chrono::seconds>(expiry);
  read = r.duration("connect_timeout", out.connect_timeout,
                    "How long one connection attempt may take, whole seconds (1s-5m).");
  check_whole_seconds(r, "connect_timeout", read, out.connect_timeout);
  check_range(r, "connect_timeout", read, out.connect_timeout, milliseconds(1000),
              milliseconds(300'000));

  r.optional("username", out.username, "MQTT user name; empty = none.");
  read_file_key(r, "password_file", out.password_file, base_dir,
                "File whose first line is the MQTT password, so the secret stays out of this "
                "file (mode 0600). Needs username. Relative to the config file's directory.");
  if (!out.password_file.empty() && out.username.empty()) {
    r.error("password_file", "a password needs a username (MQTT 3.1.1 section 3.1.2.9)");
  }

  read_file_key(r, "ca_file", out.ca_file, base_dir,
                "PEM file of the CA(s) that sign the broker's certificate (TLS only); empty = "
                "the system's trusted CAs. Relative to the config file's directory.");
  read_file_key(r, "cert_file", out.cert_file, base_dir,
                "PEM client certificate for mutual TLS; needs key_file. Relative to the config "
                "file's directory.");
  read_file_key(r, "key_file", out.key_file, base_dir,
                "PEM private key of cert_file (mode 0600); needs cert_file. Relative to the "
                "config file's directory.");
  const bool has_cert = r.has("cert_file");
  const bool has_key = r.has("key_file");
  if (has_cert && !has_key) r.error("cert_file", "cert_file needs key_file as well");
  if (has_key && !has_cert) r.error("key_file", "key_file needs cert_file as well");
  for (const char* key : {"ca_file", "cert_file", "key_file"}) {
    if (r.has(key) && !tls) {
      r.error(key, std::string(key) + " is set but uri '" + out.uri +
                       "' does not use TLS; use ssl:// or mqtts://");
    }
  }
  r.optional("verify_hostname", out.verify_hostname,
             "TLS: check that the broker certificate names the host in uri. Turn off only for "
             "brokers addressed by an IP their certificate does not list.");

  read = r.optional("inflight_window", out.inflight_window,
                    "Messages published but not yet acknowledged (PUBACK), at most (1-90; "
                    "kept below Paho's own buffer of 100). Under MQTT 5 the broker's Receive "
                    "Maximum caps it (mosquitto: max_inflight_messages, default 20).");
  check_range(r, "inflight_window", read, out.inflight_window, 1, 90);
  read = r.optional("max_events_per_message", out.max_events_per_message,
                    "Events per EPCIS document when draining a backlog (1-10000; 1 = one event "
                    "per message).");
  check_range(r, "max_events_per_message", read, out.max_events_per_message, 1, 10'000);
  std::uint64_t max_bytes = out.max_message_bytes;
  read = r.byte_size("max_message_bytes", max_bytes,
                     "Upper bound of one message's payload when batching (1KB-256MB; check the "
                     "broker's own limit, e.g. mosquitto message_size_limit). Under MQTT 5 a "
                     "batch that would exceed the broker's Maximum Packet Size is split into "
                     "smaller documents.");
  check_range(r, "max_message_bytes", read, max_bytes, 1024, kMqttMaxPacketBytes);
  if (read && max_bytes >= 1024 && max_bytes <= kMqttMaxPacketBytes) {
    out.max_message_bytes = static_cast<std::uint32_t>(max_bytes);
  }

  r.optional("commands", out.commands,
             "Accept commands from the central side on {prefix}/{site}/{gateway}/cmd/replay "
             "(republish a gatewaySeq range kept by buffer.retain_delivered) and cmd/status "
             "(publish the status now). Grant the gateway read access to its own cmd/# only "
             "(docs/central.md).");
  read = r.optional("replay_rate", out.replay_rate,
                    "Records a replay re-publishes per second at most (1-100000); live "
                    "milestones always go first.");
  check_range(r, "replay_rate", read, out.replay_rate, 1, 100'000);
  const bool min_read = r.duration("reconnect_min", out.reconnect_min,
                                   "First delay before reconnecting after a failure (10ms-1h); "
                                   "later delays grow up to reconnect_max.");
  check_range(r, "reconnect_min", min_read, out.reconnect_min, milliseconds(10),
              milliseconds(3'600'000));
  const bool max_read = r.duration("reconnect_max", out.reconnect_max,
                                   "Largest delay between reconnect attempts (10ms-1h); at "
                                   "least reconnect_min.");
  check_range(r, "reconnect_max", max_read, out.reconnect_max, milliseconds(10),
              milliseconds(3'600'000));
  if ((min_read || max_read) && out.reconnect_min > out.reconnect_max) {
    r.error(min_read ? "reconnect_min" : "reconnect_max",
            "reconnect_min (" + format_duration(out.reconnect_min) +
                ") must not exceed reconnect_max (" + format_duration(out.reconnect_max) + ")");
  }
  read = r.duration("status_interval", out.status_interval,
                    "How often the retained status message is refreshed (1s-1h).");
  check_range(r, "status_interval", read, out.status_interval, milliseconds(1000),
              milliseconds(3'600'000));
  r.finish();
}

}  // namespace dockgate::config::detail
