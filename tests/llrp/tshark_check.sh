#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Wireshark's LLRP dissector as a second opinion on LLRP frames (tshark, Debian package).
#
#   tshark_check.sh start PORT PCAP   capture TCP on 127.0.0.1:PORT (lo) into PCAP, in the
#                                     background; returns once tshark captures (prints its pid)
#   tshark_check.sh stop PCAP         stop that capture (SIGINT, so the pcap is complete)
#   tshark_check.sh check PORT PCAP   decode PCAP with PORT as LLRP; print the count of LLRP
#                                     messages per type; exit 1 (printing the frames) when any
#                                     packet has an expert info of severity error (malformed)
#
# Capturing on lo needs root or CAP_NET_RAW (dumpcap); "check" needs neither.
set -euo pipefail

# LLRP 1.0.1 message type numbers (§16.1) -> names, for the summary.
declare -A NAMES=(
  [1]=GET_READER_CAPABILITIES [2]=GET_READER_CONFIG [3]=SET_READER_CONFIG
  [4]=CLOSE_CONNECTION_RESPONSE [11]=GET_READER_CAPABILITIES_RESPONSE
  [12]=GET_READER_CONFIG_RESPONSE [13]=SET_READER_CONFIG_RESPONSE [14]=CLOSE_CONNECTION
  [20]=ADD_ROSPEC [21]=DELETE_ROSPEC [22]=START_ROSPEC [23]=STOP_ROSPEC [24]=ENABLE_ROSPEC
  [25]=DISABLE_ROSPEC [30]=ADD_ROSPEC_RESPONSE [31]=DELETE_ROSPEC_RESPONSE
  [32]=START_ROSPEC_RESPONSE [33]=STOP_ROSPEC_RESPONSE [34]=ENABLE_ROSPEC_RESPONSE
  [35]=DISABLE_ROSPEC_RESPONSE [61]=RO_ACCESS_REPORT [62]=KEEPALIVE
  [63]=READER_EVENT_NOTIFICATION [64]=ENABLE_EVENTS_AND_REPORTS [72]=KEEPALIVE_ACK
  [100]=ERROR_MESSAGE [1023]=CUSTOM_MESSAGE
)

cmd="${1:-}"
case "$cmd" in
  start)
    port="$2" pcap="$3"
    rm -f "$pcap" "$pcap.log"
    tshark -i lo -f "tcp port $port" -w "$pcap" -q >"$pcap.log" 2>&1 &
    pid=$!
    echo "$pid" >"$pcap.pid"
    # tshark prints "Capturing on 'Loopback: lo'" once the capture is live.
    for _ in $(seq 1 100); do
      if grep -q "Capturing on" "$pcap.log" 2>/dev/null; then echo "$pid"; exit 0; fi
      if ! kill -0 "$pid" 2>/dev/null; then cat "$pcap.log" >&2; exit 2; fi
      sleep 0.05
    done
    echo "tshark_check: capture did not start within 5 s" >&2
    cat "$pcap.log" >&2
    exit 2
    ;;
  stop)
    pcap="$2"
    pid="$(cat "$pcap.pid")"
    # Let the last segments reach the capture buffer before stopping.
    sleep 0.2
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$pcap.pid"
    ;;
  check)
    port="$2" pcap="$3"
    echo "llrp messages by type (type name count):"
    # A frame may hold several messages: one llrp.type value each (comma-separated).
    tshark -r "$pcap" -d "tcp.port==$port,llrp" -Y llrp -T fields -e llrp.type 2>/dev/null |
      tr ',' '\n' | sed '/^$/d' | sort -n | uniq -c | while read -r count type; do
        echo "  $type ${NAMES[$type]:-?} $count"
      done
    bad="$(tshark -r "$pcap" -d "tcp.port==$port,llrp" -Y '_ws.expert.severity >= error' 2>/dev/null)"
    if [ -n "$bad" ]; then
      echo "tshark_check: packets with expert errors:" >&2
      echo "$bad" >&2
      tshark -r "$pcap" -d "tcp.port==$port,llrp" -Y '_ws.expert.severity >= error' -V \
        2>/dev/null | head -200 >&2 || true
      exit 1
    fi
    echo "tshark_check: no expert errors"
    ;;
  *)
    echo "usage: $0 start PORT PCAP | stop PCAP | check PORT PCAP" >&2
    exit 2
    ;;
esac
