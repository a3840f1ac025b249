// SPDX-License-Identifier: Apache-2.0
#include "uplink/paho_bridge.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <mutex>

namespace dockgate::uplink {

/// Shared with the Paho-side closures: the io_context pointer is cleared by close(), after
/// which late callbacks have nowhere to go and are dropped.
struct PahoBridge::Core {
  std::mutex mu;
  boost::asio::io_context* io = nullptr;
  BridgeHandlers handlers;

  void post(std::function<void()> fn) {
    std::lock_guard lock(mu);
    if (io != nullptr) boost::asio::post(*io, std::move(fn));
  }

  // Received messages go to the owner directly on Paho's thread (no hop through the
  // io_context, whose thread may be busy, e.g. probing TLS). Called under msg_mu, so
  // close_messages() returns only once no call runs. `msg_closed` is checked first: a
  // std::mutex is not fair, and under a flood Paho's thread would win it again and again
  // against close_messages() (seen in tests: several calls after stop() was entered).
  std::atomic<bool> msg_closed{false};
  std::mutex msg_mu;
  MessageFn on_message;  // empty once closed

  void deliver(InboundMessage message) {
    if (msg_closed.load()) return;
    std::lock_guard lock(msg_mu);
    if (msg_closed.load() || !on_message) return;
    // An exception must not unwind into Paho C; the contract says "must not throw".
    try {
      on_message(std::move(message));
    } catch (const std::exception& e) {
      spdlog::error("uplink: message callback threw (message dropped): {}", e.what());
    } catch (...) {
      spdlog::error("uplink: message callback threw (message dropped)");
    }
  }
};

class PahoBridge::Listener : public mqtt::iaction_listener {
 public:
  enum class Kind { connect, publish, status, disconnect, subscribe };
  Listener(std::shared_ptr<Core> core, Kind kind) : core_(std::move(core)), kind_(kind) {}

  void on_success(const mqtt::token& tok) override { forward(tok, true); }
  void on_failure(const mqtt::token& tok) override { forward(tok, false); }

 private:
  /// The MQTT 5 reason code of a completed token. Paho C++ 1.2.0 keeps it in the token's
  /// reason code on success, but on a failed connect Paho C passes the CONNACK reason code
  /// as the return code (e.g. rc 135 = 0x87) and leaves the reason code at 0.
  static int reason_code_of(const mqtt::token& tok) {
    const int reason = static_cast<int>(tok.get_reason_code());
    const int rc = tok.get_return_code();
    if (reason >= 0x80 && reason < mqtt::ReasonCode::MQTTPP_V3_CODE) return reason;
    if (rc >= 0x80 && rc < mqtt::ReasonCode::MQTTPP_V3_CODE) return rc;
    return reason;
  }

  static ConnectResult connect_result(const mqtt::token& tok, bool ok) {
    ConnectResult r;
    r.ok = ok;
    r.rc = tok.get_return_code();
    r.reason_code = reason_code_of(tok);
    if (!ok) return r;
    try {
      // The token is complete when its listener runs, so this does not wait.
      const auto props = tok.get_connect_response().get_properties();
      if (props.contains(mqtt::property::RECEIVE_MAXIMUM)) {
        r.receive_maximum = mqtt::get<uint16_t>(props, mqtt::property::RECEIVE_MAXIMUM);
      }
      if (props.contains(mqtt::property::MAXIMUM_PACKET_SIZE)) {
        r.maximum_packet_size = mqtt::get<uint32_t>(props, mqtt::property::MAXIMUM_PACKET_SIZE);
      }
    } catch (const std::exception&) {  // no response (3.1.1): no limits announced
    }
    return r;
  }

  /// Paho C 1.3.12 reports a SUBACK that refuses the only filter of a SUBSCRIBE through the
  /// *failure* callback: under MQTT 5 with the reason code in the token's reason code (return
  /// code 0), under 3.1.1 with 0x80 as the return code (Paho C++ then sets the reason code to
  /// MQTTPP_V3_CODE). A granted filter arrives through the success callback with the granted
  /// QoS as the single code of the subscribe response.
  static SubscribeResult subscribe_result(const mqtt::token& tok, bool ok) {
    SubscribeResult r;
    r.ok = ok;
    r.rc = tok.get_return_code();
    if (ok) {
      try {
        // The token is complete when its listener runs, so this does not wait.
        const auto codes = tok.get_subscribe_response().get_reason_codes();
        if (!codes.empty()) r.suback = static_cast<int>(codes.front());
      } catch (const std::exception&) {  // no response: treated as "no SUBACK"
      }
      return r;
    }
    const int reason = static_cast<int>(tok.get_reason_code());
    if (reason >= 0x80 && reason < mqtt::ReasonCode::MQTTPP_V3_CODE) {
      r.suback = reason;
    } else if (r.rc >= 0x80 && r.rc <= 0xFF) {
      r.suback = r.rc;
    }
    return r;
  }

  void forward(const mqtt::token& tok, bool ok) {
    const int rc = tok.get_return_code();
    const std::uint64_t id = from_context(tok.get_user_context());
    auto keep = core_;  // the posted closure keeps the handlers alive
    Core* core = keep.get();
    switch (kind_) {
      case Kind::connect:
        core->post([keep, r = connect_result(tok, ok)] { keep->handlers.on_connect(r); });
        break;
      case Kind::publish: {
        const PublishResult r{ok, rc, reason_code_of(tok)};
        core->post([keep, id, r] { keep->handlers.on_publish(id, r); });
        break;
      }
      case Kind::status:
        core->post([keep, id, ok] { keep->handlers.on_status(id, ok); });
        break;
      case Kind::disconnect:
        core->post([keep, ok] { keep->handlers.on_disconnect(ok); });
        break;
      case Kind::subscribe:
        core->post(
            [keep, id, r = subscribe_result(tok, ok)] { keep->handlers.on_subscribe(id, r); });
        break;
    }
  }

  std::shared_ptr<Core> core_;
  Kind kind_;
};

PahoBridge::PahoBridge(boost::asio::io_context& io, BridgeHandlers handlers)
    : core_(std::make_shared<Core>()) {
  core_->io = &io;
  core_->handlers = std::move(handlers);
  connect_ = std::make_unique<Listener>(core_, Listener::Kind::connect);
  publish_ = std::make_unique<Listener>(core_, Listener::Kind::publish);
  status_ = std::make_unique<Listener>(core_, Listener::Kind::status);
  disconnect_ = std::make_unique<Listener>(core_, Listener::Kind::disconnect);
  subscribe_ = std::make_unique<Listener>(core_, Listener::Kind::subscribe);
}

PahoBridge::~PahoBridge() {
  close();
}

void PahoBridge::attach(mqtt::async_client& client, MessageFn on_message) {
  auto core = core_;
  client.set_connection_lost_handler([core](const std::string& cause) {
    core->post([core, cause] { core->handlers.on_connection_lost(cause); });
  });
  if (!on_message) return;
  {
    std::lock_guard lock(core->msg_mu);
    core->on_message = std::move(on_message);
  }
  // Paho C calls this on its receive thread, one message at a time, in arrival order, and
  // sends the QoS 1 PUBACK once it returned (Paho C++ always answers "delivered").
  client.set_message_callback([core](const mqtt::const_message_ptr& msg) {
    if (!msg) return;
    core->deliver(InboundMessage{msg->get_topic(), msg->to_string(), msg->is_retained()});
  });
}

void PahoBridge::close_messages() {
  core_->msg_closed.store(true);        // no call starts from here on
  std::lock_guard lock(core_->msg_mu);  // a running one ends first
  core_->on_message = nullptr;
}

void PahoBridge::close() {
  close_messages();
  std::lock_guard lock(core_->mu);
  core_->io = nullptr;
}

mqtt::iaction_listener& PahoBridge::connect_listener() {
  return *connect_;
}
mqtt::iaction_listener& PahoBridge::publish_listener() {
  return *publish_;
}
mqtt::iaction_listener& PahoBridge::status_listener() {
  return *status_;
}
mqtt::iaction_listener& PahoBridge::disconnect_listener() {
  return *disconnect_;
}
mqtt::iaction_listener& PahoBridge::subscribe_listener() {
  return *subscribe_;
}

void* PahoBridge::to_context(std::uint64_t id) {
  // Paho's user context is an opaque void*; it carries a number and is never dereferenced.
  return reinterpret_cast<void*>(  // NOLINT(performance-no-int-to-ptr)
      static_cast<std::uintptr_t>(id));
}

std::uint64_t PahoBridge::from_context(void* ctx) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(ctx));
}

}  // namespace dockgate::uplink
