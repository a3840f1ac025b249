#!/usr/bin/python3
"""Pretty-prints what `mosquitto_sub -F '%t\t%r\t%p'` receives from dockgate.

One line per EPCIS event / exception / status change, e.g.
  #1  receiving  door-03  https://id.gs1.org/00/340123450000000420   (warehouse_inbound)
Reads stdin until EOF; standard library only.
"""
import json
import sys


def describe_event(ev):
    ids = ev.get("epcList") or [q["epcClass"] + " x" + str(q.get("quantity", "?"))
                                for q in ev.get("quantityList", [])]
    return "#{seq:<4} {step:<10} {loc:<8} {ids}   ({ms}, eventID ...{eid})".format(
        seq=str(ev.get("dg:gatewaySeq")), step=str(ev.get("bizStep")),
        loc=str(ev.get("dg:locationId")), ids=", ".join(ids), ms=ev.get("dg:milestone"),
        eid=str(ev.get("eventID", ""))[-12:])


def main():
    for line in sys.stdin:
        parts = line.rstrip("\n").split("\t", 2)
        if len(parts) != 3:
            continue
        topic, retained, payload = parts
        kind = topic.rsplit("/", 1)[-1]
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
            print("[exception] #{:<4} {:<16} {:<8} {}".format(
                str(doc.get("gatewaySeq")), str(doc.get("type")), str(doc.get("locationId")),
                doc.get("reason")))
        elif kind == "status":
            print("[status]    online={} backlog={} version={}{}".format(
                doc.get("online"), doc.get("backlogCount"),
                doc.get("version"), " (retained)" if retained == "1" else ""))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
