// SPDX-License-Identifier: Apache-2.0
// Checks EPCIS 2.0 documents against the GS1 EPCIS 2.0 JSON schema (EPCIS 2.0 section 12,
// through epcis2.js's validateEpcisDocument, which also checks that every extension field
// such as "dg:antennaId" has its prefix declared in the document's @context).
//
// usage: node validate_epcis.js FILE
//   FILE: one EPCISDocument (JSON) per line, as published on the events topic.
// Prints one JSON line {"documents":N,"events":M,"invalid":[{"line":L,"errors":[...]}]} and
// exits 0 when every document is valid, 1 when one is not, 2 on a usage or read error.
'use strict';
const fs = require('fs');
const { validateEpcisDocument } = require('epcis2.js');

function main() {
  if (process.argv.length !== 3) {
    process.stderr.write('usage: node validate_epcis.js FILE\n');
    return 2;
  }
  let text;
  try {
    text = fs.readFileSync(process.argv[2], 'utf8');
  } catch (e) {
    process.stderr.write(`validate_epcis: ${e.message}\n`);
    return 2;
  }
  const result = { documents: 0, events: 0, invalid: [] };
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    result.documents += 1;
    let doc;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      result.invalid.push({ line: i + 1, errors: [`not JSON: ${e.message}`] });
      return;
    }
    const events = doc && doc.epcisBody && doc.epcisBody.eventList;
    result.events += Array.isArray(events) ? events.length : 0;
    const v = validateEpcisDocument(doc, false);
    if (!v.success) result.invalid.push({ line: i + 1, errors: v.errors });
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.invalid.length === 0 ? 0 : 1;
}

process.exitCode = main();
