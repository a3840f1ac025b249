#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// LLRP 1.0.1 reader simulator for dockgate tests and the demo. Every message it sends is
// encoded, and every message it receives decoded, by the llrpjs package (MIT), not by
// dockgate's own codec, so a test of the driver against it is a test against an
// independent implementation. Test/dev only: never a runtime dependency of the daemon.
//
// Usage: node reader_sim.js --port N --scenario scenario.json --log received.jsonl
//   --port 0 lets the kernel pick. Prints exactly one line "listening <port>" on stdout
//   once it accepts connections. Exits on SIGTERM/SIGINT (code 0) at once.
//
// Why not llrpjs's LLRPServer: it sets maxConnections = 1 (a second client is dropped
// silently instead of getting ConnectionAttemptEvent "a client-initiated connection
// exists", LLRP §13.2.6.11) and decodes only one message per TCP chunk (two messages in
// one segment leave the second one unread). So the sockets and the framing (10-byte
// header, LLRP §16.1) are done here; encoding and decoding stay llrpjs's.
//
// Scenario (JSON; every key optional, defaults shown):
// {
//   "antennas": 4,                 // GET_READER_CAPABILITIES: antenna count (1..N)
//   "has_utc_clock": true,         // HasUTCClockCapability; false: READER_EVENT_NOTIFICATION
//                                  // carries Uptime instead of UTCTimestamp
//   "refuse_first": 0,             // refuse the first K connections (status below, then close)
//   "refuse_status": "Failed_A_Client_Initiated_Connection_Already_Exists",
//   "connection_status": "Success",// status for the others; anything else = refuse all
//                                  // (a connection while one is live is always refused with
//                                  // Failed_A_Client_Initiated_Connection_Already_Exists)
//   "errors": {                    // answer these request types with an error LLRPStatus
//     "ADD_ROSPEC": { "status": "M_FieldError", "description": "bad antenna", "times": 1 }
//   },                             // "times" (default: every time) counts per simulator run
//   "keepalive_ms": "config",      // KEEPALIVE period: "config" = the client's KeepaliveSpec
//                                  // from SET_READER_CONFIG (none: no keepalives), a number
//                                  // = fixed period from connect, 0 = never
//   "report_clock": "auto",        // when report at_ms starts counting: "auto" = at
//                                  // ENABLE_ROSPEC when the ADD_ROSPEC start trigger was
//                                  // Immediate, else at START_ROSPEC; "enable" | "start" |
//                                  // "connect" force one
//   "reports": [                   // RO_ACCESS_REPORTs, one message per step
//     { "at_ms": 100, "tags": [
//       { "epc": "31D4F4E4E4B2D05E2A000000",  // hex
//         "encoding": "epc96",     // "epc96" (TV 13, 96-bit only) | "epcdata" (TLV 241)
//         "bits": 96,              // epcdata only: bit count when not 4 x hex digits
//         "antenna": 1, "rssi": -55, "count": 1,
//         "first_seen_utc_ms": "now",  // number (ms since 1970) or "now"; null = omit
//         "last_seen_utc_ms": null,    // same
//         "first_seen_uptime_us": null // number: adds FirstSeenTimestampUptime
//       } ] } ],
//   "generate": {                  // the bulk form (e2e tests): count distinct EPCs, each
//     "count": 200,                // reported `repeats` times spread over `over_ms`
//     "sscc": { "company_prefix": "4012345", "filter": 2, "first_serial": 1 },
//     "epcs": null,                // or a list of hex EPCs instead of "sscc"
//     "repeats": 30, "over_ms": 5000, "start_ms": 0,
//     "antennas": [1, 2],          // sighting j of a tag uses antennas[j % len] ("alternate")
//     "antenna_mode": "alternate", // or "sequence": first 1/len of sightings on antennas[0] ...
//     "batch_ms": 100,             // sightings due in the same batch share one message
//     "rssi": -50, "encoding": "epc96"
//   },
//   "faults": [                    // on accepted connection number `connection` (1-based,
//     { "at_ms": 1000,             // default 1; 0 = every one), at_ms after `from`
//       "from": "connect",         // "connect" | "reports" (the report clock)
//       "action": "drop",          // "drop": socket destroyed (no close event)
//                                  // "silent": no keepalives, reports or responses any more,
//                                  //   socket left open
//                                  // "error_message": ERROR_MESSAGE with status/description
//                                  // "raw": write the bytes in "hex" as they are
//                                  // "close": ConnectionCloseEvent, then close
//       "status": "M_UnsupportedMessage", "description": "simulated", "hex": "0400..." } ]
// }
//
// Log (--log, JSON lines, flushed per line):
//   {"t_ms":12,"conn":1,"dir":"rx","type":"ADD_ROSPEC","id":103,"json":{...llrpjs data}}
//   {"t_ms":12,"conn":1,"dir":"tx","type":"ADD_ROSPEC_RESPONSE","id":103}
//   {"t_ms":0,"conn":1,"event":"connection","status":"Success"}   also "closed", "fault",
//   "keepalive_acked" (id), "keepalive_unacked" (id), "bad_frame" / "undecodable" (hex,
//   error), "generated" (epcs: the list the generator reports, in order).
"use strict";

const fs = require("fs");
const net = require("net");
const { LLRPMessage } = require("llrpjs");
const epcTds = require("epc-tds");

// ---- arguments -------------------------------------------------------------------------
function parseArgs(argv) {
  const out = { port: 5084, scenario: null, log: null };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in out) || i + 1 >= argv.length) {
      process.stderr.write(`usage: reader_sim.js --port N --scenario FILE --log FILE\n`);
      process.exit(2);
    }
    out[key] = argv[i + 1];
  }
  out.port = Number(out.port);
  return out;
}

const args = parseArgs(process.argv);
const scenario = args.scenario ? JSON.parse(fs.readFileSync(args.scenario, "utf8")) : {};
const logFd = args.log ? fs.openSync(args.log, "a") : null;
const t0 = Date.now();

function log(obj) {
  const line = JSON.stringify({ t_ms: Date.now() - t0, ...obj }, (k, v) =>
    typeof v === "bigint" ? v.toString() : v) + "\n";
  if (logFd !== null) fs.writeSync(logFd, line);
}

// ---- message helpers -------------------------------------------------------------------
let nextReaderId = 1000;  // ids of reader-initiated messages (KEEPALIVE, reports, events)

function encode(type, data, id) {
  return new LLRPMessage({ id, type, data }).encode().getBuffer();
}

function status(code = "M_Success", description = "") {
  return { LLRPStatus: { StatusCode: code, ErrorDescription: description } };
}

function nowMicros() {
  return BigInt(Date.now()) * 1000n;
}

function timestampParam() {
  if (scenario.has_utc_clock === false) {
    return { Uptime: { Microseconds: BigInt(Math.round(process.uptime() * 1e6)) } };
  }
  return { UTCTimestamp: { Microseconds: nowMicros() } };
}

function capabilities() {
  const n = scenario.antennas ?? 4;
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return {
    ...status(),
    GeneralDeviceCapabilities: {
      MaxNumberOfAntennaSupported: n, CanSetAntennaProperties: 0,
      HasUTCClockCapability: scenario.has_utc_clock === false ? 0 : 1,
      DeviceManufacturerName: 25882, ModelName: 2001002, ReaderFirmwareVersion: "dockgate-sim 1.0",
      ReceiveSensitivityTableEntry: [{ Index: 1, ReceiveSensitivityValue: 0 },
                                     { Index: 2, ReceiveSensitivityValue: 10 }],
      PerAntennaReceiveSensitivityRange: ids.map(a => ({ AntennaID: a, ReceiveSensitivityIndexMin: 1,
                                                        ReceiveSensitivityIndexMax: 2 })),
      GPIOCapabilities: { NumGPIs: 4, NumGPOs: 4 },
      PerAntennaAirProtocol: ids.map(a => ({ AntennaID: a, ProtocolID: ["EPCGlobalClass1Gen2"] })),
    },
    LLRPCapabilities: {
      CanDoRFSurvey: 0, CanReportBufferFillWarning: 1, SupportsClientRequestOpSpec: 0,
      CanDoTagInventoryStateAwareSingulation: 0, SupportsEventAndReportHolding: 1,
      MaxNumPriorityLevelsSupported: 1, ClientRequestOpSpecTimeout: 0, MaxNumROSpecs: 1,
      MaxNumSpecsPerROSpec: 32, MaxNumInventoryParameterSpecsPerAISpec: 1, MaxNumAccessSpecs: 1508,
      MaxNumOpSpecsPerAccessSpec: 8,
    },
    RegulatoryCapabilities: {
      CountryCode: 276, CommunicationsStandard: "ETSI_302_208",
      UHFBandCapabilities: {
        // 10.00 .. 31.50 dBm in 0.25 dB steps, in hundredths of dBm as readers send them
        TransmitPowerLevelTableEntry: Array.from({ length: 87 }, (_, i) => (
          { Index: i + 1, TransmitPowerValue: 1000 + i * 25 })),
        FrequencyInformation: {
          Hopping: 0, FixedFrequencyTable: { Frequency: [865700, 866300, 866900, 867500] } },
        C1G2UHFRFModeTable: { C1G2UHFRFModeTableEntry: [{
          ModeIdentifier: 1002, DRValue: "DRV_64_3", EPCHAGTCConformance: 0, MValue: "MV_4",
          ForwardLinkModulation: "PR_ASK", SpectralMaskIndicator: "DI", BDRValue: 40000,
          PIEValue: 2000, MinTariValue: 20000, MaxTariValue: 20000, StepTariValue: 0 }] },
      },
    },
    C1G2LLRPCapabilities: { CanSupportBlockErase: 0, CanSupportBlockWrite: 0,
                            MaxNumSelectFiltersPerQuery: 2 },
  };
}

// ---- tag reports -----------------------------------------------------------------------
function tagReportData(tag) {
  const hex = tag.epc.replace(/\s+/g, "");
  const bytes = Array.from(Buffer.from(hex, "hex"));
  const t = {};
  if ((tag.encoding ?? "epc96") === "epc96") {
    if (bytes.length !== 12) throw new Error(`epc96 needs 24 hex digits: ${tag.epc}`);
    t.EPC_96 = { EPC: bytes };
  } else {
    t.EPCData = { EPC: bytes };
  }
  if (tag.antenna !== undefined && tag.antenna !== null) t.AntennaID = { AntennaID: tag.antenna };
  if (tag.rssi !== undefined && tag.rssi !== null) t.PeakRSSI = { PeakRSSI: tag.rssi };
  const utc = v => (v === "now" ? nowMicros() : BigInt(Math.round(v * 1000)));
  const first = tag.first_seen_utc_ms === undefined ? "now" : tag.first_seen_utc_ms;
  if (first !== null) t.FirstSeenTimestampUTC = { Microseconds: utc(first) };
  if (tag.first_seen_uptime_us != null) {
    t.FirstSeenTimestampUptime = { Microseconds: BigInt(tag.first_seen_uptime_us) };
  }
  if (tag.last_seen_utc_ms != null) t.LastSeenTimestampUTC = { Microseconds: utc(tag.last_seen_utc_ms) };
  if (tag.count != null) t.TagSeenCount = { TagCount: tag.count };
  return t;
}

// llrpjs writes EPCData's bit count as 8 x bytes (a 198-bit EPC becomes 200 bits); a tag
// with "bits" gets its count patched in the encoded message (LLRP §16.2.3.1 bit array).
function patchEpcDataBits(buf, tags) {
  for (const tag of tags) {
    if (tag.encoding !== "epcdata" || tag.bits == null) continue;
    const epc = Buffer.from(tag.epc.replace(/\s+/g, ""), "hex");
    const head = Buffer.alloc(6);
    head.writeUInt16BE(241, 0);
    head.writeUInt16BE(6 + epc.length, 2);
    head.writeUInt16BE(epc.length * 8, 4);
    const at = buf.indexOf(Buffer.concat([head, epc]));
    if (at >= 0) buf.writeUInt16BE(tag.bits, at + 4);
  }
  return buf;
}

function reportMessage(tags) {
  const buf = encode("RO_ACCESS_REPORT", { TagReportData: tags.map(tagReportData) }, nextReaderId++);
  return patchEpcDataBits(buf, tags);
}

// SSCC-96 EPCs (TDS §14.5.2) by epc-tds: serial reference digits = 17 - GCP digits.
function ssccEpcs(spec, count) {
  const gcp = String(spec.company_prefix ?? "4012345");
  const digits = 17 - gcp.length;
  const filter = spec.filter ?? 2;
  const first = spec.first_serial ?? 1;
  const out = [];
  for (let i = 0; i < count; i++) {
    const serial = String(first + i).padStart(digits, "0");
    out.push(epcTds.fromTagURI(`urn:epc:tag:sscc-96:${filter}.${gcp}.${serial}`).toHexString());
  }
  return out;
}

// The generator as report steps: [{at_ms, tags}] with one step per batch.
function generatedSteps(gen) {
  const epcs = gen.epcs ?? ssccEpcs(gen.sscc ?? {}, gen.count ?? 200);
  log({ event: "generated", epcs });
  const repeats = gen.repeats ?? 30;
  const over = gen.over_ms ?? 5000;
  const batch = Math.max(1, gen.batch_ms ?? 100);
  const ants = gen.antennas ?? [1, 2];
  const buckets = new Map();
  epcs.forEach((epc, i) => {
    for (let j = 0; j < repeats; j++) {
      // spread each tag's sightings evenly over `over`, tags offset inside one period
      const at = (gen.start_ms ?? 0) + Math.floor(((j + i / epcs.length) * over) / repeats);
      const a = gen.antenna_mode === "sequence" ? ants[Math.floor((j * ants.length) / repeats)]
                                                : ants[j % ants.length];
      const key = Math.floor(at / batch) * batch;
      if (!buckets.has(key)) buckets.set(key, []);
      buckets.get(key).push({ epc, antenna: a, rssi: gen.rssi ?? -50, count: 1,
                              encoding: gen.encoding ?? "epc96" });
    }
  });
  return [...buckets.entries()].sort((x, y) => x[0] - y[0]).map(([at_ms, tags]) => ({ at_ms, tags }));
}

// ---- connections -----------------------------------------------------------------------
let connections = 0;       // accepted TCP connections so far
let live = null;           // the Session that holds the reader
const errorUses = {};      // per type: error answers given

class Session {
  constructor(socket, n) {
    this.socket = socket;
    this.n = n;
    this.buf = Buffer.alloc(0);
    this.timers = [];
    this.silent = false;
    this.closed = false;
    this.keepaliveTimer = null;
    this.unacked = new Set();
    this.reportClockStarted = false;
    this.immediateStart = false;
    socket.setNoDelay(true);
    socket.on("data", d => this.onData(d));
    socket.on("error", e => log({ conn: n, event: "socket_error", error: e.message }));
    socket.on("close", () => this.onClose());
  }

  send(type, data, id) {
    if (this.silent || this.closed) return;
    this.write(encode(type, data, id), type, id);
  }

  write(buf, type, id) {
    if (this.closed) return;
    this.socket.write(buf);
    log({ conn: this.n, dir: "tx", type, id });
  }

  // FIN after the queued bytes, then the socket is gone 300 ms later even when the client
  // keeps its side open (a reader closes the connection, not just its sending half).
  hangUp() {
    this.socket.end();
    this.later(300, () => this.socket.destroy());
  }

  later(ms, fn) {
    this.timers.push(setTimeout(fn, Math.max(0, ms)));
  }

  start(statusName) {
    this.send("READER_EVENT_NOTIFICATION", {
      ReaderEventNotificationData: { ...timestampParam(), ConnectionAttemptEvent: { Status: statusName } },
    }, 0);
    log({ conn: this.n, event: "connection", status: statusName });
    if (statusName !== "Success") {
      this.hangUp();
      return;
    }
    if (typeof scenario.keepalive_ms === "number") this.startKeepalive(scenario.keepalive_ms);
    for (const f of scenario.faults ?? []) {
      const on = f.connection ?? 1;
      if (on !== 0 && on !== this.n) continue;
      if ((f.from ?? "connect") === "connect") this.later(f.at_ms ?? 0, () => this.fault(f));
    }
    if ((scenario.report_clock ?? "auto") === "connect") this.startReportClock();
  }

  startKeepalive(periodMs) {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
    if (!(periodMs > 0)) return;
    this.keepaliveTimer = setInterval(() => {
      if (this.silent || this.closed) return;
      for (const id of this.unacked) log({ conn: this.n, event: "keepalive_unacked", id });
      this.unacked.clear();
      const id = nextReaderId++;
      this.unacked.add(id);
      this.send("KEEPALIVE", {}, id);
    }, periodMs);
  }

  startReportClock() {
    if (this.reportClockStarted) return;
    this.reportClockStarted = true;
    log({ conn: this.n, event: "report_clock" });
    const steps = [...(scenario.reports ?? [])];
    if (scenario.generate) steps.push(...generatedSteps(scenario.generate));
    for (const step of steps) {
      this.later(step.at_ms ?? 0, () => {
        if (this.silent || this.closed || !step.tags?.length) return;
        this.write(reportMessage(step.tags), "RO_ACCESS_REPORT", nextReaderId - 1);
      });
    }
    for (const f of scenario.faults ?? []) {
      const on = f.connection ?? 1;
      if ((on === 0 || on === this.n) && f.from === "reports") {
        this.later(f.at_ms ?? 0, () => this.fault(f));
      }
    }
  }

  fault(f) {
    if (this.closed) return;
    log({ conn: this.n, event: "fault", action: f.action });
    switch (f.action) {
      case "drop":
        this.socket.destroy();
        break;
      case "silent":
        this.silent = true;
        break;
      case "error_message":
        this.send("ERROR_MESSAGE", status(f.status ?? "M_UnsupportedMessage", f.description ?? "simulated"),
                  nextReaderId++);
        break;
      case "raw":
        this.write(Buffer.from(f.hex.replace(/\s+/g, ""), "hex"), "RAW", null);
        break;
      case "close":
        this.send("READER_EVENT_NOTIFICATION", {
          ReaderEventNotificationData: { ...timestampParam(), ConnectionCloseEvent: {} } }, nextReaderId++);
        this.hangUp();
        break;
      default:
        log({ conn: this.n, event: "unknown_fault", action: f.action });
    }
  }

  onData(d) {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 10 && !this.closed) {
      const version = (this.buf[0] >> 2) & 7;
      const length = this.buf.readUInt32BE(2);
      if (version !== 1 || length < 10) {
        log({ conn: this.n, event: "bad_frame", hex: this.buf.subarray(0, 64).toString("hex") });
        this.socket.destroy();
        return;
      }
      if (this.buf.length < length) return;
      const frame = this.buf.subarray(0, length);
      this.buf = this.buf.subarray(length);
      this.onFrame(Buffer.from(frame));
    }
  }

  onFrame(frame) {
    const id = frame.readUInt32BE(6);
    let msg;
    try {
      msg = new LLRPMessage(frame).decode();
    } catch (e) {
      log({ conn: this.n, dir: "rx", type: "UNDECODABLE", id, event: "undecodable",
            error: String(e.message ?? e), hex: frame.toString("hex") });
      this.send("ERROR_MESSAGE", status("M_UnsupportedMessage", "llrpjs could not decode it"), id);
      return;
    }
    const type = msg.getName();
    const data = msg.toLLRPData().data ?? {};
    log({ conn: this.n, dir: "rx", type, id, json: data });
    this.handle(type, id, data, msg);
  }

  handle(type, id, data, msg) {
    if (type === "KEEPALIVE_ACK") {
      if (this.unacked.delete(id)) log({ conn: this.n, event: "keepalive_acked", id });
      return;
    }
    const rsp = msg.getResponseName();
    if (!rsp) return;  // reader-bound messages without a response (none in 1.0.1 but ACK)
    const err = scenario.errors?.[type];
    if (err && (err.times == null || (errorUses[type] ?? 0) < err.times)) {
      errorUses[type] = (errorUses[type] ?? 0) + 1;
      this.send(rsp, status(err.status ?? "M_ParameterError", err.description ?? "simulated error"), id);
      return;
    }
    switch (type) {
      case "GET_READER_CAPABILITIES":
        this.send(rsp, capabilities(), id);
        return;
      case "SET_READER_CONFIG": {
        const ka = data.KeepaliveSpec;
        if ((scenario.keepalive_ms ?? "config") === "config" && ka) {
          this.startKeepalive(ka.KeepaliveTriggerType === "Periodic" ? ka.PeriodicTriggerValue : 0);
        }
        break;
      }
      case "ADD_ROSPEC":
        this.immediateStart =
          data.ROSpec?.ROBoundarySpec?.ROSpecStartTrigger?.ROSpecStartTriggerType === "Immediate";
        break;
      case "CLOSE_CONNECTION":
        this.send(rsp, status(), id);
        this.hangUp();
        return;
      default:
        break;
    }
    this.send(rsp, status(), id);
    const clock = scenario.report_clock ?? "auto";
    if ((type === "ENABLE_ROSPEC" && (clock === "enable" || (clock === "auto" && this.immediateStart))) ||
        (type === "START_ROSPEC" && (clock === "start" || clock === "auto"))) {
      this.startReportClock();
    }
  }

  onClose() {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (live === this) live = null;
    log({ conn: this.n, event: "closed" });
  }
}

const server = net.createServer(socket => {
  connections += 1;
  const s = new Session(socket, connections);
  let st = scenario.connection_status ?? "Success";
  if (connections <= (scenario.refuse_first ?? 0)) {
    st = scenario.refuse_status ?? "Failed_A_Client_Initiated_Connection_Already_Exists";
  } else if (live !== null) {
    st = "Failed_A_Client_Initiated_Connection_Already_Exists";
  }
  if (st === "Success") live = s;
  s.start(st);
});

server.on("error", e => {
  process.stderr.write(`reader_sim: ${e.message}\n`);
  process.exit(1);
});

server.listen(args.port, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => {
    log({ event: "exit", signal: sig });
    process.exit(0);
  });
}
