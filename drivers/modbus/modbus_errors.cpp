// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/modbus_errors.hpp"

#include <modbus.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace dockgate::drivers {

int exception_code(int err) {
  if (err >= EMBXILFUN && err <= EMBXGTAR) return err - MODBUS_ENOBASE;
  return 0;
}

FailureKind classify_errno(int err) {
  if (exception_code(err) != 0) return FailureKind::exception;
  switch (err) {
    case ETIMEDOUT:
      return FailureKind::no_response;
    case EMBBADCRC:
    case EMBBADDATA:
    case EMBBADEXC:
    case EMBUNKEXC:
    case EMBMDATA:
    case EMBBADSLAVE:
      return FailureKind::bad_response;
    default:
      return FailureKind::link;
  }
}

std::string exception_name(int code) {
  // Exception names as in the Modbus Application Protocol Specification V1.1b3, section 7
  // (code 9 is unassigned); libmodbus adds 7 "negative acknowledge" from the older spec.
  switch (code) {
    case 1:
      return "illegal function";
    case 2:
      return "illegal data address";
    case 3:
      return "illegal data value";
    case 4:
      return "server device failure";
    case 5:
      return "acknowledge (request accepted, still processing)";
    case 6:
      return "server device busy";
    case 7:
      return "negative acknowledge";
    case 8:
      return "memory parity error";
    case 9:
      return "exception 9 (not defined by the protocol)";
    case 10:
      return "gateway path unavailable";
    case 11:
      return "gateway target device failed to respond";
    default:
      break;
  }
  return "exception " + std::to_string(code);
}

std::string errno_text(int err) {
  if (const int code = exception_code(err); code != 0) return exception_name(code);
  switch (err) {
    case EMBBADCRC:
      return "invalid CRC";
    case EMBBADDATA:
      return "invalid data in the response";
    case EMBBADEXC:
      return "invalid exception code in the response";
    case EMBUNKEXC:
      return "unknown exception code in the response";
    case EMBMDATA:
      return "too many data in the response";
    case EMBBADSLAVE:
      return "response from the wrong unit id";
    case ETIMEDOUT:
      return "no response";
    default:
      break;
  }
  std::array<char, 128> buffer{};
  // GNU strerror_r: returns a pointer to the text (static or in `buffer`), never fails.
  return ::strerror_r(err, buffer.data(), buffer.size());
}

}  // namespace dockgate::drivers
