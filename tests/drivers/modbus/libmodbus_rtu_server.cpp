// SPDX-License-Identifier: Apache-2.0
#include "libmodbus_rtu_server.hpp"

#include <fcntl.h>
#include <modbus.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <vector>

namespace dockgate::drivers::test {
namespace {

constexpr std::size_t kFrame = 8;  // unit, function, address(2), count/value(2), CRC(2)

// CRC-16/MODBUS (Modbus over Serial Line V1.02, section 6.2.2): poly 0xA001 reflected,
// init 0xFFFF, sent low byte first.
std::uint16_t crc16(const std::uint8_t* data, std::size_t n) {
  std::uint16_t crc = 0xFFFF;
  for (std::size_t i = 0; i < n; ++i) {
    crc = static_cast<std::uint16_t>(crc ^ data[i]);
    for (int b = 0; b < 8; ++b) {
      crc = (crc & 1U) != 0 ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001U)
                            : static_cast<std::uint16_t>(crc >> 1);
    }
  }
  return crc;
}

}  // namespace

LibmodbusRtuServer::LibmodbusRtuServer(const std::string& device, int unit) : unit_(unit) {
  ctx_ = modbus_new_rtu(device.c_str(), 9600, 'N', 8, 1);
  if (ctx_ == nullptr) throw std::runtime_error("modbus_new_rtu failed");
  modbus_set_slave(ctx_, unit_);
  if (modbus_connect(ctx_) != 0) {
    modbus_free(ctx_);
    throw std::runtime_error("cannot open " + device);
  }
  mapping_ = modbus_mapping_new(64, 64, 16, 16);
  if (::pipe2(wake_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  thread_ = std::thread([this] { serve(); });
}

LibmodbusRtuServer::~LibmodbusRtuServer() {
  const char byte = 'x';
  (void)!::write(wake_[1], &byte, 1);
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
  modbus_close(ctx_);
  modbus_free(ctx_);
  modbus_mapping_free(mapping_);
}

void LibmodbusRtuServer::serve() {
  std::vector<std::uint8_t> pending;
  std::array<std::uint8_t, 256> chunk{};
  const int fd = modbus_get_socket(ctx_);
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{wake_[0], POLLIN, 0}, pollfd{fd, POLLIN, 0}};
    // A partial frame older than 100 ms is line noise or a cut request: drop it.
    const int rc = ::poll(fds.data(), fds.size(), pending.empty() ? -1 : 100);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[0].revents & POLLIN) != 0) break;
    if (rc == 0) {
      pending.clear();
      continue;
    }
    const ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // the other end is gone (socat ended): nothing more to serve
    pending.insert(pending.end(), chunk.begin(), chunk.begin() + n);
    while (pending.size() >= kFrame) {
      std::array<std::uint8_t, kFrame> frame{};
      std::copy_n(pending.begin(), kFrame, frame.begin());
      pending.erase(pending.begin(), pending.begin() + kFrame);
      const std::uint16_t crc = crc16(frame.data(), kFrame - 2);
      if (frame[6] != (crc & 0xFF) || frame[7] != (crc >> 8)) {
        pending.clear();  // out of step: wait for the next request
        break;
      }
      if (frame[0] != unit_) {
        ++ignored_;
        continue;
      }
      std::lock_guard lock(mutex_);
      modbus_reply(ctx_, frame.data(), static_cast<int>(kFrame), mapping_);
      ++answered_;
    }
  }
}

void LibmodbusRtuServer::set_discrete_input(int address, bool value) {
  std::lock_guard lock(mutex_);
  mapping_->tab_input_bits[address] = value ? 1 : 0;
}

bool LibmodbusRtuServer::coil(int address) {
  std::lock_guard lock(mutex_);
  return mapping_->tab_bits[address] != 0;
}

}  // namespace dockgate::drivers::test
