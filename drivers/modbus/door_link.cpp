// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/door_link.hpp"

#include <boost/asio/post.hpp>

namespace dockgate::drivers {

void DoorLink::deliver(PollResult result) {
  std::lock_guard lock(mutex_);
  if (io_ == nullptr) return;
  boost::asio::post(*io_, [receiver = receiver_, result = std::move(result)]() mutable {
    if (auto r = receiver.lock()) r->on_poll(std::move(result));
  });
}

void DoorLink::deliver(WriteFailure failure) {
  std::lock_guard lock(mutex_);
  if (io_ == nullptr) return;
  boost::asio::post(*io_, [receiver = receiver_, failure = std::move(failure)]() mutable {
    if (auto r = receiver.lock()) r->on_write_failed(std::move(failure));
  });
}

void DoorLink::detach() {
  std::lock_guard lock(mutex_);
  io_ = nullptr;
}

}  // namespace dockgate::drivers
