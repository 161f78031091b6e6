#!/usr/bin/env python3
"""A long fuzz run (issue 16.7): the fuzz suite's hostile inputs, many more of them than CI tries.

    python benchmarks/fuzz.py [--examples 2000] [--batch 5000] [--seed 0]

The strategies are tests/test_fuzz.py's (random bytes, random YAML/JSON trees, valid cases with one field
replaced by anything), run through every door, in process where it can be:

  decode    the YAML and JSON loaders (two answers each)  a value, or a DecodeError of one line
  case      the case model                              a Case, or a CaseError of one line
  evaluate  the application layer (rongcuo.ask)         an answer for every parsed case; no exception
  service   every POST endpoint of the HTTP API         no 5xx; a problem's detail is one line
  batch     `rongcuo batch` over a JSONL of such lines  exit 0 or 1, every line accounted for, no traceback

Prints, per door, the inputs tried, how many were answered and how many refused (by catalogue key), and the
crashes — any other exception, a 5xx, a detail of several lines, a lost record. Exits 1 on a crash.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_fuzz import ENDPOINTS, _client, documents, mutated  # noqa: E402  # the suite's strategies

from rongcuo.ask import Ask, Rejected, evaluate  # noqa: E402
from rongcuo.engine import RuleSet  # noqa: E402
from rongcuo.model.case import CaseError, parse_case  # noqa: E402
from rongcuo.model.decode import DecodeError, decode_json, decode_yaml  # noqa: E402

AS_OF = "2024-12-31"


class Tally:
    def __init__(self) -> None:
        self.tried = 0
        self.answered = 0
        self.refused: Counter = Counter()
        self.crashes: list[str] = []

    def crash(self, what: str) -> None:
        self.crashes.append(what[:400])


def fuzz(name: str, strategy, door, examples: int, seed: int) -> Tally:
    """Run ``door`` on ``examples`` inputs drawn from ``strategy``; what it answers, refuses or crashes on."""
    tally = Tally()

    @hypothesis_seed(seed)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(value=strategy)
    def run(value):
        tally.tried += 1
        try:
            door(value, tally)
        except Exception:  # anything the door let through is a crash, reported below
            tally.crash(f"{name}: {value!r:.200} → {traceback.format_exc(limit=-2)}")

    run()
    return tally


def decode(data: bytes, tally: Tally) -> None:
    for loader in (decode_json, lambda d: decode_yaml(d.decode("utf-8", "replace"))):
        try:
            loader(data)
            tally.answered += 1
        except DecodeError as e:
            _refused(tally, e.code, str(e))


def case(value, tally: Tally) -> None:
    try:
        parse_case(value, "fuzz")
        tally.answered += 1
    except CaseError as e:
        _refused(tally, e.code, str(e))


def evaluator():
    ask = Ask(RuleSet.load("default"), _day(AS_OF))

    def door(value, tally: Tally) -> None:
        try:
            parsed = parse_case(value, "fuzz")
        except CaseError as e:
            _refused(tally, e.code, str(e))
            return
        (answer,) = evaluate(ask, [parsed])
        if isinstance(answer, Rejected):
            _refused(tally, answer.error.code, str(answer.error))
        else:
            tally.answered += 1

    return door


def service(value, tally: Tally) -> None:
    path, body, raw = value
    content = json.dumps(body, default=str) if not raw else str(body)
    response = _client().post(path, content=content, headers={"content-type": "application/json"})
    if response.status_code >= 500 or "Traceback" in response.text:
        tally.crash(f"service: {path} {content[:200]} → {response.status_code} {response.text[:200]}")
    elif response.status_code >= 400:
        problem = response.json()
        _refused(tally, problem.get("code", str(response.status_code)), problem.get("detail", ""))
    else:
        tally.answered += 1


def batch(lines: list[bytes]) -> Tally:
    """One `rongcuo batch` over the lines: every record evaluated or rejected, none lost, no traceback."""
    tally = Tally()
    tally.tried = len(lines)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "fuzz.jsonl"
        source.write_bytes(b"\n".join(lines) + b"\n")
        out = Path(tmp) / "out"
        run = subprocess.run(
            [sys.executable, "-m", "rongcuo", "batch", str(source), "--out", str(out), "--as-of", AS_OF],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if run.returncode not in (0, 1) or "Traceback" in run.stderr:
            tally.crash(f"batch: exit {run.returncode}: {run.stderr[-400:]}")
            return tally
        text = (out / "results.jsonl").read_text("utf-8")  # lines end in \n only: a text may hold U+2028
        results = [json.loads(line) for line in text.split("\n")[:-1]]
    blank = sum(1 for line in lines if not line.strip())
    if len(results) != len(lines) - blank:
        tally.crash(f"batch: {len(lines) - blank} records, {len(results)} results lines")
    for r in results:
        if r["status"] == "evaluated":
            tally.answered += 1
        else:
            _refused(tally, r["code"], r["reason"])
    return tally


def batch_lines(count: int, seed: int) -> list[bytes]:
    """Mutated cases as JSON lines, with garbage lines among them, each with an id of its own."""
    found: list[bytes] = []

    @hypothesis_seed(seed)
    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(value=mutated(documents), garbage=st.binary(max_size=60), which=st.integers(0, 9))
    def draw(value, garbage, which):
        if which == 0:
            found.append(garbage.replace(b"\n", b" "))
        else:
            record = {**value, "id": f"F-{len(found)}"} if isinstance(value.get("id"), str) else value
            found.append(json.dumps(record, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass"))

    draw()
    return found


def _refused(tally: Tally, code: str, text: str) -> None:
    if "\n" in text.strip():
        tally.crash(f"several lines: {text[:300]}")
    tally.refused[code] += 1


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per door (default 2000)")
    parser.add_argument("--batch", type=int, default=5000, help="records of the batch door (default 5000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    doors = [
        ("decode", st.binary(max_size=400), decode),
        ("case", documents | mutated(documents), case),
        ("evaluate", mutated(documents), evaluator()),
        ("service", st.tuples(st.sampled_from(ENDPOINTS), documents | mutated(documents), st.booleans()), service),
    ]
    print(f"rongcuo fuzz run: {args.examples:,} inputs per door, a batch of {args.batch:,} records, seed {args.seed}")
    print(f"{'door':<10} {'tried':>8} {'answered':>9} {'refused':>8} {'crashes':>8} {'seconds':>8}  most refused")
    crashes: list[str] = []
    for name, strategy, door in [*doors, ("batch", None, None)]:
        t0 = time.perf_counter()
        tally = (
            batch(batch_lines(args.batch, args.seed))
            if name == "batch"
            else fuzz(name, strategy, door, args.examples, args.seed)
        )
        seconds = time.perf_counter() - t0
        common = ", ".join(f"{code} {n}" for code, n in tally.refused.most_common(3))
        refused = sum(tally.refused.values())
        counts = f"{tally.tried:>8,} {tally.answered:>9,} {refused:>8,} {len(tally.crashes):>8}"
        print(f"{name:<10} {counts} {seconds:>8.1f}  {common}")
        crashes += tally.crashes
    for what in crashes[:20]:
        print(f"CRASH {what}")
    print(f"crashes: {len(crashes)}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
