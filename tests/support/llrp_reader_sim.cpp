// SPDX-License-Identifier: Apache-2.0
#include "tests/support/llrp_reader_sim.hpp"

#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/net.hpp"
#include "tests/support/wait.hpp"

#ifndef DOCKGATE_NODE_EXECUTABLE
#define DOCKGATE_NODE_EXECUTABLE "node"
#endif
#ifndef DOCKGATE_LLRP_SIM_DIR
#define DOCKGATE_LLRP_SIM_DIR "tests/llrp/sim"
#endif

namespace dockgate::test {
namespace {

// node needs ~0.7 s to load llrpjs on a loaded 2-core machine; 10 s is generous.
constexpr std::chrono::milliseconds kStartTimeout{10'000};

std::vector<nlohmann::json> parse_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    // The last line may still be being written: a line that does not parse is skipped.
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

LlrpReaderSim::LlrpReaderSim(const nlohmann::json& scenario) {
  write_file(dir_.file("scenario.json"), scenario.dump(2));
  port_ = free_tcp_port();
  SpawnOptions so;
  so.args = {DOCKGATE_NODE_EXECUTABLE,
             std::string(DOCKGATE_LLRP_SIM_DIR) + "/reader_sim.js",
             "--port",
             std::to_string(port_),
             "--scenario",
             dir_.file("scenario.json"),
             "--log",
             dir_.file("log.jsonl")};
  so.stdout_path = dir_.file("stdout");
  so.stderr_path = dir_.file("stderr");
  process_ = std::make_unique<Subprocess>(so);
  const std::string expected = "listening " + std::to_string(port_) + "\n";
  const bool up =
      poll_until([&] { return read_file(so.stdout_path) == expected || !process_->running(); },
                 kStartTimeout, std::chrono::milliseconds(10));
  if (!up || !process_->running()) {
    process_->kill();
    throw std::runtime_error("LlrpReaderSim: reader_sim.js did not start on port " +
                             std::to_string(port_) + " (scripts/install-deps installs llrpjs):\n" +
                             read_file(so.stdout_path) + stderr_text());
  }
}

LlrpReaderSim::~LlrpReaderSim() {
  try {
    stop();
  } catch (...) {  // destructor: the child dies with the test thread anyway
  }
}

void LlrpReaderSim::stop() {
  if (!process_) return;
  process_->terminate(std::chrono::milliseconds(2'000));
  process_.reset();
}

std::vector<nlohmann::json> LlrpReaderSim::log() const {
  return parse_lines(read_file(dir_.file("log.jsonl")));
}

std::vector<nlohmann::json> LlrpReaderSim::received() const {
  std::vector<nlohmann::json> out;
  for (auto& j : log()) {
    if (j.value("dir", "") == "rx") out.push_back(std::move(j));
  }
  return out;
}

std::optional<nlohmann::json> LlrpReaderSim::wait_for_nth(
    const std::function<bool(const nlohmann::json&)>& match, std::chrono::milliseconds timeout,
    std::size_t count) const {
  std::optional<nlohmann::json> found;
  poll_until(
      [&] {
        std::size_t n = 0;
        for (const auto& j : log()) {
          if (match(j) && ++n == count) {
            found = j;
            return true;
          }
        }
        return false;
      },
      timeout, std::chrono::milliseconds(10));
  return found;
}

std::optional<nlohmann::json> LlrpReaderSim::wait_for_received(const std::string& type,
                                                               std::chrono::milliseconds timeout,
                                                               std::size_t count) const {
  return wait_for_nth(
      [&type](const nlohmann::json& j) {
        return j.value("dir", "") == "rx" && (type.empty() || j.value("type", "") == type);
      },
      timeout, count);
}

std::optional<nlohmann::json> LlrpReaderSim::wait_for_event(const std::string& event,
                                                            std::chrono::milliseconds timeout,
                                                            std::size_t count) const {
  return wait_for_nth([&event](const nlohmann::json& j) { return j.value("event", "") == event; },
                      timeout, count);
}

std::string LlrpReaderSim::stderr_text() const {
  return read_file(dir_.file("stderr"));
}

}  // namespace dockgate::test
