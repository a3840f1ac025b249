#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""RFID load on the real `dockgate` binary: one LLRP reader (bench/llrp_load_reader.js) with
`--tags` tags in the field, each reported `--rate` times per second on `--antennas` antennas
(1,000 x 20/s x 4 = 80,000 TagReportData/s by default), every tag leaving after 5 s and a new
one taking its place (200 pallet passes per second). A real mosquitto takes the events.

Measures, after a warm-up:
  - the agent's CPU (user + system, /proc/<pid>/stat) as a share of one core, and its RSS
    (VmRSS at the end, VmHWM = peak);
  - tag-seen -> committed: for every pass, the time its event was committed to the outbox
    (the agent's meta.last_seq observed to cover its gatewaySeq; polled read-only every 2 ms)
    minus the tag's last report (the pass ends pass_gap after that, by design: Rule 1 in
    drivers/llrp/README.md), so the figure is pass_gap + the agent's own delay; p50/p99/max,
    and the same minus pass_gap;
  - completeness: passes that left the field vs milestones published (mosquitto_sub), lost or
    duplicated EPCs.
Prints one JSON line. Benchmarks give numbers, not pass/fail (bench/RESULTS.md section 11).

  bench/rfid_load_bench.py --dockgate build-bench/dockgate [--seconds 60] [--warmup 10]
"""
import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    sys.exit(f"rfid_load_bench: {what} within {timeout} s")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1])
    return out


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dockgate", default=os.path.join(ROOT, "build-bench", "dockgate"))
    ap.add_argument("--seconds", type=int, default=60, help="reader reports this long")
    ap.add_argument("--warmup", type=int, default=10, help="CPU/RSS measured after this")
    ap.add_argument("--tags", type=int, default=1000)
    ap.add_argument("--rate", type=int, default=20)
    ap.add_argument("--antennas", type=int, default=4)
    ap.add_argument("--pass-gap-ms", type=int, default=2000)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="dockgate-rfid-bench-")
    procs = []

    def start(cmd, **kw):
        p = subprocess.Popen(cmd, **kw)
        procs.append(p)
        return p

    try:
        broker_port, reader_port = free_port(), free_port()
        conf = os.path.join(tmp, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"listener {broker_port} 127.0.0.1\nallow_anonymous true\n"
                    "max_queued_messages 0\npersistence false\n")
        start(["/usr/sbin/mosquitto", "-c", conf], stdout=subprocess.DEVNULL,
              stderr=subprocess.DEVNULL)
        events_file = os.path.join(tmp, "events.txt")
        time.sleep(0.3)
        start(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker_port), "-q", "1",
               "-t", "dockgate/+/+/events", "-F", "%p"], stdout=open(events_file, "w"))
        reader_out = os.path.join(tmp, "reader.out")
        tag_log = os.path.join(tmp, "tags.jsonl")
        reader = start(["node", os.path.join(ROOT, "bench", "llrp_load_reader.js"),
                        "--port", str(reader_port), "--tags", str(args.tags),
                        "--rate", str(args.rate), "--antennas", str(args.antennas),
                        "--seconds", str(args.seconds), "--log", tag_log],
                       stdout=open(reader_out, "w"))
        wait_for(lambda: "listening" in open(reader_out).read(), 10, "the load reader did not start")

        db = os.path.join(tmp, "outbox.db")
        antennas = "".join(f"      - {{port: {a}, role: any}}\n" for a in range(1, args.antennas + 1))
        config = os.path.join(tmp, "dockgate.yaml")
        with open(config, "w") as f:
            f.write(f"""site: {{id: hub-bench, gln: "4012345000016"}}
gateway: {{id: gw-bench}}
locations:
  - {{id: door-12, direction: inbound, gln_extension: DOOR12}}
drivers:
  - id: rfid-door-12
    type: llrp
    location: door-12
    host: 127.0.0.1
    port: {reader_port}
    pass_gap: {args.pass_gap_ms}ms
    antennas:
{antennas}buffer:
  path: {db}
uplink:
  mqtt:
    uri: tcp://127.0.0.1:{broker_port}
log:
  level: info
""")
        agent = start([args.dockgate, "run", "--config", config],
                      stderr=open(os.path.join(tmp, "agent.log"), "w"))
        wait_for(lambda: os.path.exists(db), 10, "the agent did not open its outbox")
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        commit_ms = {}  # gatewaySeq -> first time seen committed (UTC ms)
        last = 0
        t_start = time.time()
        cpu0 = rss_mid = None
        t_cpu0 = 0.0
        end = t_start + args.seconds + args.pass_gap_ms / 1000 + 3
        while time.time() < end:
            try:
                seq = con.execute("SELECT last_seq FROM meta WHERE id = 1").fetchone()[0]
            except sqlite3.OperationalError:
                seq = last
            now_ms = time.time() * 1000
            for s in range(last + 1, seq + 1):
                commit_ms[s] = now_ms
            last = max(last, seq)
            if cpu0 is None and time.time() - t_start >= args.warmup:
                cpu0, t_cpu0 = cpu_seconds(agent.pid), time.monotonic()
            if cpu0 is not None and rss_mid is None and time.time() - t_start >= args.seconds - 1:
                cpu1, t_cpu1 = cpu_seconds(agent.pid), time.monotonic()
                rss_mid = rss_kib(agent.pid)
            time.sleep(0.002)
        reader.terminate()
        reader.wait(5)
        time.sleep(1)
        agent.terminate()
        agent.wait(10)
        time.sleep(0.5)

        passes = {}
        with open(tag_log) as f:
            for line in f:
                t = json.loads(line)
                if not t.get("in_field"):
                    passes[t["epc"]] = t
        seen = {}
        dupes = 0
        with open(events_file) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                doc = json.loads(line)
                for ev in doc.get("epcisBody", {}).get("eventList", []):
                    epc = ev.get("dg:rawData")
                    if epc in seen:
                        dupes += 1
                    seen[epc] = ev
        lat, lat_after_gap, missing = [], [], 0
        for epc, t in passes.items():
            ev = seen.get(epc)
            if ev is None:
                missing += 1
                continue
            c = commit_ms.get(ev["dg:gatewaySeq"])
            if c is not None:
                lat.append(c - t["last_ms"])
                lat_after_gap.append(c - t["last_ms"] - args.pass_gap_ms)
        cpu_share = (cpu1 - cpu0) / (t_cpu1 - t_cpu0)
        result = {
            "bench": "rfid_load",
            "tags_in_field": args.tags, "reports_per_s": args.rate, "antennas": args.antennas,
            "tag_reports_per_s": args.tags * args.rate * args.antennas,
            "seconds": args.seconds, "warmup_s": args.warmup,
            "agent_cpu_share_of_one_core": round(cpu_share, 3),
            "agent_rss_kib": rss_mid.get("VmRSS"), "agent_peak_rss_kib": rss_mid.get("VmHWM"),
            "passes_left_field": len(passes), "milestones": len(seen), "missing": missing,
            "duplicates": dupes,
            "seen_to_committed_ms": {"p50": percentile(lat, 50), "p99": percentile(lat, 99),
                                     "max": max(lat) if lat else None},
            "seen_to_committed_minus_pass_gap_ms": {
                "p50": percentile(lat_after_gap, 50), "p99": percentile(lat_after_gap, 99),
                "max": max(lat_after_gap) if lat_after_gap else None},
            "work_dir": tmp,
        }
        print(json.dumps(result))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


if __name__ == "__main__":
    main()
