// SPDX-License-Identifier: Apache-2.0
#include "libmodbus_tcp_server.hpp"

#include <fcntl.h>
#include <modbus.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>

namespace dockgate::drivers::test {
namespace {

constexpr int kBits = 64;
constexpr int kRegisters = 16;
constexpr int kTcpUnitOffset = 6;  // MBAP header: transaction(2) protocol(2) length(2) unit(1)

}  // namespace

LibmodbusTcpServer::LibmodbusTcpServer(std::uint16_t port) : port_(port) {
  ctx_ = modbus_new_tcp("127.0.0.1", port_);
  if (ctx_ == nullptr) throw std::runtime_error("modbus_new_tcp failed");
  start();
}

LibmodbusTcpServer::~LibmodbusTcpServer() {
  stop();
  for (auto& [unit, m] : mappings_) modbus_mapping_free(m);
  modbus_free(ctx_);
}

void LibmodbusTcpServer::start() {
  if (thread_.joinable()) return;
  listen_fd_ = modbus_tcp_listen(ctx_, 8);  // sets SO_REUSEADDR: restart on the same port works
  if (listen_fd_ < 0) {
    throw std::runtime_error("modbus_tcp_listen on port " + std::to_string(port_) +
                             " failed: " + modbus_strerror(errno));
  }
  if (::pipe2(wake_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  thread_ = std::thread([this] { serve(); });
}

void LibmodbusTcpServer::stop() {
  if (!thread_.joinable()) return;
  const char byte = 'x';
  (void)!::write(wake_[1], &byte, 1);
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
  ::close(listen_fd_);
  listen_fd_ = -1;
}

void LibmodbusTcpServer::serve() {
  std::vector<int> clients;
  std::array<std::uint8_t, MODBUS_TCP_MAX_ADU_LENGTH> query{};
  for (;;) {
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(wake_[0], &readable);
    FD_SET(listen_fd_, &readable);
    int top = std::max(wake_[0], listen_fd_);
    for (const int c : clients) {
      FD_SET(c, &readable);
      top = std::max(top, c);
    }
    if (::select(top + 1, &readable, nullptr, nullptr, nullptr) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (FD_ISSET(wake_[0], &readable)) break;
    if (FD_ISSET(listen_fd_, &readable)) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        clients.push_back(fd);
        ++connections_;
      }
    }
    for (auto it = clients.begin(); it != clients.end();) {
      if (!FD_ISSET(*it, &readable)) {
        ++it;
        continue;
      }
      modbus_set_socket(ctx_, *it);
      const int rc = modbus_receive(ctx_, query.data());
      if (rc <= 0) {  // closed by the client, or garbage
        ::close(*it);
        it = clients.erase(it);
        continue;
      }
      ++requests_;
      if (query[kTcpUnitOffset + 1] == MODBUS_FC_WRITE_SINGLE_COIL) ++coil_writes_;
      const int function = query[kTcpUnitOffset + 1];
      const int refuse = refuse_code_;
      if (!mute_ && refuse != 0 && (refuse_function_ == 0 || refuse_function_ == function)) {
        modbus_reply_exception(ctx_, query.data(), static_cast<unsigned int>(refuse));
      } else if (!mute_) {
        std::lock_guard lock(mutex_);
        modbus_reply(ctx_, query.data(), rc, mapping(query[kTcpUnitOffset]));
      }
      ++it;
    }
  }
  for (const int c : clients) ::close(c);
  modbus_set_socket(ctx_, -1);
}

modbus_mapping_t* LibmodbusTcpServer::mapping(int unit) {
  auto& m = mappings_[unit];
  if (m == nullptr) m = modbus_mapping_new(kBits, kBits, kRegisters, kRegisters);
  return m;
}

void LibmodbusTcpServer::set_discrete_input(int unit, int address, bool value) {
  std::lock_guard lock(mutex_);
  mapping(unit)->tab_input_bits[address] = value ? 1 : 0;
}

void LibmodbusTcpServer::set_coil(int unit, int address, bool value) {
  std::lock_guard lock(mutex_);
  mapping(unit)->tab_bits[address] = value ? 1 : 0;
}

void LibmodbusTcpServer::set_holding_register(int unit, int address, std::uint16_t value) {
  std::lock_guard lock(mutex_);
  mapping(unit)->tab_registers[address] = value;
}

void LibmodbusTcpServer::set_input_register(int unit, int address, std::uint16_t value) {
  std::lock_guard lock(mutex_);
  mapping(unit)->tab_input_registers[address] = value;
}

bool LibmodbusTcpServer::coil(int unit, int address) {
  std::lock_guard lock(mutex_);
  return mapping(unit)->tab_bits[address] != 0;
}

}  // namespace dockgate::drivers::test
