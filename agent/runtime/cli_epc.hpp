// SPDX-License-Identifier: Apache-2.0
// `dockgate epc HEX...`: decodes RFID tag EPCs (hex as readers and LLRP tools show them)
// into tag URI, pure identity URI and GS1 Digital Link, for site setup and troubleshooting
// (which SSCC / GTIN does this tag carry, is it encoded right?).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace dockgate::runtime {

/// Prints one JSON object per line for each hex EPC, in input order:
/// {"hex":"3034...","scheme":"sgtin-96","filter":1,"tagUri":"urn:epc:tag:...",
///  "pureIdentityUri":"urn:epc:id:...","digitalLink":"https://id.gs1.org/01/..."};
/// an unknown header gives {"hex":...,"scheme":"raw","tagUri":"urn:epc:raw:96.x..."};
/// an EPC that cannot be decoded gives {"hex":...,"error":"...","tagUri":"urn:epc:raw:..."}
/// (tagUri only when the hex held bits). Decoding rules: agent/epc (GS1 EPC TDS 1.13).
/// Returns 0 when every EPC decoded (raw included), 1 when any did not.
int cmd_epc(const std::vector<std::string>& hexes, std::ostream& out);

}  // namespace dockgate::runtime
