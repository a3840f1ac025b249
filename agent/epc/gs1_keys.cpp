// SPDX-License-Identifier: Apache-2.0
// EPC -> GS1 keys. TDS 1.13 section 7: SGTIN (GTIN = indicator + company prefix + item
// reference + check digit), SSCC (extension + prefix + serial reference + check), SGLN
// (GLN + extension, "0" = no extension), GRAI ("0" + prefix + asset type + check +
// serial), GIAI, GSRN, GDTI. Check digits: GS General
// Specifications 7.9.1, via gs1::check_digit.
#include "agent/epc/gs1_keys.hpp"

#include "agent/gs1/parse.hpp"

namespace dockgate::epc::detail {
namespace {

std::string with_check(const std::string& digits) {
  return digits + gs1::check_digit(digits);
}

}  // namespace

std::vector<gs1::AiValue> to_ais(Key key, const Fields& f) {
  switch (key) {
    case Key::kSgtin: {
      // The indicator digit is stored in front of the item reference.
      const std::string body = f.field.substr(0, 1) + f.gcp + f.field.substr(1);
      return {{"01", with_check(body)}, {"21", f.serial}};
    }
    case Key::kSscc:
      return {{"00", with_check(f.field.substr(0, 1) + f.gcp + f.field.substr(1))}};
    case Key::kSgln: {
      std::vector<gs1::AiValue> ais{{"414", with_check(f.gcp + f.field)}};
      if (f.serial != "0") ais.push_back({"254", f.serial});
      return ais;
    }
    case Key::kGrai:
      return {{"8003", "0" + with_check(f.gcp + f.field) + f.serial}};
    case Key::kGiai:
      return {{"8004", f.gcp + f.field}};
    case Key::kGsrn:
      return {{"8018", with_check(f.gcp + f.field)}};
    case Key::kGdti:
      return {{"253", with_check(f.gcp + f.field) + f.serial}};
  }
  return {};
}

std::string to_digital_link(const std::vector<gs1::AiValue>& ais) {
  if (ais.empty()) return {};
  const std::vector<gs1::AiValue> qualifiers(ais.begin() + 1, ais.end());
  return gs1::digital_link(ais.front().ai, ais.front().value, qualifiers);
}

}  // namespace dockgate::epc::detail
