// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/modbus_link.hpp"

#include <modbus.h>
#include <netdb.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <cerrno>
#include <utility>

namespace dockgate::drivers {
namespace {

bool is_ip_literal(const std::string& host) {
  in6_addr v6{};
  in_addr v4{};
  return ::inet_pton(AF_INET, host.c_str(), &v4) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

LinkFailure failure(int err) {
  return LinkFailure{classify_errno(err), err, errno_text(err)};
}

}  // namespace

ModbusLink::ModbusLink(ModbusBusOptions options) : options_(std::move(options)) {}

ModbusLink::~ModbusLink() {
  close();
  if (ctx_ != nullptr) modbus_free(ctx_);
}

std::optional<std::string> ModbusLink::open() {
  if (open_) return std::nullopt;
  if (ctx_ == nullptr) {
    if (options_.transport == ModbusTransport::tcp) {
      const std::string service = std::to_string(options_.port);
      ctx_ = modbus_new_tcp_pi(options_.host.c_str(), service.c_str());
    } else {
      ctx_ = modbus_new_rtu(options_.device.c_str(), static_cast<int>(options_.baud),
                            options_.parity, options_.data_bits, options_.stop_bits);
    }
    if (ctx_ == nullptr) return "cannot create a libmodbus context: " + errno_text(errno);
    const auto ms = options_.response_timeout.count();
    // libmodbus: usec must stay below 1e6 and not both be 0 (the config allows >= 10 ms).
    modbus_set_response_timeout(ctx_, static_cast<std::uint32_t>(ms / 1000),
                                static_cast<std::uint32_t>((ms % 1000) * 1000));
    modbus_set_error_recovery(ctx_, MODBUS_ERROR_RECOVERY_NONE);
  }
  if (modbus_connect(ctx_) != 0) {
    const int err = errno;
    return connect_failure(err);
  }
  if (options_.transport == ModbusTransport::rtu) {
    // flock() stops a second dockgate (even as root); TIOCEXCL makes every other non-root
    // open() fail with EBUSY. flock first, so a losing opener never touches the tty flag.
    const int fd = modbus_get_socket(ctx_);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno == EWOULDBLOCK ? EBUSY : errno;
      modbus_close(ctx_);
      return "lock failed: " + errno_text(err) +
             " (another program has the port open: check "
             "with 'fuser " +
             options_.device + "')";
    }
    if (::ioctl(fd, TIOCEXCL) != 0) {
      const int err = errno;
      modbus_close(ctx_);
      return "lock failed: " + errno_text(err);
    }
    modbus_flush(ctx_);  // bytes from before the open are not an answer
  }
  open_ = true;
  return std::nullopt;
}

std::string ModbusLink::connect_failure(int err) const {
  if (options_.transport == ModbusTransport::rtu) {
    std::string text = "open failed: " + errno_text(err);
    if (err == ENOENT) text += " (not plugged in?)";
    if (err == EACCES) text += " (add the service user to the 'dialout' group)";
    if (err == EBUSY) text += " (another program has the port open)";
    return text;
  }
  // libmodbus 3.1.6 leaves EINPROGRESS when its connect select() times out, and reports a
  // failed name lookup as ECONNREFUSED: look the name up again to say which it was.
  if (err == EINPROGRESS || err == ETIMEDOUT) {
    return "connect failed: no answer within " + std::to_string(options_.response_timeout.count()) +
           " ms";
  }
  if (err == ECONNREFUSED && !is_ip_literal(options_.host)) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int rc = ::getaddrinfo(options_.host.c_str(), nullptr, &hints, &found);
    if (found != nullptr) ::freeaddrinfo(found);
    if (rc != 0) {
      return "cannot resolve host '" + options_.host + "': " + ::gai_strerror(rc);
    }
  }
  return "connect failed: " + errno_text(err);
}

void ModbusLink::close() {
  if (ctx_ != nullptr && open_) modbus_close(ctx_);
  open_ = false;
}

void ModbusLink::flush() {
  if (ctx_ != nullptr && open_) modbus_flush(ctx_);
}

std::optional<LinkFailure> ModbusLink::select_unit(int unit) {
  if (modbus_set_slave(ctx_, unit) != 0) {
    const int err = errno;
    // The config refuses unit ids libmodbus does not take; EINVAL here is a bug, not the bus.
    return LinkFailure{FailureKind::exception, err,
                       "unit id " + std::to_string(unit) + " refused by libmodbus"};
  }
  return std::nullopt;
}

std::optional<LinkFailure> ModbusLink::read(int unit, const ReadGroup& group,
                                            std::vector<std::uint16_t>& out) {
  if (!open_) return failure(EBADF);
  if (auto f = select_unit(unit)) return f;
  const int count = group.count;
  out.assign(group.count, 0);
  int rc = -1;
  switch (group.source) {
    case PointSource::coil:
    case PointSource::discrete_input:
      bits_.assign(group.count, 0);
      rc = group.source == PointSource::coil
               ? modbus_read_bits(ctx_, group.start, count, bits_.data())
               : modbus_read_input_bits(ctx_, group.start, count, bits_.data());
      if (rc == count) {
        for (std::size_t i = 0; i < bits_.size(); ++i) out[i] = bits_[i] != 0 ? 1 : 0;
      }
      break;
    case PointSource::holding_register:
      rc = modbus_read_registers(ctx_, group.start, count, out.data());
      break;
    case PointSource::input_register:
      rc = modbus_read_input_registers(ctx_, group.start, count, out.data());
      break;
  }
  if (rc == count) return std::nullopt;
  return failure(rc < 0 ? errno : EMBBADDATA);
}

std::optional<LinkFailure> ModbusLink::write_coil(int unit, std::uint16_t address, bool on) {
  if (!open_) return failure(EBADF);
  if (auto f = select_unit(unit)) return f;
  if (modbus_write_bit(ctx_, address, on ? TRUE : FALSE) == 1) return std::nullopt;
  return failure(errno);
}

}  // namespace dockgate::drivers
