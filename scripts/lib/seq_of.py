#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Prints the dg:gatewaySeq of the first milestone in a capture that names a code.

The capture is what `mosquitto_sub -F '%t\t%r\t%p'` wrote (see expect_received.py). Used by
scripts/demo to ask for the replay of a milestone the way a central consumer would: by its
gatewaySeq.

Usage: seq_of.py CAPTURE CODE    (CODE: the end of an EPC, e.g. an SSCC)
Exit 0 printing the number; exit 1 when no milestone names CODE. Standard library only.
"""
import json
import sys


def main():
    capture, code = sys.argv[1], sys.argv[2]
    with open(capture, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 2)
            if len(parts) != 3 or not parts[0].endswith("/events"):
                continue
            try:
                doc = json.loads(parts[2])
            except ValueError:
                continue
            for ev in doc.get("epcisBody", {}).get("eventList", []):
                if any(epc.endswith(code) for epc in ev.get("epcList", [])):
                    print(ev["dg:gatewaySeq"])
                    return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
