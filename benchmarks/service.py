#!/usr/bin/env python3
"""Load on `rongcuo serve`: concurrent clients on loopback, a fixed count of requests.

    python benchmarks/service.py [--requests 10000] [--clients 8] [--warmup 1000]

Starts the server (`python -m rongcuo serve` on 127.0.0.1 and a free port),
warms it up, reads its resident memory, sends the requests — POST
/v1/evaluate, each one of the golden cases in turn, over keep-alive
connections — and reads its memory again. Prints requests/s, p50/p99
latency, errors and memory against the targets of issue 6, and exits 1 when
one is missed. Traffic goes to 127.0.0.1 only; the run is bounded in count
and time and stops the server it started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
AS_OF = "2024-12-31"
TARGETS = {"requests/s": 300.0, "p99 ms": 50.0, "errors": 0, "memory growth MiB": 10.0}
TIME_LIMIT = 600  # seconds for the whole run


def bodies() -> list[bytes]:
    """The golden cases as request bodies (the contradictory ones left out: they are answered 422)."""
    out = []
    for path in sorted((ROOT / "measure" / "golden").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name.startswith("g-contra"):
            continue
        case = {k: v for k, v in data.items() if k not in ("expect", "as_of")}
        out.append(json.dumps(case, default=str, ensure_ascii=False).encode())
    return out


def request(body: bytes) -> bytes:
    head = (
        f"POST /v1/evaluate?as_of={AS_OF} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes) -> int:
    writer.write(data)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(
        int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")
    )
    await reader.readexactly(length)
    return status


async def load(port: int, count: int, clients: int, payloads: list[bytes]) -> tuple[list[float], int, float]:
    """Send ``count`` requests over ``clients`` connections: latencies (s), errors, wall time."""
    latencies: list[float] = []
    errors = 0
    next_index = 0

    async def client() -> None:
        nonlocal next_index, errors
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while next_index < count:
                data = payloads[next_index % len(payloads)]
                next_index += 1
                start = time.perf_counter()
                try:
                    status = await one(reader, writer, data)
                except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
                    continue
                latencies.append(time.perf_counter() - start)
                errors += status != 200
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(clients))), TIME_LIMIT)
    return latencies, errors, time.perf_counter() - start


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "rongcuo", "serve", "--host", HOST, "--port", str(port)],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def report(latencies: list[float], errors: int, wall: float, before: float, after: float) -> bool:
    cuts = statistics.quantiles(latencies, n=100)
    measured = {
        "requests/s": len(latencies) / wall,
        "p99 ms": cuts[98] * 1000,
        "errors": errors,
        "memory growth MiB": after - before,
    }
    print(
        f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms; "
        f"server RSS {before:.1f} MiB before, {after:.1f} MiB after"
    )
    print(f"{'':20} {'measured':>10} {'target':>10}")
    met = True
    for name, target in TARGETS.items():
        ok = measured[name] >= target if name == "requests/s" else measured[name] <= target
        met &= ok
        print(
            f"{name:20} {measured[name]:10.1f} {('≥ ' if name == 'requests/s' else '≤ ') + str(target):>10} "
            f"{'ok' if ok else 'MISSED'}"
        )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=1_000)
    args = parser.parse_args()
    payloads = [request(b) for b in bodies()]
    port = free_port()
    server = start_server(port)
    try:
        asyncio.run(load(port, args.warmup, args.clients, payloads))
        before = rss_mib(server.pid)
        latencies, errors, wall = asyncio.run(load(port, args.requests, args.clients, payloads))
        after = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    print(
        f"POST /v1/evaluate: {args.requests} requests, {args.clients} concurrent clients on {HOST}, "
        f"{len(payloads)} golden cases in turn"
    )
    return 0 if report(latencies, errors, wall, before, after) else 1


if __name__ == "__main__":
    sys.exit(main())
