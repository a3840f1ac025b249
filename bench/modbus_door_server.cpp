// SPDX-License-Identifier: Apache-2.0
#include "bench/modbus_door_server.hpp"

#include <fcntl.h>
#include <modbus.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

namespace dockgate::bench {
namespace {

constexpr int kBits = 8;
constexpr int kRegisters = 8;
constexpr int kTcpUnitOffset = 6;  // MBAP header: transaction(2) protocol(2) length(2) unit(1)

void check_unit(int unit) {
  if (unit < 1 || unit > ModbusDoorServer::kMaxUnit) {
    throw std::out_of_range("unit id " + std::to_string(unit) + " outside 1..247");
  }
}

}  // namespace

ModbusDoorServer::ModbusDoorServer(std::uint16_t port) : port_(port) {
  ctx_ = modbus_new_tcp("127.0.0.1", port_);
  if (ctx_ == nullptr) throw std::runtime_error("modbus_new_tcp failed");
  listen_fd_ = modbus_tcp_listen(ctx_, 16);
  if (listen_fd_ < 0) {
    const int err = errno;
    modbus_free(ctx_);
    throw std::runtime_error("modbus_tcp_listen on 127.0.0.1:" + std::to_string(port_) +
                             " failed: " + modbus_strerror(err));
  }
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(listen_fd_);
    modbus_free(ctx_);
    throw std::runtime_error("pipe2 failed");
  }
  thread_ = std::thread([this] { serve(); });
}

ModbusDoorServer::~ModbusDoorServer() {
  const char byte = 'x';
  (void)!::write(wake_[1], &byte, 1);
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
  ::close(listen_fd_);
  for (auto& [unit, m] : mappings_) modbus_mapping_free(m);
  modbus_free(ctx_);
}

void ModbusDoorServer::serve() {
  std::vector<pollfd> fds;
  std::vector<std::uint8_t> query(MODBUS_TCP_MAX_ADU_LENGTH);
  fds.push_back({wake_[0], POLLIN, 0});
  fds.push_back({listen_fd_, POLLIN, 0});
  for (;;) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if ((fds[0].revents & POLLIN) != 0) break;
    if ((fds[1].revents & POLLIN) != 0) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        fds.push_back({fd, POLLIN, 0});
        ++connections_;
      }
    }
    for (std::size_t i = 2; i < fds.size();) {
      if (fds[i].revents == 0) {
        ++i;
        continue;
      }
      modbus_set_socket(ctx_, fds[i].fd);
      const int rc = modbus_receive(ctx_, query.data());
      if (rc <= 0) {  // closed by the client, or garbage: drop the connection
        ::close(fds[i].fd);
        fds.erase(fds.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      const auto now = Clock::now();
      const int unit = query[kTcpUnitOffset];
      const int function = query[kTcpUnitOffset + 1];
      const bool read =
          function >= MODBUS_FC_READ_COILS && function <= MODBUS_FC_READ_INPUT_REGISTERS;
      if (read && unit >= 1 && unit <= kMaxUnit) {
        ++reads_[static_cast<std::size_t>(unit)];
        ++reads_total_;
      } else {
        ++other_requests_;
      }
      {
        std::lock_guard lock(mutex_);
        if (read && unit >= 1 && unit <= kMaxUnit && changed_[static_cast<std::size_t>(unit)]) {
          changed_[static_cast<std::size_t>(unit)] = false;
          read_after_[static_cast<std::size_t>(unit)] = now;
        }
        // Out of memory: no answer (the client times out) rather than a crash of the thread.
        if (modbus_mapping_t* m = mapping(unit); m != nullptr) {
          modbus_reply(ctx_, query.data(), rc, m);
        }
      }
      ++i;
    }
  }
  for (std::size_t i = 2; i < fds.size(); ++i) ::close(fds[i].fd);
  modbus_set_socket(ctx_, -1);
}

modbus_mapping_t* ModbusDoorServer::mapping(int unit) {
  auto& m = mappings_[unit];
  if (m == nullptr) m = modbus_mapping_new(kBits, kBits, kRegisters, kRegisters);
  return m;  // nullptr only when out of memory
}

ModbusDoorServer::Clock::time_point ModbusDoorServer::set_discrete_input(int unit, int address,
                                                                         bool value) {
  check_unit(unit);
  if (address < 0 || address >= kBits) {
    throw std::out_of_range("discrete input " + std::to_string(address) + " outside 0..7");
  }
  std::lock_guard lock(mutex_);
  modbus_mapping_t* m = mapping(unit);
  if (m == nullptr) throw std::runtime_error("modbus_mapping_new failed (out of memory)");
  m->tab_input_bits[address] = value ? 1 : 0;
  changed_[static_cast<std::size_t>(unit)] = true;
  read_after_[static_cast<std::size_t>(unit)] = {};
  return Clock::now();
}

ModbusDoorServer::Clock::time_point ModbusDoorServer::first_read_after_change(int unit) {
  check_unit(unit);
  std::lock_guard lock(mutex_);
  return read_after_[static_cast<std::size_t>(unit)];
}

std::uint64_t ModbusDoorServer::reads(int unit) const {
  check_unit(unit);
  return reads_[static_cast<std::size_t>(unit)].load();
}

}  // namespace dockgate::bench
