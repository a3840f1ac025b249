// SPDX-License-Identifier: Apache-2.0
#include "drivers/tcp_scanner/tcp_scanner.hpp"

#include "drivers/tcp_scanner/tcp_client_scanner.hpp"
#include "drivers/tcp_scanner/tcp_options.hpp"
#include "drivers/tcp_scanner/tcp_server_scanner.hpp"

namespace dockgate::drivers {

DriverType tcp_scanner_type() {
  return DriverType{
      "tcp_scanner",
      "Network barcode scanner over TCP, one scan per line; dockgate as client or as server",
      [](config::MapReader& keys) -> DriverFactory {
        TcpOptions options;
        read_tcp_options(keys, options);
        return [options](const DriverContext& context) -> std::unique_ptr<Driver> {
          if (options.mode == TcpMode::server) {
            return std::make_unique<TcpServerScanner>(context, options);
          }
          return std::make_unique<TcpClientScanner>(context, options);
        };
      }};
}

}  // namespace dockgate::drivers
