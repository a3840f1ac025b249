// SPDX-License-Identifier: Apache-2.0
// metrics: the Prometheus endpoint (docs/operations.md, "Metrics"). Keys, defaults and help
// text live here; the struct is agent/runtime/metrics_options.hpp.
#include "config/sections.hpp"

namespace dockgate::config::detail {

void read_metrics(MapReader& root, runtime::MetricsOptions& out) {
  MapReader r = root.child(
      "metrics",
      "Prometheus scrape endpoint served by the daemon (text format 0.0.4): GET /metrics "
      "on `listen`.");
  if (r.optional("listen", out.listen,
                 "address:port to serve /metrics on (plain HTTP). Loopback by default; "
                 "\"0.0.0.0:9464\" lets a central Prometheus scrape the gateway (firewall it). "
                 "\"\" turns the endpoint off.") &&
      !out.listen.empty()) {
    runtime::ListenAddress parsed;
    report(r, "listen", runtime::parse_listen_address(out.listen, parsed));
  }
  r.finish();
}

}  // namespace dockgate::config::detail
