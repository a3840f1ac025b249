// SPDX-License-Identifier: Apache-2.0
// RFC 4648 section 4 base64 (with padding) for raw scan bytes in JSON payloads.
#pragma once

#include <string>

namespace dockgate {

/// Standard alphabet, padded; empty input gives "". Uses OpenSSL's EVP_EncodeBlock.
std::string base64_encode(const std::string& bytes);

}  // namespace dockgate
