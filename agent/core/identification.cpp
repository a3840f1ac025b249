// SPDX-License-Identifier: Apache-2.0
#include "agent/core/identification.hpp"

#include <cstdlib>

#include "agent/gs1/parse.hpp"

namespace dockgate {
namespace {

std::optional<double> count_of(const gs1::ParseResult& p) {
  for (const char* ai : {"37", "30"}) {
    if (const auto* v = p.find(ai)) {
      char* end = nullptr;
      const double d = std::strtod(v->c_str(), &end);
      if (end != v->c_str() && *end == '\0') return d;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Identification> identify(const gs1::ParseResult& parsed, const std::string& site_gln,
                                       std::string& error) {
  Identification id;
  const std::string* sscc = parsed.find("00");
  const std::string* gtin = parsed.find("01");
  const std::string* contents = parsed.find("02");
  const std::string* serial = parsed.find("21");
  const std::string* lot = parsed.find("10");
  const auto count = count_of(parsed);

  if (sscc != nullptr) id.epcs.push_back(gs1::digital_link("00", *sscc));
  if (gtin != nullptr) {
    if (serial != nullptr) {
      id.epcs.push_back(gs1::digital_link("01", *gtin, {{"21", *serial}}));
    } else {
      std::vector<gs1::AiValue> q;
      if (lot != nullptr) q.push_back({"10", *lot});
      id.quantities.push_back({gs1::digital_link("01", *gtin, q), count.value_or(1.0), ""});
    }
  }
  // AI 02 names the trade items inside a logistic unit; with AI 37 it says how many.
  if (contents != nullptr) {
    std::vector<gs1::AiValue> q;
    if (lot != nullptr) q.push_back({"10", *lot});
    id.quantities.push_back({gs1::digital_link("01", *contents, q), count.value_or(1.0), ""});
  }
  for (const auto& [ai, value] : parsed.ais) {
    if (ai == "8003" || ai == "8004") {
      // GRAI / GIAI: returnable and individual assets, e.g. a trailer or swap body tag.
      id.epcs.push_back(gs1::digital_link(ai, value));
    } else if (ai == "400") {
      std::string uri = "urn:epcglobal:cbv:bt:";
      uri.append(site_gln).append(":").append(value);
      id.biz_transactions.push_back({"po", std::move(uri)});
    } else if (ai == "401" || ai == "402") {
      id.biz_transactions.push_back({"bol", gs1::digital_link(ai, value)});
    } else if (ai == "410") {
      id.destinations.push_back({"location", gs1::digital_link("414", value)});
    }
  }
  if (id.epcs.empty() && id.quantities.empty()) {
    std::string have;
    for (const auto& a : parsed.ais) have += (have.empty() ? "" : ", ") + ("(" + a.ai + ")");
    error =
        "no object identifier: expected AI (00) SSCC, (01) GTIN, (02), (8003) GRAI or (8004) GIAI; "
        "found " +
        (have.empty() ? std::string("no AI") : have);
    return std::nullopt;
  }
  id.source = "gs1";
  return id;
}

}  // namespace dockgate
