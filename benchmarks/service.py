#!/usr/bin/env python3
"""Load on `rongcuo serve`: concurrent clients on loopback, a fixed count of requests.

    python benchmarks/service.py [--cases distinct|golden] [--requests 50000] [--clients 8] [--warmup 2000]
                                 [--workers N]

Starts the server (`python -m rongcuo serve` on 127.0.0.1 and a free port, with
``--workers`` processes: one per CPU unless told),
warms it up, reads its resident memory, sends the requests — POST
/v1/evaluate, one case each, over keep-alive connections — reading its
memory every ``--every`` requests, and reads it again at the end. With
``--cases distinct`` (the default) every request, the warm-up's too, is a
case never sent before: a fact set of its own and its own dates
(benchmarks/generate_cases.py ``distinct``), what makes a server that keeps
something per request grow; ``golden`` sends the golden cases in turn.
Prints requests/s, p50/p99 latency, errors (a transport failure or a status
other than 200) and memory growth against the targets of issue 15, and
exits 1 when one is missed. Timings depend on what else the machine runs:
the load average is printed beside them, and the server's CPU time per
request (user and system, its workers' too). Traffic goes to 127.0.0.1 only;
the run is bounded in count and time and stops the server it started.
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate_cases  # noqa: E402

HOST = "127.0.0.1"
AS_OF = "2024-12-31"
TARGETS = {"requests/s": 1500.0, "p99 ms": 20.0, "errors": 0, "RSS growth %": 10.0}
TIME_LIMIT = 600  # seconds for the whole run
TRANSPORT = 0  # the status counted for a request that got no answer


def golden() -> list[bytes]:
    """The golden cases as request bodies (the contradictory ones left out: they are answered 422)."""
    out = []
    for path in sorted((ROOT / "measure" / "golden").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name.startswith("g-contra"):
            continue
        case = {k: v for k, v in data.items() if k not in ("expect", "as_of")}
        out.append(json.dumps(case, default=str, ensure_ascii=False).encode())
    return out


def distinct(count: int, seed: int) -> list[bytes]:
    """``count`` request bodies, each a case whose set of true facts no other has, with dates of its own."""
    from rongcuo.engine import RuleSet  # the incompatible pairs: a case that cannot hold is answered 422
    from rongcuo.model import vocabulary as vocab

    facts = [f for f in vocab.fact_ids() if f != "enforcement_personnel"]
    pairs = RuleSet.load("default").static_atoms("incompatible", 2)
    records = generate_cases.distinct(count, seed, facts, pairs)
    return [json.dumps(r, ensure_ascii=False).encode() for r in records]


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


class Run:
    """What one round of requests measured: latencies (s), statuses, wall time and the RSS samples."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.rss: list[tuple[int, float]] = []  # (requests answered, server RSS MiB)
        self.wall = 0.0

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)


async def load(port: int, payloads: list[bytes], clients: int, pid: int, every: int) -> Run:
    """Send each payload once over ``clients`` connections, reading the server's RSS every ``every`` answers."""
    run = Run()
    next_index = 0

    async def client() -> None:
        nonlocal next_index
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while next_index < len(payloads):
                data = payloads[next_index]
                next_index += 1
                start = time.perf_counter()
                try:
                    status = await one(reader, writer, data)
                except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
                    run.statuses[TRANSPORT] += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
                    continue
                run.latencies.append(time.perf_counter() - start)
                run.statuses[status] += 1
                if len(run.latencies) % every == 0:
                    run.rss.append((len(run.latencies), rss_mib(pid)))
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(clients))), TIME_LIMIT)
    run.wall = time.perf_counter() - start
    return run


def rss_mib(pid: int) -> float:
    """The resident memory of the server and its worker processes (serve --workers), summed: pages the
    workers share with the parent are counted in each."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return total + sum(rss_mib(int(child)) for child in children)


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) the server and its worker processes have used: what the requests cost
    it, where requests/s is wall time shared with the clients and any other work."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return total + sum(cpu_seconds(int(child)) for child in children)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "rongcuo", "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
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


def report(run: Run, before: float, after: float) -> bool:
    cuts = statistics.quantiles(run.latencies, n=100)
    measured = {
        "requests/s": len(run.latencies) / run.wall,
        "p99 ms": cuts[98] * 1000,
        "errors": run.errors,
        "RSS growth %": (after - before) / before * 100,
    }
    print(f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, max {max(run.latencies) * 1000:.1f} ms")
    print("statuses: " + ", ".join(f"{s or 'no answer'} × {n}" for s, n in sorted(run.statuses.items())))
    print(f"server RSS MiB: {before:.1f} before; " + ", ".join(f"{rss:.1f} at {n}" for n, rss in run.rss))
    print(f"server RSS {after:.1f} MiB after: {after - before:+.1f} MiB ({measured['RSS growth %']:+.1f} %)")
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


def payloads(kind: str, warmup: int, count: int, seed: int) -> tuple[list[bytes], list[bytes]]:
    """The warm-up's requests and the measured ones: distinct cases all different, golden ones in turn."""
    if kind == "distinct":
        bodies = [request(b) for b in distinct(warmup + count, seed)]
        return bodies[:warmup], bodies[warmup:]
    cases = [request(b) for b in golden()]
    return [cases[i % len(cases)] for i in range(warmup)], [cases[i % len(cases)] for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", choices=("distinct", "golden"), default="distinct")
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--every", type=int, default=5_000, help="requests between two readings of the RSS")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="serve --workers (default: CPUs)")
    args = parser.parse_args()
    warm, measured = payloads(args.cases, args.warmup, args.requests, args.seed)
    port = free_port()
    server = start_server(port, args.workers)
    try:
        asyncio.run(load(port, warm, args.clients, server.pid, args.every))
        before = rss_mib(server.pid)
        load_before, cpu_before = os.getloadavg()[0], cpu_seconds(server.pid)
        run = asyncio.run(load(port, measured, args.clients, server.pid, args.every))
        after = rss_mib(server.pid)
        load_after, cpu = os.getloadavg()[0], cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(10)
    print(
        f"POST /v1/evaluate: {args.requests} requests after {args.warmup} to warm up, {args.clients} concurrent "
        f"clients on {HOST}, {'each a case never sent before' if args.cases == 'distinct' else 'golden cases in turn'}"
        f"; serve --workers {args.workers}; load average {load_before:.2f} before, {load_after:.2f} after"
        f" ({os.cpu_count()} CPUs); server CPU {cpu / args.requests * 1000:.3f} ms a request"
    )
    return 0 if report(run, before, after) else 1


if __name__ == "__main__":
    sys.exit(main())
