// SPDX-License-Identifier: Apache-2.0
// Independent reference for the EPC cross-check test (epc_crosscheck_test.cpp): encodes
// random valid EPCs of every scheme dockgate decodes with the epc-tds npm package, decodes
// the hex again with epc-tds, and prints one JSON object per line:
//   {"scheme":"sgtin-96","hex":"30...","tagUri":"urn:epc:tag:...","idUri":"urn:epc:id:...","filter":3}
// Usage: node gen_epcs.js COUNT_PER_SCHEME SEED   (same seed, same EPCs)
'use strict';
const path = require('path');
const tds = require(path.join(__dirname, 'node', 'node_modules', 'epc-tds'));

const perScheme = parseInt(process.argv[2] || '100', 10);
let state = (parseInt(process.argv[3] || '1', 10) >>> 0) || 1;

// mulberry32: small seeded PRNG, so a failing seed can be replayed.
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function int(n) { return Math.floor(rand() * n); }  // 0..n-1, n <= 2^53
function big(limit) {  // BigInt 0..limit-1
  let v = 0n;
  for (let i = 0; i < 5; ++i) v = (v << 32n) | BigInt(int(4294967296));
  return v % limit;
}
function below(digits, bits) {  // number < min(10^digits, 2^bits)
  const limit = Math.min(Math.pow(10, digits), Math.pow(2, bits));
  return int(limit);
}
// GS1 AI encodable character set 82 (TDS Table A-1).
const CSET82 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!"%&\'()*+,-./:;<=>?_';
function text(maxLen) {
  let s = '';
  const n = 1 + int(maxLen);
  for (let i = 0; i < n; ++i) s += CSET82[int(CSET82.length)];
  return s;
}
const GCP_DIGITS = [12, 11, 10, 9, 8, 7, 6];
const gcp = (p) => below(GCP_DIGITS[p], 40);

// One generator per scheme: returns an epc-tds object with random valid fields.
const schemes = {
  'sgtin-96': (f, p) => new tds.Sgtin96().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setItemReference(below(1 + p, 24)).setSerial(int(2 ** 38)),
  'sgtin-198': (f, p) => new tds.Sgtin198().setFilter(f).setPartition(p)
      .setCompanyPrefix(gcp(p)).setItemReference(below(1 + p, 24)).setSerial(text(20)),
  'sscc-96': (f, p) => new tds.Sscc96().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setSerialReference(below(5 + p, 38)),
  'sgln-96': (f, p) => new tds.Sgln96().setFilter(f).setPartition(p).setCompany(gcp(p))
      .setLocation(below(p, 21)).setExtension(int(2 ** 41)),
  'sgln-195': (f, p) => new tds.Sgln195().setFilter(f).setPartition(p).setCompany(gcp(p))
      .setLocation(below(p, 21)).setExtension(text(20)),
  'grai-96': (f, p) => new tds.Grai96().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setAssetType(below(p, 24)).setSerial(int(2 ** 38)),
  'grai-170': (f, p) => new tds.Grai170().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setAssetType(below(p, 24)).setSerial(text(16)),
  'giai-96': (f, p) => new tds.Giai96().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setAssetReference(big(BigInt(Math.min(10 ** (13 + p), 2 ** (42 + [0, 3, 6, 10, 13, 16, 20][p]))))),
  'giai-202': (f, p) => new tds.Giai202().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setAssetReference(text(18 + p)),
  'gsrn-96': (f, p) => new tds.Gsrn96().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setServiceReference(below(5 + p, 38)),
  'gdti-96': (f, p) => new tds.Gdti96().setFilter(f).setPartition(p).setCompanyPrefix(gcp(p))
      .setDocumentReference(below(p, 21)).setSerial(int(2 ** 41)),
};

for (const [scheme, make] of Object.entries(schemes)) {
  for (let i = 0; i < perScheme; ++i) {
    const hex = make(int(8), int(7)).toHexString();
    const back = tds.valueOf(hex);  // decode with epc-tds, independent of dockgate
    process.stdout.write(JSON.stringify({
      scheme, hex, tagUri: back.toTagURI(), idUri: back.toIdURI(), filter: back.getFilter(),
    }) + '\n');
  }
}
