// SPDX-License-Identifier: Apache-2.0
// A minimal LLRP reader for the link tests, on its own io_context thread and a free
// loopback port: sends the ConnectionAttemptEvent, answers requests with an LLRPStatus
// (success unless told otherwise), records every message the client sends, and sends
// whatever raw bytes a test asks for. Not a simulator: no ROSpec state.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dockgate::test {

/// One message the client sent: type, id and raw bytes.
struct SentMessage {
  std::uint16_t type = 0;
  std::uint32_t id = 0;
  std::vector<std::uint8_t> bytes;
  int connection = 0;  ///< 1 = first connection accepted
};

class FakeReader {
 public:
  FakeReader();
  ~FakeReader();
  FakeReader(const FakeReader&) = delete;
  FakeReader& operator=(const FakeReader&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// ConnectionAttemptEvent status for connection `n` (1-based); default 0. -1 = send none.
  void set_connection_status(int connection, int status);
  /// LLRPStatus code answered to requests of `request_type` (default 0 = M_Success).
  void set_response_status(std::uint16_t request_type, std::uint16_t code);
  /// Whether CLOSE_CONNECTION gets its response (default true).
  void set_answer_close(bool answer);
  /// Sends raw bytes on the current connection.
  void send(std::vector<std::uint8_t> bytes);
  [[nodiscard]] std::vector<SentMessage> received() const;
  [[nodiscard]] int connections() const;

 private:
  struct Connection;
  void accept();
  void on_accepted(std::shared_ptr<Connection> connection);
  void read(std::shared_ptr<Connection> connection);
  void write(const std::shared_ptr<Connection>& connection, std::vector<std::uint8_t> bytes);
  void flush(const std::shared_ptr<Connection>& connection);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<SentMessage> received_;
  std::map<int, int> connection_status_;
  std::map<std::uint16_t, std::uint16_t> response_status_;
  bool answer_close_ = true;
  int connections_ = 0;
  std::shared_ptr<Connection> current_;
  std::thread thread_;
};

}  // namespace dockgate::test
