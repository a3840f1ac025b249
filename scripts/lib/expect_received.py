#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Waits until a subscriber's capture holds a message that matches, or says what is missing.

The capture is what `mosquitto_sub -F '%t\t%r\t%p'` wrote: one `topic<TAB>retained<TAB>payload`
line per message. Used by scripts/demo to check (not only print) each milestone.

Usage:
    expect_received.py CAPTURE [--timeout S] [--count N] KIND [FIELD=VALUE]...

    KIND         events | exceptions | status | probe | response (a replay answer): the
                 last topic level
    FIELD=VALUE  the event (each one inside an EPCIS document's eventList), the exception or
                 the status must have FIELD equal to VALUE (compared as text; true/false for
                 booleans). FIELD `epc` matches any identifier of the event: epcList,
                 childEPCs, parentID or a quantityList epcClass.
    --timeout S  seconds to wait for the first match (default 5)
    --count N    wait for N matches, then 1 s more, and fail unless there are exactly N
                 (N=1 checks "sent once, not twice")

Exit 0 with nothing printed when it matched; exit 1 with what was expected and what was
received when the time ran out; exit 2 on bad arguments. Standard library only.
"""
import argparse
import json
import sys
import time


def field_matches(item, name, value):
    if name == "epc":
        ids = list(item.get("epcList", [])) + list(item.get("childEPCs", []))
        if item.get("parentID"):
            ids.append(item["parentID"])
        ids += [q.get("epcClass") for q in item.get("quantityList", [])]
        return value in ids
    got = item.get(name)
    if isinstance(got, bool):
        got = "true" if got else "false"
    return got is not None and str(got) == value


def items_of(kind, doc):
    """The things a criterion is matched against: events of a document, else the doc."""
    if kind == "events":
        return doc.get("epcisBody", {}).get("eventList", [])
    return [doc]


def read_capture(path):
    """(kind, item) pairs for every complete line of the capture so far."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    found = []
    for line in text.split("\n")[:-1]:  # the last piece is an unfinished line, or ""
        parts = line.split("\t", 2)
        if len(parts) != 3:
            continue
        try:
            doc = json.loads(parts[2])
        except ValueError:
            continue
        if isinstance(doc, dict):
            kind = parts[0].rsplit("/", 1)[-1]
            found += [(kind, item) for item in items_of(kind, doc) if isinstance(item, dict)]
    return found


def summary(kind, item):
    keys = ("type", "bizStep", "dg:locationId", "locationId", "online", "dg:gatewaySeq",
            "gatewaySeq")
    shown = {k: item[k] for k in keys if k in item}
    ids = item.get("epcList") or item.get("childEPCs")
    if ids:
        shown["epc"] = ids
    return f"  {kind}: {json.dumps(shown)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("capture")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--count", type=int)
    parser.add_argument("kind", choices=["events", "exceptions", "status", "probe", "response"])
    parser.add_argument("criteria", nargs="*")
    args = parser.parse_args()
    criteria = []
    for c in args.criteria:
        if "=" not in c:
            parser.error(f"criterion {c!r} is not FIELD=VALUE")
        criteria.append(tuple(c.split("=", 1)))

    def matches():
        return [item for kind, item in read_capture(args.capture) if kind == args.kind
                and all(field_matches(item, n, v) for n, v in criteria)]

    want = args.count or 1
    deadline = time.monotonic() + args.timeout
    while len(matches()) < want and time.monotonic() < deadline:
        time.sleep(0.05)
    if args.count is not None:
        # A copy the agent should have suppressed would come in the same publish cycle as
        # the first: wait a moment longer before counting.
        time.sleep(min(args.timeout, 1.0))
    n = len(matches())
    wanted = f"{args.kind} " + " ".join(f"{k}={v}" for k, v in criteria)
    if n and (args.count is None or n == args.count):
        return 0
    if n:
        print(f"expected {args.count} x [{wanted}], received {n}", file=sys.stderr)
    else:
        print(f"not received within {args.timeout:g} s: [{wanted}]", file=sys.stderr)
    received = read_capture(args.capture)
    print(f"received so far ({len(received)}):", file=sys.stderr)
    for kind, item in received[-15:]:
        print(summary(kind, item), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
