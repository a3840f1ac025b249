#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Writes a binary stream of LLRP 1.0.1 RO_ACCESS_REPORT messages (back to back, as a reader
// sends them on TCP) for the decode benchmarks: llrpjs_decode_bench.js and the C++ codec run
// on the same file.
//
// Usage: node bench/llrp_stream_gen.js OUT [--messages 10000] [--tags 20] [--seed 1]
// Each TagReportData (LLRP §13.2.3, 34 bytes) = EPC_96 (TV 13, SGTIN-96 with random serials),
// AntennaID (TV 1, 1..4), PeakRSSI (TV 6, -80..-30 dBm), FirstSeenTimestampUTC (TV 2, µs),
// TagSeenCount (TV 8, 1..20). Layout as in the notes' §4 example; deterministic per seed.
// Prints one JSON line: {"file","bytes","messages","tag_reports"}.
"use strict";

const fs = require("fs");

const argv = process.argv.slice(2);
const out = argv[0];
const opt = { messages: 10000, tags: 20, seed: 1 };
for (let i = 1; i + 1 < argv.length; i += 2) opt[argv[i].replace(/^--/, "")] = Number(argv[i + 1]);
if (!out) {
  process.stderr.write("usage: llrp_stream_gen.js OUT [--messages N] [--tags T] [--seed S]\n");
  process.exit(2);
}

// xorshift32: the same stream for the same seed, on any machine.
let state = (opt.seed >>> 0) || 1;
function rand() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}

const TAG_BYTES = 34;
const msgLen = 10 + opt.tags * TAG_BYTES;
const buf = Buffer.alloc(opt.messages * msgLen);
let at = 0;
let t = 1741939965120000n;  // 2025-03-14T08:12:45.120Z in µs
for (let m = 0; m < opt.messages; m++) {
  buf.writeUInt16BE(0x0400 | 61, at);
  buf.writeUInt32BE(msgLen, at + 2);
  buf.writeUInt32BE(1000 + m, at + 6);
  at += 10;
  for (let k = 0; k < opt.tags; k++) {
    buf.writeUInt16BE(240, at); buf.writeUInt16BE(TAG_BYTES, at + 2); at += 4;
    buf[at++] = 0x80 | 13;
    // SGTIN-96 3034F4E4E40AD9C0 + 38-bit serial (filter 1, GCP 4012345, item 011111)
    Buffer.from("3034f4e4e40ad9c0", "hex").copy(buf, at);
    buf.writeUInt32BE(rand(), at + 8);
    buf[at + 7] = (buf[at + 7] & 0xc0) | (rand() & 0x3f);
    at += 12;
    buf[at++] = 0x80 | 1; buf.writeUInt16BE(1 + (rand() % 4), at); at += 2;
    buf[at++] = 0x80 | 6; buf.writeInt8(-30 - (rand() % 51), at); at += 1;
    t += BigInt(rand() % 5000);
    buf[at++] = 0x80 | 2; buf.writeBigUInt64BE(t, at); at += 8;
    buf[at++] = 0x80 | 8; buf.writeUInt16BE(1 + (rand() % 20), at); at += 2;
  }
}
fs.writeFileSync(out, buf);
process.stdout.write(JSON.stringify({ file: out, bytes: buf.length, messages: opt.messages,
                                      tag_reports: opt.messages * opt.tags }) + "\n");
