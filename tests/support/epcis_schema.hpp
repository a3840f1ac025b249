// SPDX-License-Identifier: Apache-2.0
// Checks published EPCIS documents against the GS1 EPCIS 2.0 JSON schema with an
// independent validator (tests/epcis/node: the epcis2.js npm package, run by node).
#pragma once

#include <string>
#include <vector>

namespace dockgate::test {

/// Validates each text of `documents` (one EPCISDocument each, as published on the events
/// topic). Returns "" when all are valid; otherwise the validator's report (line numbers are
/// 1-based indexes into `documents`, and the schema errors). Never throws: a validator that
/// cannot run (node or tests/epcis/node/node_modules missing) is reported as an error text.
std::string epcis_schema_errors(const std::vector<std::string>& documents);

}  // namespace dockgate::test
