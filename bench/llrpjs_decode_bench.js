#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// llrpjs's own decoder on a stream of RO_ACCESS_REPORTs (bench/llrp_stream_gen.js writes one):
// how many TagReportData it turns into values per CPU-second (process.cpuUsage(), user +
// system, this process only). The side-by-side number for the C++ LLRP codec on the same file.
//
// Usage: node bench/llrpjs_decode_bench.js STREAM [--rounds 1]
// llrpjs comes from tests/llrp/sim/node_modules (scripts/install-deps). Each message is split
// off by its header length (§16.1), decoded (LLRPMessage.decode: parse + marshal) and turned
// into plain data (toLLRPData), which is what a client of llrpjs reads; every TagReportData's
// EPC and AntennaID is touched so nothing is skipped. The file is read before timing starts.
// Prints one JSON line of results; exit 1 when a message does not decode or the tag count is 0.
"use strict";

const fs = require("fs");
const path = require("path");

const llrpjsDir = path.join(__dirname, "..", "tests", "llrp", "sim", "node_modules", "llrpjs");
const { LLRPMessage } = require(llrpjsDir);
const llrpjsVersion = require(path.join(llrpjsDir, "package.json")).version;

const file = process.argv[2];
const rounds = process.argv[3] === "--rounds" ? Number(process.argv[4]) : 1;
if (!file) {
  process.stderr.write("usage: llrpjs_decode_bench.js STREAM [--rounds N]\n");
  process.exit(2);
}
const stream = fs.readFileSync(file);

let messages = 0;
let tags = 0;
let check = 0;
const cpu0 = process.cpuUsage();
const wall0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  let at = 0;
  while (at + 10 <= stream.length) {
    const len = stream.readUInt32BE(at + 2);
    if (len < 10 || at + len > stream.length) break;
    const msg = new LLRPMessage(stream.subarray(at, at + len)).decode();
    at += len;
    messages++;
    let trd = msg.toLLRPData().data.TagReportData ?? [];
    if (!Array.isArray(trd)) trd = [trd];
    for (const t of trd) {
      const epc = t.EPC_96?.EPC ?? t.EPCData?.EPC;
      check += (epc ? epc.length : 0) + (t.AntennaID?.AntennaID ?? 0);
      tags++;
    }
  }
}
const cpu = process.cpuUsage(cpu0);
const wallS = Number(process.hrtime.bigint() - wall0) / 1e9;
const cpuS = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({
  decoder: "llrpjs", version: llrpjsVersion, node: process.version, file, bytes: stream.length,
  rounds, messages, tag_reports: tags, cpu_s: +cpuS.toFixed(3), wall_s: +wallS.toFixed(3),
  tag_reports_per_cpu_s: Math.round(tags / cpuS), messages_per_cpu_s: Math.round(messages / cpuS),
  check,
}) + "\n");
process.exit(tags > 0 ? 0 : 1);
