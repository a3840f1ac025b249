// SPDX-License-Identifier: Apache-2.0
#include "bench/thin_subscriber.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace dockgate::bench {
namespace {

// MQTT 3.1.1 section 2.2.1 control packet types (high nibble of the first byte).
constexpr std::uint8_t kConnect = 0x10;
constexpr std::uint8_t kConnack = 0x20;
constexpr std::uint8_t kPublish = 0x30;
constexpr std::uint8_t kPuback = 0x40;
constexpr std::uint8_t kSubscribe = 0x82;  // section 3.8.1: flags must be 0010
constexpr std::uint8_t kSuback = 0x90;
constexpr std::uint16_t kSubscribePacketId = 1;
constexpr std::size_t kInitialBuffer = std::size_t{1} << 20;

void put_u8(std::string& s, unsigned v) {
  s.push_back(static_cast<char>(v & 0xFFU));
}
void put_u16(std::string& s, std::size_t v) {
  put_u8(s, static_cast<unsigned>(v >> 8));
  put_u8(s, static_cast<unsigned>(v));
}
void put_str(std::string& s, std::string_view v) {
  put_u16(s, v.size());
  s.append(v);
}

/// Fixed header (section 2.2) + body. Remaining length: 7 bits per byte, low first (2.2.3).
std::string packet(std::uint8_t first_byte, const std::string& body) {
  std::string out;
  put_u8(out, first_byte);
  std::size_t n = body.size();
  do {
    unsigned b = n % 128;
    n /= 128;
    if (n != 0) b |= 0x80U;
    put_u8(out, b);
  } while (n != 0);
  return out + body;
}

struct Packet {
  std::uint8_t first_byte = 0;
  std::string_view body;
  std::size_t size = 0;  ///< header + body bytes
};

/// The complete packet at the front of `data`, or nullopt when more bytes are needed.
/// Throws std::runtime_error on a remaining length longer than 4 bytes (section 2.2.3).
std::optional<Packet> next_packet(std::string_view data) {
  if (data.size() < 2) return std::nullopt;
  std::size_t length = 0;
  std::size_t multiplier = 1;
  std::size_t pos = 1;
  while (true) {
    if (pos >= data.size()) return std::nullopt;
    if (pos > 4) throw std::runtime_error("malformed remaining length");
    const auto b = static_cast<unsigned char>(data[pos++]);
    length += (b & 0x7FU) * multiplier;
    multiplier *= 128;
    if ((b & 0x80U) == 0) break;
  }
  if (data.size() - pos < length) return std::nullopt;
  return Packet{static_cast<std::uint8_t>(data[0]), data.substr(pos, length), pos + length};
}

unsigned u16_at(std::string_view s, std::size_t pos) {
  return (static_cast<unsigned>(static_cast<unsigned char>(s[pos])) << 8) |
         static_cast<unsigned char>(s[pos + 1]);
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("send: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

/// Handles one packet; appends the PUBACK owed for a QoS 1 PUBLISH to `acks`. Returns the
/// packet type nibble.
std::uint8_t dispatch(const Packet& p, std::chrono::steady_clock::time_point now,
                      const ThinSubscriber::Handler& handler, std::string& acks) {
  const std::uint8_t type = p.first_byte & 0xF0U;
  if (type != kPublish) return type;
  const unsigned qos = (p.first_byte >> 1) & 0x03U;
  const std::string_view b = p.body;
  if (b.size() < 2) throw std::runtime_error("PUBLISH without topic");
  const std::size_t topic_len = u16_at(b, 0);
  std::size_t pos = 2 + topic_len;
  if (b.size() < pos + (qos > 0 ? 2 : 0)) throw std::runtime_error("truncated PUBLISH");
  const std::string_view topic = b.substr(2, topic_len);
  if (qos > 0) {
    acks.push_back(static_cast<char>(kPuback));
    acks.push_back(2);
    acks.append(b.substr(pos, 2));  // packet identifier, section 3.4.2
    pos += 2;
  }
  handler(topic, b.substr(pos), now);
  return type;
}

}  // namespace

ThinSubscriber::ThinSubscriber(std::uint16_t port, const std::vector<std::string>& filters,
                               Handler handler, std::chrono::milliseconds timeout)
    : handler_(std::move(handler)) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("connect 127.0.0.1:" + std::to_string(port) + ": " + why);
  }

  std::string connect_body;
  put_str(connect_body, "MQTT");
  put_u8(connect_body, 4);     // protocol level 3.1.1
  put_u8(connect_body, 0x02);  // clean session
  put_u16(connect_body, 0);    // keepalive off: the bench never idles long enough to need it
  put_str(connect_body, "bench-thin-" + std::to_string(::getpid()) + "-" + std::to_string(fd_));
  std::string subscribe_body;
  put_u16(subscribe_body, kSubscribePacketId);
  for (const auto& f : filters) {
    put_str(subscribe_body, f);
    put_u8(subscribe_body, 1);
  }

  buffer_.resize(kInitialBuffer);
  try {
    write_all(fd_, packet(kConnect, connect_body) + packet(kSubscribe, subscribe_body));
    handshake(timeout);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  connected_ = true;
  reader_ = std::thread([this] { read_loop(); });
}

void ThinSubscriber::handshake(std::chrono::milliseconds timeout) {
  bool connacked = false;
  bool subacked = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!subacked) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) != 1) {
      throw std::runtime_error("no CONNACK/SUBACK within " + std::to_string(timeout.count()) +
                               " ms");
    }
    const ssize_t n = ::recv(fd_, buffer_.data() + have_, buffer_.size() - have_, 0);
    if (n <= 0) throw std::runtime_error("broker closed the connection during the handshake");
    have_ += static_cast<std::size_t>(n);
    std::size_t off = 0;
    while (!subacked) {
      const auto p = next_packet({buffer_.data() + off, have_ - off});
      if (!p) break;
      off += p->size;
      const std::uint8_t type = p->first_byte & 0xF0U;
      if (type == kConnack) {
        // Section 3.2.2.3: return code 0 = accepted.
        if (p->body.size() != 2 || p->body[1] != 0) {
          throw std::runtime_error(
              "CONNACK refused, return code " +
              std::to_string(p->body.size() == 2 ? static_cast<int>(p->body[1]) : -1));
        }
        connacked = true;
      } else if (type == kSuback) {
        if (!connacked) throw std::runtime_error("SUBACK before CONNACK");
        for (std::size_t i = 2; i < p->body.size(); ++i) {
          if (static_cast<unsigned char>(p->body[i]) == 0x80U) {  // section 3.9.3: failure
            throw std::runtime_error("SUBACK: subscription refused");
          }
        }
        subacked = true;
      }
    }
    // Bytes after the SUBACK (retained messages) stay for the reader thread.
    std::memmove(buffer_.data(), buffer_.data() + off, have_ - off);
    have_ -= off;
  }
}

ThinSubscriber::~ThinSubscriber() {
  stopping_ = true;
  ::shutdown(fd_, SHUT_RDWR);
  if (reader_.joinable()) reader_.join();
  ::close(fd_);
}

std::string ThinSubscriber::error() const {
  std::lock_guard lock(error_mu_);
  return error_;
}

void ThinSubscriber::fail(std::string why) {
  {
    std::lock_guard lock(error_mu_);
    if (!stopping_) error_ = std::move(why);
  }
  connected_ = false;
}

void ThinSubscriber::read_loop() {
  std::string acks;
  try {
    bool pending = have_ > 0;  // retained messages that came with the SUBACK
    while (true) {
      if (pending) {
        pending = false;
        process(std::chrono::steady_clock::now(), acks);
        continue;
      }
      if (have_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // one packet > buffer
      const ssize_t n = ::recv(fd_, buffer_.data() + have_, buffer_.size() - have_, 0);
      if (n == 0) return fail("broker closed the connection");
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(std::string("recv: ") + std::strerror(errno));
      }
      have_ += static_cast<std::size_t>(n);
      process(std::chrono::steady_clock::now(), acks);
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

void ThinSubscriber::process(std::chrono::steady_clock::time_point now, std::string& acks) {
  std::size_t off = 0;
  while (const auto p = next_packet({buffer_.data() + off, have_ - off})) {
    if (dispatch(*p, now, handler_, acks) == kPublish) messages_.fetch_add(1);
    off += p->size;
  }
  std::memmove(buffer_.data(), buffer_.data() + off, have_ - off);
  have_ -= off;
  if (!acks.empty()) {
    write_all(fd_, acks);
    acks.clear();
  }
}

}  // namespace dockgate::bench
