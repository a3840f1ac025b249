// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/cli_decode.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "drivers/camera/barcode_decoder.hpp"

namespace dockgate::runtime {
namespace {

// Text with control bytes made visible; GS1 data carries GS (0x1D) for FNC1.
std::string printable(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0x1D) {
      out += "<GS>";
    } else if (byte < 0x20 || byte == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "<0x%02X>", byte);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

int cmd_decode(const std::vector<std::string>& files, const std::vector<std::string>& formats,
               std::ostream& out, std::ostream& err) {
  std::unique_ptr<drivers::BarcodeDecoder> decoder;
  try {
    decoder = std::make_unique<drivers::BarcodeDecoder>(formats);
  } catch (const std::invalid_argument& e) {
    err << "decode: " << e.what() << "\n";
    return 2;
  }
  int status = 0;
  for (const auto& file : files) {
    const auto result = decoder->decode_file(file);
    if (result.error) {
      err << file << ": " << *result.error << "\n";
      status = 1;
      continue;
    }
    out << file << ": " << result.width << "x" << result.height << ", " << result.codes.size()
        << (result.codes.size() == 1 ? " code" : " codes") << "\n";
    for (const auto& code : result.codes) {
      out << "  " << code.format << " " << code.symbology_id;
      for (const auto& p : code.corners) out << " (" << p.x << "," << p.y << ")";
      out << " " << printable(code.text) << "\n";
    }
  }
  return status;
}

}  // namespace dockgate::runtime
