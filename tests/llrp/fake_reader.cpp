// SPDX-License-Identifier: Apache-2.0
#include "tests/llrp/fake_reader.hpp"

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>

#include "drivers/llrp/llrp_bytes.hpp"
#include "drivers/llrp/llrp_frame.hpp"

namespace dockgate::test {

namespace asio = boost::asio;
using asio::ip::tcp;
namespace llrp = dockgate::drivers::llrp;

struct FakeReader::Connection {
  explicit Connection(asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  int number = 0;
  std::array<std::uint8_t, 4096> chunk{};
  std::vector<std::uint8_t> rx;
  std::deque<std::vector<std::uint8_t>> tx;
  bool writing = false;
};

namespace {

std::uint16_t response_type(std::uint16_t request) {
  switch (request) {
    case llrp::kGetReaderCapabilities:
      return llrp::kGetReaderCapabilitiesResponse;
    case llrp::kSetReaderConfig:
      return llrp::kSetReaderConfigResponse;
    case llrp::kCloseConnection:
      return llrp::kCloseConnectionResponse;
    case llrp::kAddRospec:
    case llrp::kDeleteRospec:
    case llrp::kStartRospec:
    case llrp::kStopRospec:
    case llrp::kEnableRospec:
      return static_cast<std::uint16_t>(request + 10);
    default:
      return 0;
  }
}

std::vector<std::uint8_t> status_message(std::uint16_t type, std::uint32_t id, std::uint16_t code) {
  llrp::ByteWriter w;
  w.begin_message(type, id);
  const auto at = w.begin_tlv(287);  // LLRPStatus
  w.u16(code);
  const std::string text = code == 0 ? "" : "fake reader error";
  w.u16(static_cast<std::uint16_t>(text.size()));
  for (const char c : text) w.u8(static_cast<std::uint8_t>(c));
  w.end_tlv(at);
  return w.end_message();
}

std::vector<std::uint8_t> connection_event(std::uint16_t status) {
  llrp::ByteWriter w;
  w.begin_message(llrp::kReaderEventNotification, 0);
  const auto data = w.begin_tlv(246);
  const auto ts = w.begin_tlv(128);
  w.u32(0x00063049);  // 2025-03-14T08:12:45.120Z
  w.u32(0x00d74e00);
  w.end_tlv(ts);
  const auto event = w.begin_tlv(256);
  w.u16(status);
  w.end_tlv(event);
  w.end_tlv(data);
  return w.end_message();
}

}  // namespace

FakeReader::FakeReader() : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

FakeReader::~FakeReader() {
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (current_) current_->socket.close(ignored);
    io_.stop();
  });
  thread_.join();
}

void FakeReader::set_connection_status(int connection, int status) {
  std::lock_guard lock(mutex_);
  connection_status_[connection] = status;
}

void FakeReader::set_response_status(std::uint16_t request_type, std::uint16_t code) {
  std::lock_guard lock(mutex_);
  response_status_[request_type] = code;
}

void FakeReader::set_answer_close(bool answer) {
  std::lock_guard lock(mutex_);
  answer_close_ = answer;
}

void FakeReader::send(std::vector<std::uint8_t> bytes) {
  asio::post(io_, [this, bytes = std::move(bytes)]() mutable {
    if (current_) write(current_, std::move(bytes));
  });
}

std::vector<SentMessage> FakeReader::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

int FakeReader::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

void FakeReader::accept() {
  auto connection = std::make_shared<Connection>(io_);
  acceptor_.async_accept(connection->socket,
                         [this, connection](const boost::system::error_code& ec) {
                           if (ec) return;
                           on_accepted(connection);
                           accept();
                         });
}

void FakeReader::on_accepted(std::shared_ptr<Connection> connection) {
  int status = 0;
  {
    std::lock_guard lock(mutex_);
    connection->number = ++connections_;
    if (auto it = connection_status_.find(connection->number); it != connection_status_.end()) {
      status = it->second;
    }
  }
  if (current_) {
    boost::system::error_code ignored;
    current_->socket.close(ignored);
  }
  current_ = connection;
  if (status >= 0) write(connection, connection_event(static_cast<std::uint16_t>(status)));
  if (status > 0) {
    // A refusing reader closes after the event (section 18.1); give the write a moment.
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(20));
    timer->async_wait([connection, timer](const boost::system::error_code&) {
      boost::system::error_code ignored;
      connection->socket.close(ignored);
    });
  }
  read(connection);
}

void FakeReader::read(std::shared_ptr<Connection> connection) {
  connection->socket.async_read_some(
      asio::buffer(connection->chunk),
      [this, connection](const boost::system::error_code& ec, std::size_t n) {
        connection->rx.insert(connection->rx.end(), connection->chunk.begin(),
                              connection->chunk.begin() + static_cast<std::ptrdiff_t>(n));
        for (;;) {
          const auto check = llrp::check_frame(connection->rx);
          if (check.state != llrp::FrameState::complete) break;
          const auto end =
              connection->rx.begin() + static_cast<std::ptrdiff_t>(check.header.length);
          SentMessage message{check.header.type,
                              check.header.id,
                              {connection->rx.begin(), end},
                              connection->number};
          connection->rx.erase(connection->rx.begin(), end);
          std::uint16_t code = 0;
          bool answer = true;
          {
            std::lock_guard lock(mutex_);
            received_.push_back(message);
            if (auto it = response_status_.find(message.type); it != response_status_.end()) {
              code = it->second;
            }
            if (message.type == llrp::kCloseConnection) answer = answer_close_;
          }
          const std::uint16_t response = response_type(message.type);
          if (response != 0 && answer)
            write(connection, status_message(response, message.id, code));
        }
        if (ec) return;
        read(connection);
      });
}

void FakeReader::write(const std::shared_ptr<Connection>& connection,
                       std::vector<std::uint8_t> bytes) {
  connection->tx.push_back(std::move(bytes));
  if (!connection->writing) flush(connection);
}

void FakeReader::flush(const std::shared_ptr<Connection>& connection) {
  if (connection->tx.empty()) return;
  connection->writing = true;
  auto next = std::make_shared<std::vector<std::uint8_t>>(std::move(connection->tx.front()));
  connection->tx.pop_front();
  asio::async_write(connection->socket, asio::buffer(*next),
                    [this, connection, next](const boost::system::error_code& ec, std::size_t) {
                      connection->writing = false;
                      if (!ec) flush(connection);
                    });
}

}  // namespace dockgate::test
