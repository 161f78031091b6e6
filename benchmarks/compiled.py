#!/usr/bin/env python3
"""The compiled evaluator against today's split path, on cases whose fact sets are all different.

    python benchmarks/compiled.py [--n 100000] [--profile default] [--seed 1] [--chunk 10000]

Generates N valid cases with distinct sets of true facts (3–10 of them, a conduct date and now
and then another, as benchmarks/evaluate.py makes them), then evaluates them in-process,
RuleSet.evaluate-style in chunks, on two evaluators of the same rules in the same run:

  (old) split      the facts-only rules grounded by clingo once per fact set (engine.evaluate)
  (new) compiled   the facts-only rules as clingo's ground program, bit-parallel (engine.compiled)

  (new) compiled   the facts-only rules as clingo's ground program, bit-parallel (engine.compiled), and
                   the dated rules vectorised over the chunk's day numbers (engine.dated)

and beside them the compiled bottom with the dated rules grounded by clingo per call (what the dated
part cost before engine.dated); prints cases/s of each, the ratios, whether the results agree case for
case, and where the compiled path's time goes (the bottom, the dated rules, reading the answers).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import clingo

import rongcuo.engine.evaluate as evaluate_module
from evaluate import AS_OF, make_cases
from rongcuo.engine import RuleSet
from rongcuo.engine.compiled import Unsupported
from rongcuo.engine.evaluate import Evaluator
from rongcuo.model.case import Case

TARGET = 100_000.0  # cases/s on one core, the issue's


def distinct_cases(n: int, seed: int, incompatible) -> list[Case]:
    """N cases, no two with the same true facts."""
    found: dict[frozenset, Case] = {}
    round_ = 0
    while len(found) < n:
        for case in make_cases(n, seed + round_, incompatible):
            found.setdefault(frozenset(case.true_facts()), case)
        round_ += 1
    return list(found.values())[:n]


def run(evaluator: Evaluator, cases: list[Case], chunk: int) -> tuple[float, list]:
    evaluator.split(cases[:200], AS_OF)  # warm-up (and the compilation, which is not timed)
    results: list = []
    t0 = time.perf_counter()
    for i in range(0, len(cases), chunk):
        results += evaluator.evaluate(cases[i : i + chunk], AS_OF)
    return time.perf_counter() - t0, results


def breakdown(evaluator: Evaluator, cases: list[Case], chunk: int) -> dict[str, float]:
    """The compiled path once more, its phases timed: the bottom, the dated rules, reading, and the rest."""
    spent = {"bottom": 0.0, "dated rules": 0.0, "reading": 0.0}
    bottom, dated, reading = evaluator._fact_readings, evaluator._vectorised, evaluate_module.read_grouped

    def timed(name, f):
        def wrapper(*args, **kw):
            t = time.perf_counter()
            try:
                return f(*args, **kw)
            finally:
                spent[name] += time.perf_counter() - t

        return wrapper

    evaluator._fact_readings = timed("bottom", bottom)  # type: ignore[method-assign]
    evaluator._vectorised = timed("dated rules", dated)  # type: ignore[method-assign]
    evaluate_module.read_grouped = timed("reading", reading)
    try:
        total, _ = run(evaluator, cases, chunk)
    finally:
        del evaluator._fact_readings, evaluator._vectorised
        evaluate_module.read_grouped = reading
    spent["rest"] = total - sum(spent.values())
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="distinct cases (default 100000)")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=10_000, help="cases per evaluate call (default 10000)")
    args = parser.parse_args(argv)

    rules = RuleSet.load(args.profile)
    cases = distinct_cases(args.n, args.seed, rules.static_atoms("incompatible", 2))
    old = Evaluator(rules.statements, rules.profile, rules.digest, compiled=False)
    new = Evaluator(rules.statements, rules.profile, rules.digest)
    t0 = time.perf_counter()
    program = new.compiled
    compile_s = time.perf_counter() - t0
    if new.fallback:
        print(f"the rules do not compile: {new.fallback}")
        return 1

    print(f"rongcuo compiled evaluation — profile {args.profile} (rules {rules.digest}), seed {args.seed}")
    print(
        f"python {platform.python_version()}, clingo {clingo.__version__}, {os.cpu_count()} CPUs, "
        f"{platform.machine()} {platform.system()}; as_of {AS_OF}"
    )
    print(
        f"{len(cases):,} cases, all fact sets distinct, in chunks of {args.chunk:,}; the bottom compiled in "
        f"{compile_s * 1000:.0f} ms ({program.rules} ground rules in {len(program.levels)} levels)"  # type: ignore[union-attr]
    )
    print()
    top = Evaluator(rules.statements, rules.profile, rules.digest)
    top.__dict__["dated"] = Unsupported("the dated rules grounded by clingo, for comparison")
    # The new path first: what the paths share (engine.read's memory of the parts of answers) is then
    # warm for the others only, so the ratios favour the old paths if anything.
    t_new, res_new = run(new, cases, args.chunk)
    t_old, res_old = run(old, cases, args.chunk)
    t_top, res_top = run(top, cases, args.chunk)
    rate_old, rate_top, rate_new = (len(cases) / t for t in (t_old, t_top, t_new))
    print(f"{'path':<34} {'seconds':>9} {'cases/s':>10} {'µs/case':>9}")
    print("-" * 65)
    for name, t, rate in [
        ("(old) split, clingo", t_old, rate_old),
        ("compiled bottom, dated by clingo", t_top, rate_top),
        ("(new) compiled", t_new, rate_new),
    ]:
        print(f"{name:<34} {t:>9.3f} {rate:>10,.0f} {1e6 * t / len(cases):>9.1f}")
    print()
    print(
        f"ratio new/old: {rate_new / rate_old:.2f}×; "
        f"the dated rules vectorised against clingo's: {rate_new / rate_top:.2f}×"
    )
    met = "met" if rate_new >= TARGET else "NOT met"
    print(f"target ≥ {TARGET:,.0f} cases/s on one core: {met} ({rate_new:,.0f})")
    same = all(
        [r.to_json() | {"c": r.contradictions} for r in res_old]
        == [r.to_json() | {"c": r.contradictions} for r in other]
        for other in (res_top, res_new)
    )
    print(f"results agree case for case: {'yes' if same else 'NO'}")
    print()
    fresh = Evaluator(rules.statements, rules.profile, rules.digest)
    spent = breakdown(fresh, cases, args.chunk)
    whole = sum(spent.values())
    print("where the compiled path's time goes (another run, its phases timed):")
    for name, seconds in spent.items():
        print(f"  {name:<14} {1e6 * seconds / len(cases):>7.1f} µs/case  {100 * seconds / whole:>5.1f} %")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
