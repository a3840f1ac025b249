// SPDX-License-Identifier: Apache-2.0
// A simulated LLRP 1.0.1 reader for tests: tests/llrp/sim/reader_sim.js (llrpjs, not
// dockgate's codec) run by node on a free loopback port, playing a JSON scenario (format:
// tests/llrp/sim/README.md). Everything the client sends is logged by the simulator as JSON
// lines, which received() parses.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::test {

class LlrpReaderSim {
 public:
  /// Writes `scenario` to a temp dir, starts node reader_sim.js on a free 127.0.0.1 port and
  /// waits (up to 10 s) for its "listening <port>" line. Throws std::runtime_error with the
  /// simulator's stderr when it does not come up (node or llrpjs missing: scripts/install-deps).
  explicit LlrpReaderSim(const nlohmann::json& scenario = nlohmann::json::object());
  /// stop(). Never throws.
  ~LlrpReaderSim();
  LlrpReaderSim(const LlrpReaderSim&) = delete;
  LlrpReaderSim& operator=(const LlrpReaderSim&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// SIGTERM, waits up to 2 s (then SIGKILL). Open connections drop. No-op when stopped.
  void stop();

  /// Every log line so far (messages in "rx"/"tx" and events such as "connection",
  /// "closed", "fault", "keepalive_acked", "generated"), in order.
  [[nodiscard]] std::vector<nlohmann::json> log() const;
  /// Messages received from the client so far: {"t_ms","conn","dir":"rx","type","id","json"}
  /// ("type" is the llrpjs name, e.g. "ADD_ROSPEC"; "UNDECODABLE" with "hex"/"error" when
  /// llrpjs rejected it).
  [[nodiscard]] std::vector<nlohmann::json> received() const;
  /// Waits until a message of `type` ("" = any) has been received `count` times in total;
  /// returns the count-th one, nullopt after `timeout`.
  std::optional<nlohmann::json> wait_for_received(const std::string& type,
                                                  std::chrono::milliseconds timeout,
                                                  std::size_t count = 1) const;
  /// Waits for a log line with "event" == `event` (e.g. "closed", "keepalive_acked").
  std::optional<nlohmann::json> wait_for_event(const std::string& event,
                                               std::chrono::milliseconds timeout,
                                               std::size_t count = 1) const;
  /// The simulator's stderr so far (for failure messages).
  [[nodiscard]] std::string stderr_text() const;

 private:
  /// The `count`-th log line `match` accepts, polled for up to `timeout`.
  std::optional<nlohmann::json> wait_for_nth(
      const std::function<bool(const nlohmann::json&)>& match, std::chrono::milliseconds timeout,
      std::size_t count) const;
  TempDir dir_{"dockgate-llrp-sim"};
  std::uint16_t port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace dockgate::test
