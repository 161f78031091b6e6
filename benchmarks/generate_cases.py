#!/usr/bin/env python3
"""Generate many synthetic cases for scale tests of `rongcuo batch`.

    python benchmarks/generate_cases.py 1000000 cases.jsonl [--format jsonl|csv] [--seed N]

Each case is drawn from a scenario family (an a10 duty-fulfilled item, an
a11 circumstance with or without the a11.p2 conditions, an a12 mitigation,
an a13 violation, an a4 ground, out of scope, nothing), then given a field,
an error type, dates over ten years and a recorded decision — the family's
name most of the time, something else now and then, as real records are.
The families only shape realistic inputs: what the rules say about a case
is the engine's business, never this script's.

Deterministic for a given seed and count. The CSV has the default column
layout of `rongcuo batch` (see the README); blank cells are unlisted facts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

FIELDS = ["食品安全", "特种设备", "药品医疗器械", "广告监管", "价格监管", "计量标准", "网络交易", "知识产权"]
ERROR_TYPES = [
    "决定错误",
    "漏检隐患",
    "整改监督不到位",
    "程序瑕疵",
    "处罚畸轻畸重",
    "证据不足",
    "超越职权",
    "先行先试失误",
    "移送不及时",
    "临机处置失误",
    "查封扣押物品失管",
    "检验定性偏差",
]
UNITS = ["综合行政执法大队", "食品安全监督管理股", "特种设备安全监察股", "网络交易监督管理股", "大沁他拉市场监管所"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "敏", "静", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞"]
OUTCOMES = ["out_of_scope", "duty_fulfilled", "exempt", "excluded", "mitigated", "none"]

A10 = [
    ["counterparty_deception"],
    ["counterparty_evaded_investigation"],
    ["counterparty_refused_decision", "escalated_to_government_or_court", "violation_continued"],
    ["harm_from_tampered_seized_property"],
    ["force_majeure_prevented_duty"],
    ["other_department_fault"],
    ["undetectable_by_standards_or_technology"],
    ["accident_during_rectification_noncompliance"],
    ["accident_during_lawful_processing"],
    ["not_liable_under_rules_at_the_time"],
    ["outside_assigned_duties"],
    ["performed_per_statutory_duty"],
]
A11 = [
    "bold_exploration_under_directive",
    "reform_pilot_error",
    "bold_action_in_key_work",
    "policy_change_or_unclear_boundary",
    "on_the_spot_decision_error",
    "inspection_target_concealed",
    "intentional_violation_despite_measures",
    "breaking_entrenched_interests",
]
A11_P2 = ["not_prohibited_by_law", "remedied_actively"]
A11_P2_FAILS = [["major_loss"], ["serious_adverse_impact"], []]
A12 = [["proactively_limited_loss"], ["cooperated_with_investigation", "accepted_responsibility"]]
A13 = [["exceeded_statutory_scope"], ["violated_statutory_procedure"]]
A4 = ["acted_within_duty", "loss_or_adverse_impact", "corrected_timely"]
A4_CAUSES = ["cause_no_applicable_rule", "cause_objective_factors", "cause_unforeseeable"]
PROCEDURE = ["decision_publicized", "applied_by_individual"]
BREACHES = ["evidence_chain_incomplete", "case_review_skipped", "major_decision_without_legal_review"]

FIRST_DAY = dt.date(2016, 1, 1)
SPAN_DAYS = 3650


def family(rng: random.Random) -> tuple[str, list[str]]:
    """A scenario family's name and its true facts."""
    roll = rng.random()
    if roll < 0.03:
        return "out_of_scope", [rng.choice(A11)]
    facts = ["enforcement_personnel"]
    if roll < 0.23:
        facts += rng.choice(A10)
        name = "duty_fulfilled"
    elif roll < 0.53:
        facts += [rng.choice(A11), *A11_P2]
        fails = rng.choice(A11_P2_FAILS) if rng.random() < 0.3 else []
        facts += fails
        name = "mitigated" if fails else "exempt"
    elif roll < 0.63:
        facts += [*A4, rng.choice(A4_CAUSES)]
        name = "exempt"
    elif roll < 0.75:
        facts += rng.choice(A13)
        name = "excluded"
    elif roll < 0.88:
        facts += rng.choice(A12)
        name = "mitigated"
    else:
        name = "none"
    if rng.random() < 0.05:
        facts.append(rng.choice(BREACHES))
    if rng.random() < 0.04:
        facts.append("suspected_detention_or_crime")
        if rng.random() < 0.6:
            facts.append("transferred_to_police")
    facts += [f for f in PROCEDURE if rng.random() < 0.3]
    return name, facts


def dates(rng: random.Random) -> dict[str, str]:
    conduct = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
    out = {"conduct": conduct}
    if rng.random() < 0.9:
        decision = conduct + dt.timedelta(days=rng.randint(10, 90))
        out["decision"] = decision
        if rng.random() < 0.93:
            out["notified"] = decision + dt.timedelta(days=rng.choice((2, 3, 5, 6, 7, 7, 7, 9, 12)))
        if rng.random() < 0.6:
            out["correction_deadline"] = decision + dt.timedelta(days=30)
            if rng.random() < 0.9:
                out["correction_completed"] = decision + dt.timedelta(days=rng.randint(5, 40))
    return {k: v.isoformat() for k, v in out.items()}


def case(rng: random.Random, n: int) -> dict:
    name, true_facts = family(rng)
    record = {
        "id": f"GEN-{n:08d}",
        "subject": {"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), "unit": rng.choice(UNITS)},
        "field": rng.choice(FIELDS),
        "error_type": rng.choice(ERROR_TYPES),
        "facts": dict.fromkeys(true_facts, True),
        "dates": dates(rng),
    }
    if rng.random() < 0.95:
        record["recorded_decision"] = name if rng.random() < 0.9 else rng.choice(OUTCOMES)
    record["narrative"] = (
        f"{record['dates']['conduct']}，{record['subject']['unit']}在{record['field']}检查中"
        f"出现{record['error_type']}。"
    )
    return record


def cases(count: int, seed: int = 1):
    rng = random.Random(seed)
    for n in range(count):
        yield case(rng, n)


def distinct(count: int, seed: int, facts: list[str], incompatible: list[tuple[str, str]], dated: float = 0.3):
    """``count`` records whose sets of true facts are all different (3–10 of ``facts``, none two that
    ``incompatible`` pairs), a conduct date each and, for the share ``dated``, a decision, a notice and a
    correction deadline (and now and then its completion); a recorded decision drawn at random for most."""
    rng = random.Random(seed)
    clashes: dict[str, set[str]] = {}
    for f, g in incompatible:
        clashes.setdefault(f, set()).add(g)
        clashes.setdefault(g, set()).add(f)
    bit = {f: 1 << i for i, f in enumerate(facts)}
    seen: set[int] = set()
    n = 0
    while n < count:
        k = rng.randint(3, 10)
        true = {"enforcement_personnel"} if rng.random() < 0.95 else set()
        while len(true) < k:
            f = rng.choice(facts)
            if f not in true and not clashes.get(f, set()) & true:
                true.add(f)
        key = sum(bit.get(f, 0) for f in true)
        if key in seen:
            continue
        seen.add(key)
        conduct = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
        when = {"conduct": conduct}
        if rng.random() < dated:
            decision = conduct + dt.timedelta(days=rng.randint(5, 90))
            when["decision"] = decision
            when["notified"] = decision + dt.timedelta(days=rng.randint(1, 12))
            when["correction_deadline"] = decision + dt.timedelta(days=rng.randint(15, 90))
            if rng.random() < 0.5:
                when["correction_completed"] = when["correction_deadline"] + dt.timedelta(days=rng.randint(-30, 30))
        record = {
            "id": f"DST-{n:08d}",
            "subject": {"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "unit": rng.choice(UNITS)},
            "field": rng.choice(FIELDS),
            "error_type": rng.choice(ERROR_TYPES),
            "facts": dict.fromkeys(sorted(true), True),
            "dates": {key: d.isoformat() for key, d in when.items()},
        }
        if rng.random() < 0.9:
            record["recorded_decision"] = rng.choice(OUTCOMES)
        yield record
        n += 1


def write_jsonl(records, out) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def csv_row(record: dict) -> dict[str, str]:
    """A case in the default CSV layout: schema keys, date keys and fact ids as columns."""
    row = {k: record.get(k) or "" for k in ("id", "field", "error_type", "recorded_decision", "narrative")}
    row["subject.name"], row["subject.unit"] = record["subject"]["name"], record["subject"]["unit"]
    row.update(record["dates"])
    row.update({fact: "true" if value is True else str(value).lower() for fact, value in record["facts"].items()})
    return row


def write_csv(records, out, columns: list[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(csv_row(record))


def csv_columns() -> list[str]:
    from rongcuo.model import vocabulary as vocab  # only the CSV header needs the vocabulary

    return [
        "id",
        "subject.name",
        "subject.unit",
        "field",
        "error_type",
        "recorded_decision",
        "narrative",
        *vocab.date_keys(),
        *vocab.fact_ids(),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path, help="file to write, - for stdout")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = sys.stdout if str(args.out) == "-" else args.out.open("w", encoding="utf-8", newline="")
    with out:
        if args.format == "csv":
            write_csv(cases(args.count, args.seed), out, csv_columns())
        else:
            write_jsonl(cases(args.count, args.seed), out)


if __name__ == "__main__":
    main()
