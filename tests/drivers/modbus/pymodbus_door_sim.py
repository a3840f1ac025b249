#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Dock door I/O module simulator: a Modbus TCP server (pymodbus) driven from stdin.

Stands in for a WAGO/Moxa-style I/O module at a dock door (trailer sensor, door contact,
stack light) in tests, integration tests and the demo. Independent of libmodbus, so it
also checks dockgate's Modbus driver against a second implementation.

Needs Debian's python3-pymodbus (3.0.x) and python3-serial-asyncio (pymodbus' server module
imports pyserial even for TCP; Debian only recommends it), and must run under
/usr/bin/python3 (a python3 on PATH may be another interpreter that cannot import Debian's
packages).

Usage:
    /usr/bin/python3 pymodbus_door_sim.py --port P [--host 127.0.0.1] [--unit 1]...
        [--size 256] [--set TABLE:ADDRESS=VALUE]...

    --port   TCP port to listen on (required)
    --host   address to listen on (default 127.0.0.1)
    --unit   unit id to serve, repeatable (default 1); requests for other units are not
             answered (the client times out, as with an absent device behind a gateway)
    --size   addresses per table, from 0 (default 256)
    --set    initial value, repeatable, e.g. --set di:0=1 --set hr:3=0x8001

Tables: coil (co), di (discrete_input), hr (holding_register), ir (input_register).
Addresses are 0-based protocol addresses (what goes on the wire).

Once the port accepts connections it prints "ready HOST:PORT". Then it reads commands on
stdin, one per line, and answers each with exactly one line on stdout:

    set TABLE ADDRESS VALUE [UNIT]   -> ok
    get TABLE ADDRESS [UNIT]         -> the value, e.g. 1
    connections                      -> connections accepted so far, e.g. 2
    quit                             -> bye (then the process exits)

Anything else, or a bad table, address or unit, answers "error: <why>". UNIT defaults to
the first --unit. The process also exits at end of input (stdin closed) or on SIGTERM.
Example:

    $ /usr/bin/python3 pymodbus_door_sim.py --port 1502 --set di:0=1
    ready 127.0.0.1:1502
    set di 1 1
    ok
    get coil 10
    0
"""

import argparse
import asyncio
import logging
import signal
import sys

from pymodbus.datastore import (ModbusSequentialDataBlock, ModbusServerContext,
                                ModbusSlaveContext)
from pymodbus.server.async_io import ModbusConnectedRequestHandler, ModbusTcpServer

TABLES = {
    "coil": "co", "co": "co",
    "di": "di", "discrete_input": "di",
    "hr": "hr", "holding_register": "hr",
    "ir": "ir", "input_register": "ir",
}
# pymodbus' datastore is addressed by function code: 1 coils, 2 discrete inputs,
# 3 holding registers, 4 input registers.
FUNCTION = {"co": 1, "di": 2, "hr": 3, "ir": 4}


class CountingHandler(ModbusConnectedRequestHandler):
    """Counts accepted connections (pymodbus only keeps the current ones)."""

    accepted = 0

    def connection_made(self, transport):
        CountingHandler.accepted += 1
        super().connection_made(transport)


class Simulator:
    def __init__(self, units, size):
        self.units = units
        self.size = size
        slaves = {}
        for unit in units:
            # zero_mode: protocol address 0 is block index 0 (pymodbus adds 1 otherwise).
            slaves[unit] = ModbusSlaveContext(
                co=ModbusSequentialDataBlock(0, [0] * size),
                di=ModbusSequentialDataBlock(0, [0] * size),
                hr=ModbusSequentialDataBlock(0, [0] * size),
                ir=ModbusSequentialDataBlock(0, [0] * size),
                zero_mode=True)
        self.context = ModbusServerContext(slaves=slaves, single=False)

    def _locate(self, table, address, unit):
        if table not in TABLES:
            raise ValueError(f"unknown table '{table}' (coil, di, hr, ir)")
        kind = TABLES[table]
        addr = int(address, 0)
        if not 0 <= addr < self.size:
            raise ValueError(f"address {addr} outside 0..{self.size - 1}")
        u = int(unit, 0) if unit is not None else self.units[0]
        if u not in self.units:
            raise ValueError(f"unit {u} is not served (serving {self.units})")
        return kind, addr, u

    def set(self, table, address, value, unit=None):
        kind, addr, u = self._locate(table, address, unit)
        v = int(value, 0)
        if kind in ("co", "di"):
            if v not in (0, 1):
                raise ValueError(f"a {table} is 0 or 1, got {v}")
        elif not 0 <= v <= 0xFFFF:
            raise ValueError(f"a register holds 0..65535, got {v}")
        self.context[u].setValues(FUNCTION[kind], addr, [v])

    def get(self, table, address, unit=None):
        kind, addr, u = self._locate(table, address, unit)
        return int(self.context[u].getValues(FUNCTION[kind], addr, 1)[0])

    def command(self, line):
        words = line.split()
        if not words:
            return "error: empty command"
        op, args = words[0], words[1:]
        try:
            if op == "set" and len(args) in (3, 4):
                self.set(*args)
                return "ok"
            if op == "get" and len(args) in (2, 3):
                return str(self.get(*args))
            if op == "connections" and not args:
                return str(CountingHandler.accepted)
            if op == "quit" and not args:
                return "bye"
        except ValueError as e:
            return f"error: {e}"
        return f"error: unknown command '{line.strip()}' (set, get, connections, quit)"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--unit", type=int, action="append")
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--set", action="append", default=[], metavar="TABLE:ADDRESS=VALUE")
    return p.parse_args()


async def main():
    args = parse_args()
    sim = Simulator(args.unit or [1], args.size)
    for item in args.set:
        try:
            target, value = item.split("=", 1)
            table, address = target.split(":", 1)
            sim.set(table, address, value)
        except ValueError as e:
            print(f"error: --set {item}: {e}", file=sys.stderr, flush=True)
            return 2

    server = ModbusTcpServer(sim.context, address=(args.host, args.port),
                             allow_reuse_address=True, handler=CountingHandler)
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    print(f"ready {args.host}:{args.port}", flush=True)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while not stop.is_set():
        next_line = asyncio.create_task(reader.readline())
        stopping = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({next_line, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if next_line not in done:
            next_line.cancel()
            break
        stopping.cancel()
        line = next_line.result().decode(errors="replace")
        if not line:
            break  # stdin closed
        reply = sim.command(line)
        print(reply, flush=True)
        if reply == "bye":
            break
    await server.shutdown()
    serving.cancel()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    sys.exit(asyncio.run(main()))
