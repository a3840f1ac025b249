// SPDX-License-Identifier: Apache-2.0
// What a failed libmodbus call means, from its errno. modbus_strerror() uses a static buffer
// and is not thread-safe (several bus workers run at once), so the texts are built here.
#pragma once

#include <string>

namespace dockgate::drivers {

/// How a failed request affects the bus and the door that made it.
enum class FailureKind {
  exception,     ///< the device answered with a Modbus exception (EMBX*): this door's problem
  no_response,   ///< ETIMEDOUT: no complete answer within response_timeout
  bad_response,  ///< an answer that does not fit the request (EMBBADCRC, EMBBADDATA, ...)
  link,          ///< the connection or serial device failed (ECONNRESET, EPIPE, EBADF, EIO, ...)
};

/// Classifies the errno left by a failed libmodbus call.
FailureKind classify_errno(int err);

/// Readable text for an errno left by libmodbus: the Modbus exception name for EMBX* (e.g.
/// "illegal data address"; Modbus Application Protocol V1.1b3 section 7), a description for
/// libmodbus' own codes ("invalid CRC"), otherwise the system text (strerror_r). Thread-safe.
std::string errno_text(int err);

/// The Modbus exception code behind an EMBX* errno (1..11), or 0 for any other errno.
int exception_code(int err);

/// The name of Modbus exception `code` (1..11; section 7 of the application protocol V1.1b3),
/// e.g. "illegal data address"; "exception N" for other codes.
std::string exception_name(int code);

}  // namespace dockgate::drivers
