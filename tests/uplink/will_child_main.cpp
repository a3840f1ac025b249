// SPDX-License-Identifier: Apache-2.0
// Helper process for the will test: runs a publisher until it is killed.
// Usage: uplink_will_child <broker uri> <outbox path> <prefix> <site> <gateway>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

#include "buffer/outbox.hpp"
#include "uplink/publisher.hpp"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  using namespace dockgate;
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s <uri> <outbox> <prefix> <site> <gateway>\n", argv[0]);
    return 2;
  }
  try {
    buffer::OutboxOptions oo;
    oo.path = argv[2];
    auto outbox = buffer::Outbox::open(oo);
    uplink::MqttOptions mo;
    mo.uri = argv[1];
    mo.keepalive = 1s;
    mo.reconnect_min = 50ms;
    mo.reconnect_max = 200ms;
    auto publisher = uplink::Publisher::create(
        mo, uplink::make_topics(argv[3], argv[4], argv[5]), "9.9.9-child", *outbox, argv[2],
        [](std::span<const buffer::StoredRecord> rows) { return std::to_string(rows.size()); }, {});
    publisher->start();
    std::puts("started");
    std::fflush(stdout);
    while (true) std::this_thread::sleep_for(1s);  // until SIGKILL
  } catch (const std::exception& e) {
    std::fprintf(stderr, "uplink_will_child: %s\n", e.what());
    return 1;
  }
}
