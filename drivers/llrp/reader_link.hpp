// SPDX-License-Identifier: Apache-2.0
// One LLRP 1.0.1 client connection to one reader (TCP, default port 5084) on the agent's
// io_context: connect, wait for the reader's ConnectionAttemptEvent, configure, receive
// RO_ACCESS_REPORTs, answer KEEPALIVEs, reconnect with backoff. The flow is in README.md.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "drivers/llrp/tag_sighting.hpp"

namespace dockgate::drivers::llrp {

/// ROSpec id the link adds in configure mode: unlikely to clash with another application's.
inline constexpr std::uint32_t kDefaultRospecId = 0x00D06A7E;

/// Error kinds passed to on_error (the driver turns them into exception events):
/// llrp_connection_refused  ConnectionAttemptEvent status != 0 (another client holds the reader)
/// llrp_error_status        a *_RESPONSE with LLRPStatus != M_Success (code + description)
/// llrp_error_message       an ERROR_MESSAGE from the reader (section 16.1.47)
/// llrp_malformed_frame     bytes that are not an LLRP message; the link reconnects
/// llrp_malformed_report    an RO_ACCESS_REPORT / event body that does not decode; kept
/// llrp_response_timeout    no response (or no ConnectionAttemptEvent) within response_timeout
/// llrp_reader_silent       nothing received for missed_keepalives * keepalive; reconnects
enum class RospecMode { configure, keep };

/// Link settings (plain values; the driver's option parser fills them). Durations in ms.
struct ReaderLinkOptions {
  std::string host;
  std::uint16_t port = 5084;
  RospecMode rospec_mode = RospecMode::configure;  ///< keep: use the reader's own ROSpec
  bool reset_to_factory = false;  ///< SET_READER_CONFIG ResetToFactoryDefault (configure only)
  std::uint32_t rospec_id = kDefaultRospecId;
  std::vector<std::uint16_t> antennas;         ///< empty = all antennas ({0}, section 10.2.2)
  std::uint16_t report_every_tags = 1;         ///< ROReportTrigger N (section 13.2.1)
  std::chrono::milliseconds keepalive{10000};  ///< KeepaliveSpec period
  unsigned missed_keepalives = 3;              ///< silence of N * keepalive = reader gone
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds response_timeout{5000};  ///< per request / first event
  std::chrono::milliseconds reconnect_min{1000};
  std::chrono::milliseconds reconnect_max{30000};
};

/// What the owner hears; all callbacks run on the io_context thread.
struct ReaderLinkCallbacks {
  /// Tag sightings of one RO_ACCESS_REPORT and the receive time (UTC ms).
  std::function<void(std::vector<TagSighting>&&, std::int64_t)> on_tags;
  /// An error: kind (above), message, raw message bytes (may be empty).
  std::function<void(const std::string&, const std::string&, const std::string&)> on_error;
  /// Up (configured and reporting) or down, with a detail for the status event.
  std::function<void(bool, const std::string&)> on_status;
};

/// The connection: a handle on a session that lives while an operation is pending.
class ReaderLink {
 public:
  ReaderLink(boost::asio::io_context& io, ReaderLinkOptions options, ReaderLinkCallbacks callbacks);
  ~ReaderLink();  ///< stop() without a completion callback
  ReaderLink(const ReaderLink&) = delete;
  ReaderLink& operator=(const ReaderLink&) = delete;

  /// Starts connecting (posted to the io_context; callable from any thread).
  void start();
  /// Stops (posted; callable from any thread): when connected, sends STOP_ROSPEC (configure
  /// mode) and CLOSE_CONNECTION, waits up to 1 s for CLOSE_CONNECTION_RESPONSE, closes the
  /// socket, then calls `done` (may be empty). Never blocks. After stop() only
  /// on_status(false, "stopped") (when the link was up) and `done` are called.
  void stop(std::function<void()> done = {});
  [[nodiscard]] const ReaderLinkOptions& options() const { return options_; }

 private:
  class Session;
  ReaderLinkOptions options_;
  boost::asio::io_context* io_;
  std::shared_ptr<Session> session_;
};

}  // namespace dockgate::drivers::llrp
