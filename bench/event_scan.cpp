// SPDX-License-Identifier: Apache-2.0
#include "bench/event_scan.hpp"

#include <nlohmann/json.hpp>

namespace dockgate::bench {
namespace {

constexpr std::string_view kEpcList = R"("epcList":[")";
constexpr std::string_view kEventSeq = R"("dg:gatewaySeq":)";
constexpr std::string_view kExceptionSeq = R"("gatewaySeq":)";
constexpr std::string_view kSsccPath = "/00/";
constexpr std::size_t kSsccDigits = 18;

std::optional<std::uint64_t> number_at(std::string_view s, std::size_t pos) {
  std::uint64_t v = 0;
  std::size_t digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && digits < 20) {
    v = v * 10 + static_cast<std::uint64_t>(s[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return v;
}

/// `epc` is a GS1 Digital Link URI; SSCC = the 18 digits after "/00/". sscc(n) puts n in
/// digits 8..16 (extension digit, 7-digit company prefix 4012345, then 9 digits of n).
std::uint64_t serial_of(std::string_view epc) {
  const std::size_t at = epc.rfind(kSsccPath);
  if (at == std::string_view::npos || epc.size() - at - kSsccPath.size() != kSsccDigits) {
    return kNoSerial;
  }
  const std::string_view digits = epc.substr(at + kSsccPath.size() + 8, 9);
  const auto n = number_at(digits, 0);
  return n ? *n : kNoSerial;
}

}  // namespace

void scan_events(std::string_view document, std::vector<ScannedEvent>& out) {
  std::size_t pos = 0;
  while (true) {
    const std::size_t seq_at = document.find(kEventSeq, pos);
    if (seq_at == std::string_view::npos) return;
    ScannedEvent e;
    // This event's epcList, if any, lies between the previous event's end and its seq.
    const std::size_t epc_at = document.find(kEpcList, pos);
    if (epc_at != std::string_view::npos && epc_at < seq_at) {
      const std::size_t start = epc_at + kEpcList.size();
      const std::size_t end = document.find('"', start);
      if (end != std::string_view::npos) e.serial = serial_of(document.substr(start, end - start));
    }
    const auto seq = number_at(document, seq_at + kEventSeq.size());
    pos = seq_at + kEventSeq.size();
    if (!seq) continue;
    e.gateway_seq = *seq;
    out.push_back(e);
  }
}

std::optional<std::uint64_t> exception_seq(std::string_view message) {
  const std::size_t at = message.find(kExceptionSeq);
  if (at == std::string_view::npos) return std::nullopt;
  return number_at(message, at + kExceptionSeq.size());
}

std::string check_document(std::string_view document) {
  const auto doc = nlohmann::json::parse(document, nullptr, false);
  if (doc.is_discarded()) return "not JSON";
  if (doc.value("type", "") != "EPCISDocument") return "type is not EPCISDocument";
  if (doc.value("schemaVersion", "") != "2.0") return "schemaVersion is not 2.0";
  const auto list = doc.contains("epcisBody")
                        ? doc["epcisBody"].value("eventList", nlohmann::json())
                        : nlohmann::json();
  if (!list.is_array() || list.empty()) return "no epcisBody.eventList";
  std::vector<ScannedEvent> scanned;
  scan_events(document, scanned);
  if (scanned.size() != list.size()) {
    return "scan found " + std::to_string(scanned.size()) + " events, JSON has " +
           std::to_string(list.size());
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& e = list[i];
    if (!e.contains("dg:gatewaySeq") ||
        e["dg:gatewaySeq"].get<std::uint64_t>() != scanned[i].gateway_seq) {
      return "event " + std::to_string(i) + ": dg:gatewaySeq differs";
    }
    const bool has_epc = e.contains("epcList") && !e["epcList"].empty();
    const std::uint64_t want = has_epc ? serial_of(e["epcList"][0].get<std::string>()) : kNoSerial;
    if (want != scanned[i].serial) return "event " + std::to_string(i) + ": serial differs";
  }
  return "";
}

}  // namespace dockgate::bench
