#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Pretty-prints what `mosquitto_sub -F '%t\t%r\t%p'` receives from dockgate.

One line per EPCIS event / exception / status change, e.g.
  #1  receiving  door-03  https://id.gs1.org/00/340123450000000420   (warehouse_inbound)
Reads stdin until EOF; standard library only.
"""
import json
import sys


def sensor_text(ev):
    reports = []
    for element in ev.get("sensorElementList", []):
        for r in element.get("sensorReport", []):
            reports.append("{}={}".format(str(r.get("type", "")).replace("dg:", ""),
                                          r.get("booleanValue")))
    return "[" + " ".join(reports) + "]" if reports else ""


def describe_event(ev):
    ids = ev.get("epcList") or ev.get("childEPCs") or [
        q["epcClass"] + " x" + str(q.get("quantity", "?")) for q in ev.get("quantityList", [])]
    what = ", ".join(ids) or sensor_text(ev)
    if ev.get("parentID"):
        what = "on " + ev["parentID"] + ": " + what
    extra = []
    if "dg:handlingUnitCount" in ev:
        extra.append("{} handling unit(s)".format(ev["dg:handlingUnitCount"]))
    if ev.get("dg:dockSessionId"):
        extra.append("session ...{}".format(str(ev["dg:dockSessionId"])[-8:]))
    if ev.get("dg:planId") or ev.get("dg:planCheck"):
        extra.append("plan {} {}".format(ev.get("dg:planId", "-"), ev.get("dg:planCheck", "")).strip())
    if "dg:expectedUnits" in ev:
        extra.append("{} of {} planned units".format(ev.get("dg:actualUnits"), ev["dg:expectedUnits"]))
    if ev.get("dg:source") == "rfid":
        extra.append("RFID {} reads, antenna {}, {} dBm{}".format(
            ev.get("dg:readCount"), ev.get("dg:antennaId"), ev.get("dg:peakRssi"),
            ", travelled " + ev["dg:travelDirection"] if ev.get("dg:travelDirection") else ""))
    return "#{seq:<4} {step:<16} {loc:<8} {what}   ({ms}{extra})".format(
        seq=str(ev.get("dg:gatewaySeq")), step=str(ev.get("bizStep")),
        loc=str(ev.get("dg:locationId")), what=what, ms=ev.get("dg:milestone"),
        extra="".join(", " + e for e in extra))


def main():
    for line in sys.stdin:
        parts = line.rstrip("\n").split("\t", 2)
        if len(parts) != 3:
            continue
        topic, retained, payload = parts
        kind = topic.rsplit("/", 1)[-1]
        if "/plans/" in topic:
            kind = "plans"
        try:
            doc = json.loads(payload)
        except ValueError:
            print(f"[{kind}] (not JSON) {payload[:120]}")
            continue
        if kind == "events":
            events = doc.get("epcisBody", {}).get("eventList", [])
            for ev in events:
                print(f"[milestone] {describe_event(ev)}")
        elif kind == "exceptions":
            print("[exception] #{:<4} {:<25} {:<8} {}".format(
                str(doc.get("gatewaySeq")), str(doc.get("type")), str(doc.get("locationId")),
                doc.get("reason")))
        elif kind == "plans":
            units = doc.get("units", {})
            print("[plan]      {} rev {} {} at {}: {} SSCC(s), {} GTIN line(s)".format(
                doc.get("planId"), doc.get("revision"), doc.get("direction"),
                ", ".join(doc.get("doors", [])), len(units.get("ssccs", [])),
                len(units.get("lines", []))))
        elif kind == "replay":
            print("[command]   replay gatewaySeq {}..{} asked ({})".format(
                doc.get("fromSeq"), doc.get("toSeq"), doc.get("requestId")))
        elif kind == "response":
            print("[replay]    {} {}: {} republished, {} pending, {} no longer available".format(
                doc.get("requestId"), doc.get("status"), doc.get("republished"),
                doc.get("pending"), doc.get("unavailableCount")))
        elif kind == "status":
            print("[status]    online={} backlog={} version={}{}".format(
                doc.get("online"), doc.get("backlogCount"),
                doc.get("version"), " (retained)" if retained == "1" else ""))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
