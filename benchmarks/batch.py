#!/usr/bin/env python3
"""Benchmark `rongcuo batch` end to end: N generated cases in JSONL → results.jsonl and the report.

    python benchmarks/batch.py [--cases 1000000] [--workers N] [--chunk-size 5000] [--per-case 2000] [--timeline]

Prints the end-to-end rate (wall clock, from the command's start to its
last output), the CPU time of the whole process tree, the peak memory — the
sum of the tree's resident memory and the largest single process, sampled
from /proc every 0.1 s, and what resource.getrusage(RUSAGE_CHILDREN) sees —
and, beside it, the rate of one clingo Control per case and the ratio of the
two. The workers are children of multiprocessing's fork server, which this
script does not wait for: getrusage alone would miss them, hence the
sampling. The cases come from benchmarks/generate_cases.py (not timed).

With ``--timeline`` (issue 18's check: a two-version timeline within 1.5× the one-version time) the
same cases run twice — as `rongcuo batch` runs them by default (the law's timeline, measure/versions.yaml:
one version, the bundled rules), and with ``--timeline`` on two versions (the bundled
rules until 2021-01-01, the draft a12-cooperation-suffices from then: the generated conduct dates run
2016–2025, so both versions apply and some cases straddle the switch) — and both times are printed
with their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402
import generate_cases  # noqa: E402
from rongcuo.engine import RuleSet, bundled_root  # noqa: E402
from rongcuo.model import vocabulary as vocab  # noqa: E402
from rongcuo.model.case import parse_case  # noqa: E402

AS_OF = dt.date(2026, 6, 30)
SWITCH = dt.date(2021, 1, 1)  # --timeline: the second version's first day, amid the generated conduct dates
TARGET = 1.5  # --timeline: a two-version timeline within this many times the one-version time


def two_versions(folder: Path) -> Path:
    """A timeline of two versions: the bundled rules until SWITCH, the illustrative a12 draft from it."""
    draft = bundled_root() / "drafts" / "a12-cooperation-suffices"
    path = folder / "versions.yaml"
    path.write_text(
        "versions:\n"
        f"  - {{id: v_before, rules: bundled, until: {SWITCH.isoformat()}}}\n"
        f"  - {{id: v_after, from: {SWITCH.isoformat()}, rules: {draft}}}\n",
        encoding="utf-8",
    )
    return path


def tree(pid: int) -> tuple[int, int, float]:
    """Of a process and all its descendants (Linux /proc): resident memory summed and the largest
    peak of one process, in bytes, and CPU seconds, counting the children each one has reaped."""
    rss = hwm = 0
    cpu = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                status = dict(line.split(":", 1) for line in f)
            with open(f"/proc/{current}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{current}/task/{current}/children") as f:
                pending += [int(child) for child in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        rss += int(status.get("VmRSS", "0").split()[0]) * 1024  # a zombie has no memory left
        hwm = max(hwm, int(status.get("VmHWM", "0").split()[0]) * 1024)
        cpu += sum(int(n) for n in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    return rss, hwm, cpu


def records(args: argparse.Namespace):
    """The cases to write: the generator's realistic ones, or all distinct fact sets (--distinct)."""
    if not args.distinct:
        return generate_cases.cases(args.cases, args.seed)
    rules = RuleSet.load("default")
    facts = [f for f in vocab.fact_ids() if f != "enforcement_personnel"]
    return generate_cases.distinct(args.cases, args.seed, facts, rules.static_atoms("incompatible", 2))


def main_cpu(pid: int) -> float:
    """CPU seconds of the process itself (utime + stime), without its children."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return sum(int(n) for n in fields[11:13]) / os.sysconf("SC_CLK_TCK")


def run_batch(cases: Path, out: Path, workers: int | None, chunk_size: int, *extra: str) -> dict:
    command = [
        sys.executable,
        "-m",
        "rongcuo",
        "batch",
        str(cases),
        "--out",
        str(out),
        "--as-of",
        AS_OF.isoformat(),
        "--chunk-size",
        str(chunk_size),
    ]
    if workers:
        command += ["--workers", str(workers)]
    command += extra
    peak = {"tree": 0, "process": 0, "cpu": 0.0, "main_cpu": 0.0}
    load = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while proc.poll() is None:
            rss, hwm, cpu = tree(proc.pid)
            peak.update(tree=max(peak["tree"], rss), process=max(peak["process"], hwm), cpu=max(peak["cpu"], cpu))
            peak["main_cpu"] = max(peak["main_cpu"], main_cpu(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode:
        sys.exit(f"batch failed ({proc.returncode}): {stderr}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": seconds,
        "printed": stdout.strip(),
        "peak_tree": peak["tree"],
        "peak_process": peak["process"],
        "getrusage": children.ru_maxrss * 1024,  # KiB on Linux
        "cpu": peak["cpu"],
        "main_cpu": peak["main_cpu"],
        "load": load,
    }


def per_case_rate(cases: Path, n: int) -> float:
    """Cases per second with one Control per case (one process, benchmarks/baseline.py), on the first n cases."""
    rules = RuleSet.load("default")
    with cases.open(encoding="utf-8") as f:
        sample = [parse_case(json.loads(next(f)), "bench") for _ in range(n)]
    started = time.perf_counter()
    baseline.one_control_per_case(rules, sample, AS_OF)
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=None, help="default: rongcuo batch's (one per CPU)")
    parser.add_argument("--chunk-size", type=int, default=5_000)
    parser.add_argument("--per-case", type=int, default=2_000, help="cases for the one-Control-per-case rate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="all fact sets different, 30%% of the cases dated (generate_cases.distinct)",
    )
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    parser.add_argument(
        "--timeline",
        action="store_true",
        help="also run the cases on a two-version timeline and print both times (issue 18: within 1.5×)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rongcuo-bench-") as scratch:
        tmp = str(args.keep or scratch)
        Path(tmp).mkdir(parents=True, exist_ok=True)
        cases = Path(tmp) / "cases.jsonl"
        print(f"generating {args.cases:,} {'distinct ' if args.distinct else ''}cases …", file=sys.stderr)
        with cases.open("w", encoding="utf-8") as f:
            generate_cases.write_jsonl(records(args), f)
        size = cases.stat().st_size
        print(f"running rongcuo batch on {size / 1e6:,.0f} MB …", file=sys.stderr)
        batch = run_batch(cases, Path(tmp) / "out", args.workers, args.chunk_size)
        if args.timeline:
            print("running rongcuo batch --timeline (two versions) …", file=sys.stderr)
            versions = two_versions(Path(tmp))
            timed = run_batch(cases, Path(tmp) / "timeline", args.workers, args.chunk_size, "--timeline", str(versions))
        out = Path(tmp) / "out"
        results = sum(1 for _ in (out / "results.jsonl").open("rb"))
        sizes = {
            name: (out / name).stat().st_size
            for name in ("report.md", "report.html", "disagreements.jsonl")
            if (out / name).exists()
        }
        single = per_case_rate(cases, args.per_case)
    rate = args.cases / batch["seconds"]
    print(f"cases                      {args.cases:>12,}   ({size / 1e6:,.0f} MB of JSONL, {os.cpu_count()} CPUs)")
    print(f"results.jsonl lines        {results:>12,}")
    for name, n in sizes.items():
        print(f"{name:<26} {n / 1e3:>12,.0f} kB")
    print(f"end to end                 {batch['seconds']:>12.1f} s   {rate:>10,.0f} cases/s")
    per_cpu = args.cases / batch["cpu"]
    print(f"CPU, process tree          {batch['cpu']:>12.1f} s   {per_cpu:>10,.0f} cases per CPU-second (sampled)")
    main_share = batch["main_cpu"] / batch["cpu"] if batch["cpu"] else 0.0
    print(f"CPU, main process          {batch['main_cpu']:>12.1f} s   {main_share:>10.1%} of the tree's")
    print(f"load average before / after {batch['load'][0]:>5.2f} / {os.getloadavg()[0]:.2f} (1 min)")
    print(f"peak memory, process tree  {batch['peak_tree'] / 2**20:>12,.0f} MiB (sum of RSS, sampled every 0.1 s)")
    print(f"peak memory, one process   {batch['peak_process'] / 2**20:>12,.0f} MiB (largest VmHWM, sampled)")
    print(f"getrusage RUSAGE_CHILDREN  {batch['getrusage'] / 2**20:>12,.0f} MiB (ru_maxrss: the batch's main process)")
    print(f"one Control per case       {single:>12,.0f} cases/s (one process, {args.per_case:,} cases)")
    print(f"ratio batch / per case     {rate / single:>12.1f} ×")
    print(f"batch said: {batch['printed']}")
    if args.timeline:
        ratio = timed["seconds"] / batch["seconds"]
        print(f"one version (law's)        {batch['seconds']:>12.1f} s   {rate:>10,.0f} cases/s")
        slow = args.cases / timed["seconds"]
        print(f"two-version timeline       {timed['seconds']:>12.1f} s   {slow:>10,.0f} cases/s")
        print(f"timeline / one version     {ratio:>12.2f} ×   (target ≤ {TARGET} ×: {'✓' if ratio <= TARGET else '✗'})")
        print(f"CPU, timeline tree         {timed['cpu']:>12.1f} s   peak memory {timed['peak_tree'] / 2**20:,.0f} MiB")
        print(f"timeline batch said: {timed['printed']}")


if __name__ == "__main__":
    main()
