// SPDX-License-Identifier: Apache-2.0
// `type: tcp_scanner`: network barcode scanners, as client (TcpClientScanner) or server
// (TcpServerScanner). See drivers/tcp_scanner/README.md.
#pragma once

#include "drivers/driver.hpp"

namespace dockgate::drivers {

/// Registry entry: name "tcp_scanner", its help line and key parser; the factory builds a
/// TcpClientScanner or TcpServerScanner according to `mode`.
DriverType tcp_scanner_type();

}  // namespace dockgate::drivers
