#!/usr/bin/env python3
"""A batch worker's CPU per record, stage by stage (issue 15: where the end-to-end rate goes).

    python benchmarks/worker.py [--records 20000] [--chunk-size 5000] [--runs 3] [--generated]

In one process, after a warm-up chunk (rules loaded and compiled), JSONL records go through
rongcuo.batch.worker.evaluate_chunk as `rongcuo batch` sends them — under the law's timeline, the
default — and the CPU of each stage is summed: reading (decoding and validating the line into a
case), the engine (rongcuo.ask.evaluate: every case of the chunk at once), the results line and the
report's tallies of each record, settling the chunk (its summary, a18 labels, the spool files); the
rest is the chunk's own bookkeeping (records numbered, the collection after it). Records are all
distinct fact sets, 30 % of them dated (generate_cases.distinct), or with --generated the
generator's realistic ones. Each stage is printed in µs per record, min over --runs, beside the
total; `benchmarks/batch.py` gives the end-to-end rate these add up to on two worker processes
(slower per record: the two CPUs share the machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_cases  # noqa: E402
from rongcuo.batch import worker  # noqa: E402
from rongcuo.batch.columns import Layout  # noqa: E402
from rongcuo.batch.inputs import Chunk, Lines  # noqa: E402
from rongcuo.batch.workdir import Spool  # noqa: E402
from rongcuo.engine import RuleSet  # noqa: E402
from rongcuo.model import vocabulary as vocab  # noqa: E402

STAGES = {  # a stage and the worker's functions whose time it is
    "reading": ("_read",),
    "engine": ("evaluate",),
    "line and tallies": ("_evaluated", "_uncertain"),
    "settling": ("settle",),
}


def timed(spent: Counter, stage: str, fn):
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - start

    return run


def lines(args: argparse.Namespace) -> list[bytes]:
    if args.generated:
        records = generate_cases.cases(args.records, args.seed)
    else:
        facts = [f for f in vocab.fact_ids() if f != "enforcement_personnel"]
        incompatible = RuleSet.load("default").static_atoms("incompatible", 2)
        records = generate_cases.distinct(args.records, args.seed, facts, incompatible)
    return [orjson.dumps(r) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--chunk-size", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--generated", action="store_true", help="the generator's realistic cases, not distinct")
    args = parser.parse_args()
    data = lines(args)
    settings = worker.Settings("default", None, False, None, dt.date(2026, 6, 30), Layout(), timeline="bundled")
    worker.start(settings)
    spent: Counter = Counter()
    for stage, names in STAGES.items():
        for name in names:
            setattr(worker, name, timed(spent, stage, getattr(worker, name)))
    chunks = [data[i : i + args.chunk_size] for i in range(0, len(data), args.chunk_size)]
    with tempfile.TemporaryDirectory(prefix="rongcuo-worker-") as scratch:

        def run() -> float:
            start = time.process_time()
            for n, chunk in enumerate(chunks):
                task = Chunk(Lines("cases.jsonl", 1 + n * args.chunk_size, chunk), len(chunk), 0)
                worker.evaluate_chunk(task, Spool(Path(scratch) / f"chunk-{n}"))
            return time.process_time() - start

        run()  # the warm-up: the rules compiled, the memories as a running worker has them
        runs = []
        for _ in range(args.runs):
            spent.clear()
            total = run()
            runs.append({**spent, "the rest": total - sum(spent.values()), "total": total})
    per = 1e6 / len(data)
    kind = "generated" if args.generated else "distinct (30 % dated)"
    print(f"{len(data):,} {kind} records in chunks of {args.chunk_size:,}, one process, µs of CPU per record")
    print(f"{'stage':<20}" + "".join(f"{'run ' + str(i + 1):>9}" for i in range(len(runs))) + f"{'min':>9}")
    for stage in [*STAGES, "the rest", "total"]:
        values = [r.get(stage, 0.0) for r in runs]
        print(f"{stage:<20}" + "".join(f"{v * per:>9.1f}" for v in values) + f"{min(values) * per:>9.1f}")
    print(f"records per CPU-second: {len(data) / min(r['total'] for r in runs):,.0f}")


if __name__ == "__main__":
    main()
