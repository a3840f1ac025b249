#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// A minimal LLRP 1.0.1 "reader" for load benchmarks (bench/rfid_load_bench.py), written with
// raw Buffer writes because llrpjs encodes about 16,000 TagReportData per CPU-second
// (bench/RESULTS.md section 11), far below the load it must offer.
//
// Usage: node bench/llrp_load_reader.js --port P [--tags 1000] [--rate 20] [--antennas 4]
//                                       [--dwell-ms 5000] [--seconds 60] [--log FILE]
// On connect: READER_EVENT_NOTIFICATION with ConnectionAttemptEvent Success (section
// 13.2.6.11); every request gets its *_RESPONSE with LLRPStatus M_Success (section 14.2.2),
// CLOSE_CONNECTION included. After ENABLE_ROSPEC it reports `rate` times per second one
// RO_ACCESS_REPORT holding every tag now in the field, once per antenna (TagReportData:
// EPC_96, AntennaID, PeakRSSI, FirstSeenTimestampUTC = now, TagSeenCount 1; 34 bytes each).
// The field holds `tags` SSCC-96 tags (SSCC 3 4012345 nnnnnnnnn, filter 6); each stays
// `dwell-ms` and is then replaced by a new one, so tags/dwell new pallets pass per second.
// It stops sending after `seconds`. With --log, one JSON line per tag once it has left the
// field: {"epc","first_ms","last_ms"} (UTC ms of its first and last report).
"use strict";

const fs = require("fs");
const net = require("net");

const opt = { port: 0, tags: 1000, rate: 20, antennas: 4, "dwell-ms": 5000, seconds: 60, log: "" };
const argv = process.argv.slice(2);
for (let i = 0; i + 1 < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, "");
  opt[k] = k === "log" ? argv[i + 1] : Number(argv[i + 1]);
}
const logFd = opt.log ? fs.openSync(opt.log, "w") : null;

function message(type, id, body) {
  const b = Buffer.alloc(10 + body.length);
  b.writeUInt16BE(0x0400 | type, 0);
  b.writeUInt32BE(b.length, 2);
  b.writeUInt32BE(id, 6);
  body.copy(b, 10);
  return b;
}
const kStatusOk = Buffer.from("011f000800000000", "hex");  // LLRPStatus M_Success, no text

function connectionEvent() {
  const body = Buffer.alloc(4 + 12 + 6);
  body.writeUInt16BE(246, 0);  // ReaderEventNotificationData
  body.writeUInt16BE(body.length, 2);
  body.writeUInt16BE(128, 4);  // UTCTimestamp
  body.writeUInt16BE(12, 6);
  body.writeBigUInt64BE(BigInt(Date.now()) * 1000n, 8);
  body.writeUInt16BE(256, 16);  // ConnectionAttemptEvent
  body.writeUInt16BE(6, 18);
  body.writeUInt16BE(0, 20);  // Success
  return message(63, 0, body);
}

// SSCC-96 (GS1 EPC TDS 14.5.2): header 0x31, filter 6, partition 5 (7-digit company prefix
// 4012345), serial reference 3nnnnnnnnn (34 bits), 24 zero bits.
function sscc96(n) {
  const v = (0x31n << 88n) | (6n << 85n) | (5n << 82n) | (4012345n << 58n) |
            ((3000000000n + BigInt(n)) << 24n);
  const b = Buffer.alloc(12);
  b.writeBigUInt64BE(v >> 32n, 0);
  b.writeUInt32BE(Number(v & 0xffffffffn), 8);
  return b;
}

const TAG_BYTES = 34;
let serial = 0;
let field = [];  // {epc, enter, first, last}
function refill(now) {
  const keep = [];
  for (const t of field) {
    if (now - t.enter < opt["dwell-ms"]) {
      keep.push(t);
    } else if (logFd !== null && t.first) {
      fs.writeSync(logFd, JSON.stringify({ epc: t.epc.toString("hex").toUpperCase(),
                                           first_ms: t.first, last_ms: t.last }) + "\n");
    }
  }
  field = keep;
  // Staggered start: the first tags enter spread over one dwell, then one replaces each leaver.
  while (field.length < opt.tags) {
    const enter = serial < opt.tags ? now - opt["dwell-ms"] + ((serial + 1) * opt["dwell-ms"]) / opt.tags
                                    : now;
    field.push({ epc: sscc96(++serial), enter, first: 0, last: 0 });
  }
}

function report(id) {
  const now = Date.now();
  refill(now);
  const body = Buffer.alloc(field.length * opt.antennas * TAG_BYTES);
  let at = 0;
  const us = BigInt(now) * 1000n;
  for (const t of field) {
    if (!t.first) t.first = now;
    t.last = now;
    for (let a = 1; a <= opt.antennas; a++) {
      body.writeUInt16BE(240, at); body.writeUInt16BE(TAG_BYTES, at + 2); at += 4;
      body[at++] = 0x80 | 13; t.epc.copy(body, at); at += 12;
      body[at++] = 0x80 | 1; body.writeUInt16BE(a, at); at += 2;
      body[at++] = 0x80 | 6; body.writeInt8(-40 - a, at); at += 1;
      body[at++] = 0x80 | 2; body.writeBigUInt64BE(us, at); at += 8;
      body[at++] = 0x80 | 8; body.writeUInt16BE(1, at); at += 2;
    }
  }
  return message(61, id, body);
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.write(connectionEvent());
  let buf = Buffer.alloc(0);
  let timer = null;
  let id = 100000;
  const started = Date.now();
  socket.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 10) {
      const len = buf.readUInt32BE(2);
      if (buf.length < len) break;
      const type = buf.readUInt16BE(0) & 0x3ff;
      const mid = buf.readUInt32BE(6);
      buf = buf.subarray(len);
      if (type === 72) continue;  // KEEPALIVE_ACK
      if (type === 64) continue;  // ENABLE_EVENTS_AND_REPORTS: no response
      const rsp = type === 14 ? 4 : type + 10;
      socket.write(message(rsp, mid, kStatusOk));
      if (type === 24 && timer === null) {  // ENABLE_ROSPEC: immediate start
        timer = setInterval(() => {
          if (Date.now() - started > opt.seconds * 1000) {
            clearInterval(timer);
            return;
          }
          socket.write(report(id++));
        }, 1000 / opt.rate);
      }
      if (type === 14) socket.end();
    }
  });
  const stop = () => { if (timer) clearInterval(timer); };
  socket.on("close", stop);
  socket.on("error", stop);
});
server.listen(opt.port, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on("SIGTERM", () => {
  if (logFd !== null) {
    for (const t of field) {
      if (t.first) fs.writeSync(logFd, JSON.stringify({ epc: t.epc.toString("hex").toUpperCase(),
                                                        first_ms: t.first, last_ms: t.last, in_field: true }) + "\n");
    }
  }
  process.exit(0);
});
