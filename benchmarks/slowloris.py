#!/usr/bin/env python3
"""Slow clients against `rongcuo serve`: does the service still answer others?

    python benchmarks/slowloris.py [--connections 1100] [--seconds 20] [--port PORT]

Starts the server (`python -m rongcuo serve` on 127.0.0.1 and a free port), unless --port names one
already running, then opens ``--connections`` connections from 127.0.0.1 that never finish a request:
half send a request head one byte every second and never end it, half send a whole head announcing a
body of 100,000 bytes and then one byte of it a second. A connection the server closes is opened again
at once (a patient attacker). Meanwhile an honest client — from 127.0.0.2, another address — asks
``GET /healthz`` and ``POST /v1/evaluate`` (a golden case) four times a second, each on a connection of
its own with a 5 s timeout. Prints the attack's connections open and reopened, and the honest
requests answered 200, refused (any other status) or lost (no answer within 5 s), with their median
latency; exits 1 when fewer than 95 % of the honest requests were answered 200. Traffic goes to
loopback only; the run is bounded in time and stops the server it started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HOST, HONEST = "127.0.0.1", "127.0.0.2"


def case_body() -> bytes:
    data = yaml.safe_load((ROOT / "measure" / "golden" / "g-a11-p1-i6.yaml").read_text(encoding="utf-8"))
    case = {k: v for k, v in data.items() if k not in ("expect", "as_of")}
    return json.dumps(case, default=str, ensure_ascii=False).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


async def attacker(port: int, slow_body: bool, stats: Counter, until: float) -> None:
    """One connection that never finishes its request, opened again whenever the server closes it."""
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            stats["refused at connect"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["opened"] += 1
        stats["open"] += 1
        try:
            if slow_body:
                writer.write(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
            else:
                writer.write(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n")
            while time.monotonic() < until:
                writer.write(b"{" if slow_body else b"X")
                await writer.drain()
                try:  # anything read, or the end of the stream, means the server has given up on us
                    await asyncio.wait_for(reader.read(1024), 1.0)
                    break
                except TimeoutError:
                    pass
        except OSError:
            pass
        finally:
            stats["open"] -= 1
            writer.close()


async def honest(port: int, body: bytes) -> tuple[int | str, float]:
    """One request on a connection of its own, from another address: its status (or how it failed)."""
    start = time.monotonic()
    sock = socket.socket()
    sock.setblocking(False)
    sock.bind((HONEST, 0))
    try:
        async with asyncio.timeout(5):
            await asyncio.get_running_loop().sock_connect(sock, (HOST, port))
            reader, writer = await asyncio.open_connection(sock=sock)
            if body:
                head = f"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
                writer.write(head.encode() + b"Content-Type: application/json\r\nConnection: close\r\n\r\n" + body)
            else:
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            await writer.drain()
            line = await reader.readline()
            await reader.read()
            writer.close()
        status: int | str = int(line.split()[1]) if line else "closed"
    except TimeoutError:
        status = "lost"
    except OSError as e:
        status = type(e).__name__
    finally:
        sock.close()
    return status, time.monotonic() - start


async def run(port: int, connections: int, seconds: float) -> int:
    stats: Counter = Counter()
    until = time.monotonic() + seconds + 5
    attack = [asyncio.create_task(attacker(port, i % 2 == 1, stats, until)) for i in range(connections)]
    await asyncio.sleep(5)  # the attack in place
    print(f"attack: {stats['open']} connections open after 5 s", flush=True)
    body, answers, latency, opened = case_body(), Counter(), [], stats["opened"]
    asks = []
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        asks.append(asyncio.create_task(honest(port, body if i % 2 else b"")))
        i += 1
        await asyncio.sleep(0.25)
    for status, took in await asyncio.gather(*asks):
        answers[status] += 1
        if status == 200:
            latency.append(took)
    print(
        f"attack: {stats['open']} open at the end, {stats['opened'] - opened} reopened while measured, "
        f"{stats['refused at connect']} refused at connect"
    )
    for task in attack:
        task.cancel()
    await asyncio.gather(*attack, return_exceptions=True)
    total = sum(answers.values())
    ok = answers[200]
    median = f"{statistics.median(latency) * 1000:.0f} ms" if latency else "-"
    print(f"honest: {total} requests, {ok} answered 200 ({ok / total:.0%}), median {median}; all: {dict(answers)}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0 if ok >= 0.95 * total else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=None, help="a server already running on 127.0.0.1")
    args = parser.parse_args()
    server = None
    port = args.port
    if port is None:
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        server = subprocess.Popen([sys.executable, "-m", "rongcuo", "serve", "--port", str(port)], env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, port), 1):
                    break
            except OSError:
                time.sleep(0.2)
    try:
        return asyncio.run(run(port, args.connections, args.seconds))
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
