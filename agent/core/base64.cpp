// SPDX-License-Identifier: Apache-2.0
#include "agent/core/base64.hpp"

#include <openssl/evp.h>

namespace dockgate {

std::string base64_encode(const std::string& bytes) {
  if (bytes.empty()) return {};
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace dockgate
