#!/usr/bin/env python3
"""Speed of the drafters' toolkit, and what exhaustive search buys over sampling.

    python benchmarks/drafting.py [--runs 3] [--samples 20] [--seed 1]

Times (median of --runs, rule loading included)

  (a) check of the bundled default rule base           target ≤ 5 s
  (b) diff profile:default profile:literal             target ≤ 5 s
  (c) check of measure/drafts/a12-exemption-ignores-a13    finds its four-fact conflict, with a minimal witness

and, beside (c), how many random cases a sampler draws on average before it
hits that conflict (exempt with excluded) — --samples runs of each sampler:

  hypothesis-style  the strategy of tests/test_properties.py: a list of up to
                    10 units (a single fact, or a bundle of facts that act
                    together), enforcement_personnel with probability 4/5
  uniform           every fact true with probability 1/2

Contradictory draws are repaired as the property tests repair them (one fact
of the pair dropped). A sampler that finds nothing proves nothing; check's
"no conflict" is a proof over all 2^55 combinations.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from rongcuo import drafting
from rongcuo.drafting.check import check
from rongcuo.drafting.diff import diff
from rongcuo.model import vocabulary as vocab
from rongcuo.model.case import parse_case

DRAFT = str(Path(__file__).resolve().parents[1] / "measure" / "drafts" / "a12-exemption-ignores-a13")
TARGET = 5.0
BATCH = 250
EXAMPLES = 100  # hypothesis' default max_examples per property
CAP = 1_000_000  # draws per run at most

# tests/test_properties.py: facts that only act together, drawn now and then as one unit.
BUNDLES = [
    ["acted_within_duty", "cause_objective_factors", "loss_or_adverse_impact", "corrected_timely"],
    ["acted_within_duty", "cause_unforeseeable", "loss_or_adverse_impact", "corrected_timely"],
    ["acted_within_duty", "cause_no_applicable_rule", "loss_or_adverse_impact", "corrected_timely"],
    ["not_prohibited_by_law", "remedied_actively"],
    ["counterparty_refused_decision", "escalated_to_government_or_court", "violation_continued"],
    ["cooperated_with_investigation", "accepted_responsibility"],
    ["suspected_detention_or_crime", "transferred_to_police"],
    ["extension_applied", "special_circumstances"],
    ["report_received", "report_real_name", "report_found_untrue"],
]


def timed(runs: int, task) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = task()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def hypothesis_style(rng: random.Random) -> set[str]:
    units = [[f] for f in vocab.fact_ids()] + BUNDLES
    true = {f for _ in range(rng.randint(0, 10)) for f in rng.choice(units)}
    if rng.randint(0, 4):
        true.add("enforcement_personnel")
    return true


def uniform(rng: random.Random) -> set[str]:
    return {f for f in vocab.fact_ids() if rng.random() < 0.5}


def draws_to_hit(sampler, rules, pairs, rng: random.Random) -> int | None:
    """Cases drawn until one holds the conflict (None: not within CAP)."""
    drawn = 0
    while drawn < CAP:
        batch = []
        for _ in range(BATCH):
            true = sampler(rng)
            for f, g in pairs:
                if f in true and g in true:
                    true.discard(rng.choice([f, g]))
            batch.append(parse_case({"id": f"S{drawn + len(batch)}", "facts": dict.fromkeys(true, True)}, "sample"))
        for i, result in enumerate(rules.evaluate(batch)):
            if {"exempt", "excluded"} <= {o.outcome for o in result.outcomes}:
                return drawn + i + 1
        drawn += BATCH
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t_check, report = timed(args.runs, lambda: check(drafting.load("profile:default")))
    print(
        f"(a) check profile:default: {t_check:.2f} s (median of {args.runs}) — "
        f"{report.examined} rules searched, {len(report.checks)} conflict checks, "
        f"{report.size.total:.2e} scenarios — {'OK' if t_check <= TARGET else 'OVER'} (≤ {TARGET:.0f} s)"
    )
    t_diff, delta = timed(args.runs, lambda: diff(drafting.load("profile:default"), drafting.load("profile:literal")))
    print(
        f"(b) diff profile:default profile:literal: {t_diff:.2f} s (median of {args.runs}) — "
        f"{len(delta.classes)} classes of difference — {'OK' if t_diff <= TARGET else 'OVER'} (≤ {TARGET:.0f} s)"
    )
    t_draft, found = timed(args.runs, lambda: check(drafting.load(DRAFT)))
    (conflict,) = found.conflicts
    print(
        f"(c) check of the draft: {t_draft:.2f} s — conflict {conflict.name}, minimal witness of "
        f"{conflict.witness.size} facts: {', '.join(conflict.witness.case.true_facts())}"
    )

    rules = found.version.rules
    pairs = rules.static_atoms("incompatible", 2)
    rng = random.Random(args.seed)
    for name, sampler in (("hypothesis-style", hypothesis_style), ("uniform", uniform)):
        start = time.perf_counter()
        hits = [draws_to_hit(sampler, rules, pairs, rng) for _ in range(args.samples)]
        found_in = [h for h in hits if h is not None]
        mean = statistics.mean(found_in) if found_in else float("nan")
        chance = 1 - (1 - 1 / mean) ** EXAMPLES if found_in else 0.0
        print(
            f"    {name} sampler: {mean:,.0f} random cases on average to hit it "
            f"(median {statistics.median(found_in) if found_in else float('nan'):,.0f}; "
            f"{len(found_in)}/{args.samples} runs hit within {CAP:,}; {time.perf_counter() - start:.1f} s); "
            f"a property test of {EXAMPLES} examples finds it with probability {chance:.0%}"
        )


if __name__ == "__main__":
    main()
