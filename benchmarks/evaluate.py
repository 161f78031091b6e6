#!/usr/bin/env python3
"""Speed of rongcuo's evaluation paths.

    python benchmarks/evaluate.py [--n 10000] [--per-case-n 1000] [--profile default] [--seed 1] [--workers 2]

Generates N synthetic valid cases (3–10 true facts, enforcement_personnel
mostly true, 1–4 dates, no contradictory pair), then times

  (a) many cases, one process  RuleSet.evaluate on chunks of 10,000 cases
  (b) many cases, W processes  the same chunks split over a ProcessPoolExecutor
                               (each worker loads the RuleSet once; chunks of 5,000–10,000)
  (c) one Control per case     the whole rule base grounded for each of the first per-case-n
                               cases alone, nothing remembered (benchmarks/baseline.py)

and prints cases/s of each, the ratios (a)/(c) and (b)/(c), and whether the
targets are met: many-cases ≥ 10× per-case, and ≥ 20,000 cases/s.
Case generation, rule loading and the worker start-up are not timed (the
start-up is printed separately); a short warm-up precedes each timed path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import clingo

import baseline
from rongcuo.engine import RuleSet
from rongcuo.model import vocabulary as vocab
from rongcuo.model.case import Case, parse_case

AS_OF = dt.date(2026, 6, 30)
CHUNK = 10_000
TARGET_RATIO = 10.0
TARGET_RATE = 20_000.0

FIELDS = ["食品安全", "特种设备", "药品监管", "价格监督", "广告监管", "计量", "网络交易", "知识产权"]
ERRORS = ["漏检隐患", "程序瑕疵", "证据不足", "定性偏差", "超期办理", "文书错误"]
SURNAMES = "张王李赵刘陈杨黄周吴"
UNITS = ["执法大队", "食品安全股", "特种设备股", "综合执法一中队", "综合执法二中队"]


# ---------------------------------------------------------------------------
# Synthetic cases
# ---------------------------------------------------------------------------


def make_cases(n: int, seed: int, incompatible: list[tuple[str, str]]) -> list[Case]:
    rng = random.Random(seed)
    others = [f for f in vocab.fact_ids() if f != "enforcement_personnel"]
    clashes: dict[str, set[str]] = {}
    for f, g in incompatible:
        clashes.setdefault(f, set()).add(g)
        clashes.setdefault(g, set()).add(f)
    start = dt.date(2021, 1, 1).toordinal()
    cases = []
    for i in range(n):
        k = rng.randint(3, 10)
        true = {"enforcement_personnel"} if rng.random() < 0.95 else set()
        while len(true) < k:
            f = rng.choice(others)
            if not clashes.get(f, set()) & true:
                true.add(f)
        facts = {f: True for f in true}
        for f in rng.sample(others, rng.randint(0, 6)):  # a few stated false
            facts.setdefault(f, False)
        conduct = dt.date.fromordinal(start + rng.randint(0, 5 * 365))
        decision = conduct + dt.timedelta(days=rng.randint(5, 90))
        deadline = decision + dt.timedelta(days=rng.randint(15, 90))
        candidates = {
            "decision": decision,
            "notified": decision + dt.timedelta(days=rng.randint(1, 12)),
            "correction_deadline": deadline,
            "extended_deadline": deadline + dt.timedelta(days=rng.randint(10, 60)),
            "correction_completed": deadline + dt.timedelta(days=rng.randint(-30, 30)),
        }
        dates = {"conduct": conduct}
        for key in rng.sample(sorted(candidates), rng.randint(0, 3)):
            dates[key] = candidates[key]
        cases.append(
            parse_case(
                {
                    "id": f"BM-{i:06d}",
                    "title": f"合成用例 {i}",
                    "subject": {"name": rng.choice(SURNAMES) + "某", "unit": rng.choice(UNITS)},
                    "field": rng.choice(FIELDS),
                    "error_type": rng.choice(ERRORS),
                    "facts": facts,
                    "dates": {k: v.isoformat() for k, v in dates.items()},
                    "narrative": "合成案情，用于测速。",
                },
                f"<synthetic {i}>",
            )
        )
    return cases


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# ---------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------

_WORKER_RULES: RuleSet | None = None


def _init_worker(profile: str) -> None:
    global _WORKER_RULES
    _WORKER_RULES = RuleSet.load(profile)


def _ready(_: object = None) -> int:
    return os.getpid()


def _evaluate_chunk(cases: list[Case]) -> list:
    return _WORKER_RULES.evaluate(cases, as_of=AS_OF)


# ---------------------------------------------------------------------------
# Timed paths
# ---------------------------------------------------------------------------


def many_cases(rules: RuleSet, cases: list[Case]) -> tuple[float, list]:
    rules.evaluate(cases[:200], as_of=AS_OF)  # warm-up
    results = []
    t0 = time.perf_counter()
    for chunk in chunks(cases, CHUNK):
        results += rules.evaluate(chunk, as_of=AS_OF)
    return time.perf_counter() - t0, results


def many_cases_parallel(profile: str, cases: list[Case], workers: int) -> tuple[float, float, list]:
    size = min(CHUNK, max(5_000, math.ceil(len(cases) / workers)))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(profile,)) as pool:
        # Start every worker (and load its RuleSet) before timing.
        list(pool.map(_ready, range(workers * 4)))
        list(pool.map(_evaluate_chunk, [cases[:200]] * workers))  # warm-up
        startup = time.perf_counter() - t0
        t1 = time.perf_counter()
        results = [r for part in pool.map(_evaluate_chunk, chunks(cases, size)) for r in part]
        elapsed = time.perf_counter() - t1
    return elapsed, startup, results


def one_control_per_case(rules: RuleSet, cases: list[Case]) -> tuple[float, list]:
    baseline.one_control_per_case(rules, cases[:20], AS_OF)  # warm-up
    t0 = time.perf_counter()
    results = baseline.one_control_per_case(rules, cases, AS_OF)
    return time.perf_counter() - t0, results


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="cases for the many-cases paths (default 10000)")
    parser.add_argument(
        "--per-case-n", type=int, default=1_000, help="cases for the one-Control-per-case path (default 1000)"
    )
    parser.add_argument("--profile", default="default", help="rule profile (default: default)")
    parser.add_argument("--seed", type=int, default=20240630, help="seed of the case generator")
    parser.add_argument("--workers", type=int, default=2, help="processes for path (b) (default 2)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.per_case_n < 1 or args.workers < 1:
        parser.error("--n, --per-case-n and --workers must be at least 1")

    rules = RuleSet.load(args.profile)
    t0 = time.perf_counter()
    cases = make_cases(max(args.n, args.per_case_n), args.seed, rules.static_atoms("incompatible", 2))
    generation = time.perf_counter() - t0
    many, single = cases[: args.n], cases[: args.per_case_n]

    print(f"rongcuo evaluation benchmark — profile {args.profile} (rules {rules.digest}), seed {args.seed}")
    print(
        f"python {platform.python_version()}, clingo {clingo.__version__}, {os.cpu_count()} CPUs, "
        f"{platform.machine()} {platform.system()}"
    )
    print(f"generated {len(cases):,} cases in {generation:.2f} s (not timed below); as_of {AS_OF}")
    print()

    t_a, res_a = many_cases(rules, many)
    t_b, startup, res_b = many_cases_parallel(args.profile, many, args.workers)
    t_c, res_c = one_control_per_case(rules, single)

    rate_a, rate_b, rate_c = len(many) / t_a, len(many) / t_b, len(single) / t_c
    size_b = min(CHUNK, max(5_000, math.ceil(len(many) / args.workers)))
    rows = [
        ("(a) many cases, 1 process", f"chunks of {CHUNK:,}", len(many), t_a, rate_a),
        (f"(b) many cases, {args.workers} processes", f"chunks of {size_b:,}", len(many), t_b, rate_b),
        ("(c) one Control per case", "1 case per Control", len(single), t_c, rate_c),
    ]
    print(f"{'path':<30} {'batching':<20} {'cases':>8} {'seconds':>9} {'cases/s':>10} {'ms/case':>9}")
    print("-" * 91)
    for name, how, n, t, rate in rows:
        print(f"{name:<30} {how:<20} {n:>8,} {t:>9.3f} {rate:>10,.0f} {1000 * t / n:>9.3f}")
    print(f"(worker start-up and RuleSet loading for (b), not timed: {startup:.2f} s)")
    print()

    ratio_a, ratio_b = rate_a / rate_c, rate_b / rate_c
    checks = [
        (f"(a)/(c) = {ratio_a:.1f}×", f"many-cases ≥ {TARGET_RATIO:.0f}× per-case", ratio_a >= TARGET_RATIO),
        (f"(b)/(c) = {ratio_b:.1f}×", f"many-cases ≥ {TARGET_RATIO:.0f}× per-case", ratio_b >= TARGET_RATIO),
        (f"(a) = {rate_a:,.0f} cases/s", f"≥ {TARGET_RATE:,.0f} cases/s", rate_a >= TARGET_RATE),
        (f"(b) = {rate_b:,.0f} cases/s", f"≥ {TARGET_RATE:,.0f} cases/s", rate_b >= TARGET_RATE),
    ]
    print(f"{'measured':<28} {'target':<30} met")
    print("-" * 64)
    for measured, target, met in checks:
        print(f"{measured:<28} {target:<30} {'yes' if met else 'NO'}")

    # The three paths must agree, or the figures mean nothing.
    same_ab = [r.to_json() for r in res_a] == [r.to_json() for r in res_b]
    same_ac = [r.to_json() for r in res_a[: len(res_c)]] == [r.to_json() for r in res_c]
    print()
    print(
        f"results agree: (a) = (b) {'yes' if same_ab else 'NO'}; "
        f"(a) = (c) on the first {len(res_c):,} cases {'yes' if same_ac else 'NO'}"
    )
    mix: dict[str, int] = {}
    for r in res_a:
        mix[r.disposition] = mix.get(r.disposition, 0) + 1
    print("dispositions: " + ", ".join(f"{k} {mix.get(k, 0):,}" for k in vocab.outcome_names()))
    return 0 if same_ab and same_ac else 1


if __name__ == "__main__":
    sys.exit(main())
