#!/usr/bin/env python3
"""Generate the bundled historical case corpus of rongcuo (cases/historical/).

The corpus is synthetic: every record is built from an archetype (a scenario
family that knows its intended disposition under the measure), then varied in
names, units, fields, dates and wording.  The script is deterministic (fixed
seed, no dependence on hash order) and rewrites cases/historical/ from scratch:

    /tmp/venv/bin/python benchmarks/corpus_source/make_historical.py

Besides the case files and cases/historical/README.md it writes
benchmarks/corpus_source/manifest.csv: for every id the archetype, the
intended disposition under the three profiles of measure/analysis.md §4, the recorded
decision and the deliberate flaws of the record.  The manifest is the answer
key; the case files themselves carry only the schema's keys.

The disposition computed here (``evaluate``) is a plain-Python reading of
measure/analysis.md used only to check that every generated record is what its
archetype says it is.  It is not the rule base.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

SEED = 20210104
N_CASES = 340
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "cases" / "historical"
MANIFEST = HERE / "manifest.csv"
CUTOFF = dt.date(2026, 6, 30)  # records reflect the files as of this date
FIRST_DAY = dt.date(2021, 1, 4)
LAST_DAY = dt.date(2025, 11, 28)

# ---------------------------------------------------------------------------
# Fact vocabulary (measure/analysis.md §5) -- ids used exactly
# ---------------------------------------------------------------------------
VOCAB = """
enforcement_personnel acted_within_duty cause_no_applicable_rule cause_objective_factors
cause_unforeseeable loss_or_adverse_impact corrected_timely
performed_per_statutory_duty evidence_chain_incomplete case_review_skipped
major_decision_without_legal_review suspected_detention_or_crime transferred_to_police
exceeded_statutory_scope violated_statutory_procedure
counterparty_deception counterparty_evaded_investigation counterparty_refused_decision
escalated_to_government_or_court violation_continued harm_from_tampered_seized_property
force_majeure_prevented_duty other_department_fault undetectable_by_standards_or_technology
accident_during_rectification_noncompliance accident_during_lawful_processing
not_liable_under_rules_at_the_time outside_assigned_duties other_duty_fulfilled_ground
bold_exploration_under_directive reform_pilot_error bold_action_in_key_work
policy_change_or_unclear_boundary on_the_spot_decision_error inspection_target_concealed
intentional_violation_despite_measures breaking_entrenched_interests other_tolerable_circumstance
not_prohibited_by_law major_loss serious_adverse_impact remedied_actively
proactively_limited_loss cooperated_with_investigation accepted_responsibility other_mitigating_ground
applied_by_individual decision_publicized extension_applied special_circumstances
report_received report_real_name report_found_untrue report_unsubstantiated maliciously_accused
""".split()
VOCAB_SET = frozenset(VOCAB)

A10_SINGLE = [
    "counterparty_deception",
    "counterparty_evaded_investigation",
    "harm_from_tampered_seized_property",
    "force_majeure_prevented_duty",
    "other_department_fault",
    "undetectable_by_standards_or_technology",
    "accident_during_rectification_noncompliance",
    "accident_during_lawful_processing",
    "not_liable_under_rules_at_the_time",
    "outside_assigned_duties",
    "other_duty_fulfilled_ground",
]
A11_ITEMS = [
    "bold_exploration_under_directive",
    "reform_pilot_error",
    "bold_action_in_key_work",
    "policy_change_or_unclear_boundary",
    "on_the_spot_decision_error",
    "inspection_target_concealed",
    "intentional_violation_despite_measures",
    "breaking_entrenched_interests",
    "other_tolerable_circumstance",
]
A4_CAUSES = ["cause_no_applicable_rule", "cause_objective_factors", "cause_unforeseeable"]

PROFILES = {
    #            Q1 a13 either?, Q2 a13 blocks a12?, Q3 a13 defeats a10?, Q4 a4 independent?, Q10 a7/a8 are procedure?
    "default": dict(q1_either=True, q2_blocks_a12=False, q3_defeats=True, q4_indep=True, q10=False),
    "literal": dict(q1_either=False, q2_blocks_a12=False, q3_defeats=False, q4_indep=True, q10=False),
    "strict": dict(q1_either=True, q2_blocks_a12=True, q3_defeats=True, q4_indep=False, q10=True),
}
ORDER = ["out_of_scope", "duty_fulfilled", "exempt", "excluded", "mitigated", "none"]


def evaluate(facts: dict, profile: str = "default") -> tuple[str, list[str]]:
    """Primary disposition and all outcomes; unknown counts as not true."""
    p = PROFILES[profile]
    t = lambda k: facts.get(k) is True  # noqa: E731
    if not t("enforcement_personnel"):
        return "out_of_scope", ["out_of_scope"]
    a7 = t("evidence_chain_incomplete") or t("case_review_skipped")
    a8 = t("major_decision_without_legal_review")
    a9 = t("suspected_detention_or_crime") and not t("transferred_to_police")
    scope = t("exceeded_statutory_scope")
    proc = t("violated_statutory_procedure") or (p["q10"] and (a7 or a8))
    a13 = (scope or proc) if p["q1_either"] else (scope and proc)
    a10 = (
        (t("performed_per_statutory_duty") and not (a7 or a8 or a9))
        or any(t(k) for k in A10_SINGLE)
        or (t("counterparty_refused_decision") and t("escalated_to_government_or_court") and t("violation_continued"))
    )
    a4 = (
        p["q4_indep"]
        and t("acted_within_duty")
        and any(t(k) for k in A4_CAUSES)
        and t("loss_or_adverse_impact")
        and t("corrected_timely")
    )
    a11 = any(t(k) for k in A11_ITEMS)
    a11p2 = (
        t("not_prohibited_by_law")
        and not t("major_loss")
        and not t("serious_adverse_impact")
        and t("remedied_actively")
    )
    a12 = (
        t("proactively_limited_loss")
        or (t("cooperated_with_investigation") and t("accepted_responsibility"))
        or t("other_mitigating_ground")
    )
    out = []
    if a10 and not (a13 and p["q3_defeats"]):
        out.append("duty_fulfilled")
    if not a13 and (a4 or (a11 and a11p2)):
        out.append("exempt")
    if a13:
        out.append("excluded")
    if (a11 and not a11p2 and not a13) or (a12 and not (a13 and p["q2_blocks_a12"])):
        out.append("mitigated")
    if not out:
        out.append("none")
    out.sort(key=ORDER.index)
    return out[0], out


def contradictions(facts: dict) -> list[str]:
    t = lambda k: facts.get(k) is True  # noqa: E731
    bad = []
    if t("performed_per_statutory_duty") and (t("exceeded_statutory_scope") or t("violated_statutory_procedure")):
        bad.append("performed_per_statutory_duty vs a13")
    if t("acted_within_duty") and t("exceeded_statutory_scope"):
        bad.append("acted_within_duty vs exceeded_statutory_scope")
    return bad


# ---------------------------------------------------------------------------
# Archetypes
# ---------------------------------------------------------------------------
class Arch:
    def __init__(self, key, intended, errs, build, weight=1.0, fields=None, pinned_only=False, note=""):
        self.key, self.intended, self.errs, self.build = key, intended, errs, build
        self.weight, self.fields, self.pinned_only, self.note = weight, fields, pinned_only, note


def P2(rng, facts, neg, explicit=0.5):
    """The three a11.p2 conditions met."""
    facts.update(not_prohibited_by_law=True, remedied_actively=True)
    if rng.random() < explicit:
        facts.update(major_loss=False, serious_adverse_impact=False)
    if rng.random() < 0.7:
        neg.append("no_major")


def mk(true=(), false=(), neg=(), extra=None):
    def build(rng):
        facts = {k: True for k in true}
        facts.update({k: False for k in false})
        n = list(neg)
        if extra:
            extra(rng, facts, n)
        return facts, n

    return build


def pick_a11(pool):
    def f(rng, facts, neg):
        facts[rng.choice(pool)] = True

    return f


def chain(*fs):
    def f(rng, facts, neg):
        for g in fs:
            g(rng, facts, neg)

    return f


def maybe(fact, prob, also=()):
    def f(rng, facts, neg):
        if rng.random() < prob:
            facts[fact] = True
            for a in also:
                facts[a] = True

    return f


def one_of(*alts):
    def f(rng, facts, neg):
        for k in rng.choice(alts):
            facts[k] = True

    return f


COMMON_A11 = [
    "inspection_target_concealed",
    "bold_action_in_key_work",
    "policy_change_or_unclear_boundary",
    "intentional_violation_despite_measures",
]
INSPECT_ERRS = ["漏检隐患", "整改监督不到位"]
CASE_ERRS = ["证据不足", "决定错误", "处罚畸轻畸重", "程序瑕疵"]
CRIME_FIELDS = ["食品安全", "药品医疗器械", "网络交易", "计量标准", "知识产权"]

ARCHS = [
    # ---- duty_fulfilled ------------------------------------------------------
    Arch(
        "df_performed",
        "duty_fulfilled",
        ["决定错误", "漏检隐患", "处罚畸轻畸重", "整改监督不到位"],
        mk(["performed_per_statutory_duty"], extra=maybe("report_received", 0.55)),
        13,
    ),
    Arch(
        "df_performed_transferred",
        "duty_fulfilled",
        ["证据不足", "决定错误", "程序瑕疵"],
        mk(["performed_per_statutory_duty", "suspected_detention_or_crime", "transferred_to_police"]),
        3,
        fields=CRIME_FIELDS,
    ),
    Arch(
        "df_deception",
        "duty_fulfilled",
        ["决定错误", "证据不足", "漏检隐患"],
        mk(
            ["counterparty_deception"],
            extra=chain(maybe("inspection_target_concealed", 0.4), maybe("remedied_actively", 0.4)),
        ),
        12,
    ),
    Arch("df_evaded", "duty_fulfilled", ["程序瑕疵", "决定错误"], mk(["counterparty_evaded_investigation"]), 5),
    Arch(
        "df_refused",
        "duty_fulfilled",
        ["整改监督不到位"],
        mk(["counterparty_refused_decision", "escalated_to_government_or_court", "violation_continued"]),
        5,
        fields=["食品安全", "特种设备", "药品医疗器械", "计量标准", "价格监管"],
    ),
    Arch("df_force_majeure", "duty_fulfilled", ["整改监督不到位", "程序瑕疵"], mk(["force_majeure_prevented_duty"]), 5),
    Arch("df_other_dept", "duty_fulfilled", ["决定错误", "处罚畸轻畸重"], mk(["other_department_fault"]), 5),
    Arch(
        "df_undetectable",
        "duty_fulfilled",
        ["检验定性偏差", "漏检隐患"],
        mk(["undetectable_by_standards_or_technology"]),
        5,
        fields=["食品安全", "药品医疗器械", "网络交易", "计量标准"],
    ),
    Arch(
        "df_accident_rectification",
        "duty_fulfilled",
        ["整改监督不到位"],
        mk(["accident_during_rectification_noncompliance"]),
        4,
        fields=["特种设备", "食品安全"],
    ),
    Arch(
        "df_accident_processing",
        "duty_fulfilled",
        ["整改监督不到位", "程序瑕疵"],
        mk(["accident_during_lawful_processing"]),
        3,
        fields=["特种设备", "食品安全", "药品医疗器械"],
    ),
    Arch(
        "df_outside_duties",
        "duty_fulfilled",
        ["漏检隐患", "整改监督不到位"],
        mk(["outside_assigned_duties"], extra=maybe("not_liable_under_rules_at_the_time", 0.3)),
        5,
    ),
    Arch(
        "df_not_liable_then",
        "duty_fulfilled",
        ["决定错误", "处罚畸轻畸重"],
        mk(["not_liable_under_rules_at_the_time"]),
        2,
    ),
    Arch("df_other", "duty_fulfilled", CASE_ERRS, mk(["other_duty_fulfilled_ground"]), 1),
    Arch(
        "df_tampered",
        "duty_fulfilled",
        ["查封扣押物品失管"],
        mk(["harm_from_tampered_seized_property"]),
        0,
        pinned_only=True,
    ),
    Arch(
        "df_evaded_a9",
        "duty_fulfilled",
        ["移送不及时"],
        mk(
            ["counterparty_evaded_investigation", "suspected_detention_or_crime"],
            false=["transferred_to_police"],
            neg=["late_transfer"],
        ),
        0,
        pinned_only=True,
    ),
    # ---- exempt --------------------------------------------------------------
    Arch(
        "ex_a4_norule",
        "exempt",
        ["决定错误", "处罚畸轻畸重"],
        mk(["acted_within_duty", "cause_no_applicable_rule", "loss_or_adverse_impact", "corrected_timely"]),
        10,
    ),
    Arch(
        "ex_a4_objective",
        "exempt",
        ["程序瑕疵", "漏检隐患", "检验定性偏差"],
        mk(["acted_within_duty", "cause_objective_factors", "loss_or_adverse_impact", "corrected_timely"]),
        10,
    ),
    Arch(
        "ex_a4_unforeseeable",
        "exempt",
        ["漏检隐患", "决定错误"],
        mk(
            ["acted_within_duty", "cause_unforeseeable", "loss_or_adverse_impact", "corrected_timely"],
            extra=maybe("cause_objective_factors", 0.3),
        ),
        7,
    ),
    Arch(
        "ex_concealed",
        "exempt",
        ["漏检隐患"],
        mk(["inspection_target_concealed"], extra=lambda r, f, n: P2(r, f, n)),
        22,
    ),
    Arch(
        "ex_key_work",
        "exempt",
        ["处罚畸轻畸重", "决定错误", "整改监督不到位"],
        mk(["bold_action_in_key_work"], extra=lambda r, f, n: P2(r, f, n)),
        8,
    ),
    Arch(
        "ex_policy",
        "exempt",
        ["处罚畸轻畸重", "决定错误"],
        mk(["policy_change_or_unclear_boundary"], extra=lambda r, f, n: P2(r, f, n)),
        8,
    ),
    Arch(
        "ex_intentional",
        "exempt",
        ["整改监督不到位"],
        mk(["intentional_violation_despite_measures"], extra=lambda r, f, n: P2(r, f, n)),
        6,
        fields=["特种设备", "食品安全", "药品医疗器械"],
    ),
    Arch(
        "ex_entrenched",
        "exempt",
        ["处罚畸轻畸重", "决定错误"],
        mk(["breaking_entrenched_interests"], extra=lambda r, f, n: P2(r, f, n)),
        4,
    ),
    Arch(
        "ex_directive",
        "exempt",
        ["决定错误", "处罚畸轻畸重"],
        mk(["bold_exploration_under_directive"], extra=lambda r, f, n: P2(r, f, n)),
        4,
    ),
    Arch("ex_other", "exempt", CASE_ERRS, mk(["other_tolerable_circumstance"], extra=lambda r, f, n: P2(r, f, n)), 2),
    Arch(
        "ex_a4_and_a11",
        "exempt",
        ["漏检隐患"],
        mk(
            [
                "acted_within_duty",
                "cause_objective_factors",
                "loss_or_adverse_impact",
                "corrected_timely",
                "inspection_target_concealed",
            ],
            extra=lambda r, f, n: P2(r, f, n),
        ),
        4,
    ),
    Arch(
        "ex_pilot",
        "exempt",
        ["先行先试失误"],
        mk(["reform_pilot_error"], extra=lambda r, f, n: P2(r, f, n)),
        0,
        pinned_only=True,
    ),
    Arch(
        "ex_pilot_directive",
        "exempt",
        ["先行先试失误"],
        mk(["bold_exploration_under_directive"], extra=lambda r, f, n: P2(r, f, n)),
        0,
        pinned_only=True,
    ),
    Arch(
        "ex_pilot_a4",
        "exempt",
        ["先行先试失误"],
        mk(
            [
                "reform_pilot_error",
                "acted_within_duty",
                "cause_no_applicable_rule",
                "loss_or_adverse_impact",
                "corrected_timely",
            ],
            extra=lambda r, f, n: P2(r, f, n),
        ),
        0,
        pinned_only=True,
    ),
    Arch(
        "ex_on_the_spot",
        "exempt",
        ["临机处置失误"],
        mk(["on_the_spot_decision_error"], extra=lambda r, f, n: P2(r, f, n)),
        0,
        pinned_only=True,
    ),
    # ---- excluded ------------------------------------------------------------
    Arch(
        "xc_proc",
        "excluded",
        ["程序瑕疵"],
        mk(
            ["violated_statutory_procedure"],
            extra=lambda r, f, n: (pick_a11(COMMON_A11)(r, f, n), P2(r, f, n)) if r.random() < 0.6 else None,
        ),
        12,
    ),
    Arch(
        "xc_scope",
        "excluded",
        ["超越职权"],
        mk(
            ["exceeded_statutory_scope"],
            extra=maybe("cooperated_with_investigation", 0.5, also=["accepted_responsibility"]),
        ),
        10,
    ),
    Arch(
        "xc_both",
        "excluded",
        ["超越职权", "程序瑕疵"],
        mk(["exceeded_statutory_scope", "violated_statutory_procedure"]),
        5,
    ),
    Arch(
        "xc_proc_a4",
        "excluded",
        ["程序瑕疵"],
        mk(
            ["violated_statutory_procedure", "acted_within_duty", "loss_or_adverse_impact", "corrected_timely"],
            extra=one_of(["cause_objective_factors"], ["cause_unforeseeable"], ["cause_no_applicable_rule"]),
        ),
        4,
    ),
    Arch(
        "xc_proc_a10",
        "excluded",
        ["决定错误", "程序瑕疵"],
        mk(["violated_statutory_procedure", "counterparty_deception"]),
        4,
    ),
    Arch("xc_scope_a12", "excluded", ["超越职权"], mk(["exceeded_statutory_scope", "proactively_limited_loss"]), 3),
    Arch(
        "xc_proc_a11_only",
        "excluded",
        ["程序瑕疵", "处罚畸轻畸重"],
        mk(["violated_statutory_procedure", "not_prohibited_by_law"], neg=["not_remedied"], extra=pick_a11(COMMON_A11)),
        0,
    ),
    Arch(
        "xc_on_the_spot_proc",
        "excluded",
        ["临机处置失误"],
        mk(["on_the_spot_decision_error", "violated_statutory_procedure"], extra=lambda r, f, n: P2(r, f, n)),
        0,
        pinned_only=True,
    ),
    # ---- mitigated -----------------------------------------------------------
    Arch(
        "mi_a11_major",
        "mitigated",
        ["漏检隐患", "整改监督不到位", "处罚畸轻畸重"],
        mk(
            ["not_prohibited_by_law", "remedied_actively", "major_loss", "loss_or_adverse_impact"],
            extra=pick_a11(COMMON_A11),
        ),
        10,
    ),
    Arch(
        "mi_a11_serious",
        "mitigated",
        ["漏检隐患", "决定错误", "处罚畸轻畸重"],
        mk(["not_prohibited_by_law", "remedied_actively", "serious_adverse_impact"], extra=pick_a11(COMMON_A11)),
        7,
    ),
    Arch(
        "mi_a11_noremedy",
        "mitigated",
        ["漏检隐患", "整改监督不到位", "决定错误"],
        mk(
            ["not_prohibited_by_law"],
            false=["remedied_actively"],
            neg=["not_remedied", "no_major"],
            extra=pick_a11(COMMON_A11),
        ),
        8,
    ),
    Arch(
        "mi_a11_prohibited",
        "mitigated",
        ["决定错误", "处罚畸轻畸重"],
        mk(
            ["remedied_actively"],
            false=["not_prohibited_by_law"],
            neg=["prohibited"],
            extra=pick_a11(["bold_action_in_key_work", "breaking_entrenched_interests"]),
        ),
        3,
    ),
    Arch(
        "mi_a12_limited",
        "mitigated",
        ["证据不足", "处罚畸轻畸重", "决定错误", "漏检隐患"],
        mk(["proactively_limited_loss"]),
        10,
    ),
    Arch(
        "mi_a12_coop",
        "mitigated",
        ["证据不足", "程序瑕疵", "整改监督不到位", "决定错误"],
        mk(["cooperated_with_investigation", "accepted_responsibility"]),
        10,
    ),
    Arch("mi_a12_other", "mitigated", CASE_ERRS, mk(["other_mitigating_ground"]), 3),
    Arch(
        "mi_a7_coop",
        "mitigated",
        ["证据不足"],
        mk(
            [
                "performed_per_statutory_duty",
                "evidence_chain_incomplete",
                "cooperated_with_investigation",
                "accepted_responsibility",
            ]
        ),
        6,
    ),
    Arch(
        "mi_a8_limited",
        "mitigated",
        ["处罚畸轻畸重", "决定错误"],
        mk(["performed_per_statutory_duty", "major_decision_without_legal_review", "proactively_limited_loss"]),
        3,
    ),
    Arch(
        "mi_a4_uncorrected",
        "mitigated",
        ["决定错误", "漏检隐患"],
        mk(
            [
                "acted_within_duty",
                "cause_objective_factors",
                "loss_or_adverse_impact",
                "cooperated_with_investigation",
                "accepted_responsibility",
            ],
            false=["corrected_timely"],
            neg=["not_corrected"],
        ),
        3,
    ),
    Arch(
        "mi_on_the_spot_major",
        "mitigated",
        ["临机处置失误"],
        mk(
            [
                "on_the_spot_decision_error",
                "not_prohibited_by_law",
                "remedied_actively",
                "major_loss",
                "loss_or_adverse_impact",
            ]
        ),
        0,
        pinned_only=True,
    ),
    Arch(
        "mi_on_the_spot_noremedy",
        "mitigated",
        ["临机处置失误"],
        mk(["on_the_spot_decision_error", "not_prohibited_by_law"], false=["remedied_actively"], neg=["not_remedied"]),
        0,
        pinned_only=True,
    ),
    Arch(
        "mi_pilot_noremedy",
        "mitigated",
        ["先行先试失误"],
        mk(
            ["reform_pilot_error", "not_prohibited_by_law"],
            false=["remedied_actively"],
            neg=["not_remedied", "no_major"],
        ),
        0,
        pinned_only=True,
    ),
    Arch(
        "mi_pilot_serious",
        "mitigated",
        ["先行先试失误"],
        mk(
            ["bold_exploration_under_directive", "not_prohibited_by_law", "remedied_actively", "serious_adverse_impact"]
        ),
        0,
        pinned_only=True,
    ),
    Arch(
        "mi_a9_coop",
        "mitigated",
        ["移送不及时"],
        mk(
            ["suspected_detention_or_crime", "cooperated_with_investigation", "accepted_responsibility"],
            false=["transferred_to_police"],
            neg=["late_transfer"],
        ),
        0,
        pinned_only=True,
    ),
    Arch(
        "mi_seizure_coop",
        "mitigated",
        ["查封扣押物品失管"],
        mk(["cooperated_with_investigation", "accepted_responsibility"]),
        0,
        pinned_only=True,
    ),
    # ---- none ----------------------------------------------------------------
    Arch(
        "no_plain",
        "none",
        ["证据不足", "程序瑕疵", "漏检隐患", "决定错误", "处罚畸轻畸重", "整改监督不到位"],
        mk([], extra=maybe("loss_or_adverse_impact", 0.4)),
        18,
    ),
    Arch(
        "no_coop_only",
        "none",
        ["证据不足", "程序瑕疵", "整改监督不到位"],
        mk(["cooperated_with_investigation"], false=["accepted_responsibility"], neg=["not_accepted"]),
        6,
    ),
    Arch(
        "no_performed_a7",
        "none",
        ["证据不足", "决定错误"],
        mk(
            ["performed_per_statutory_duty"],
            extra=one_of(
                ["evidence_chain_incomplete"],
                ["case_review_skipped"],
                ["evidence_chain_incomplete", "case_review_skipped"],
            ),
        ),
        7,
    ),
    Arch(
        "no_performed_a8",
        "none",
        ["处罚畸轻畸重"],
        mk(["performed_per_statutory_duty", "major_decision_without_legal_review"]),
        3,
    ),
    Arch(
        "no_a4_uncorrected",
        "none",
        ["决定错误", "程序瑕疵", "漏检隐患"],
        mk(
            ["acted_within_duty", "loss_or_adverse_impact"],
            false=["corrected_timely"],
            neg=["not_corrected"],
            extra=one_of(["cause_objective_factors"], ["cause_unforeseeable"], ["cause_no_applicable_rule"]),
        ),
        5,
    ),
    Arch(
        "no_i3_partial",
        "none",
        ["整改监督不到位"],
        mk(
            ["counterparty_refused_decision", "violation_continued"],
            false=["escalated_to_government_or_court"],
            neg=["not_escalated"],
        ),
        4,
        fields=["食品安全", "特种设备", "药品医疗器械", "计量标准"],
    ),
    Arch(
        "no_report",
        "none",
        ["漏检隐患", "整改监督不到位", "处罚畸轻畸重"],
        mk(["report_received"], extra=maybe("report_real_name", 0.6)),
        3,
    ),
    Arch(
        "no_performed_a9",
        "none",
        ["移送不及时"],
        mk(
            ["performed_per_statutory_duty", "suspected_detention_or_crime"],
            false=["transferred_to_police"],
            neg=["late_transfer"],
        ),
        0,
        pinned_only=True,
    ),
    Arch(
        "no_a9",
        "none",
        ["移送不及时"],
        mk(["suspected_detention_or_crime"], false=["transferred_to_police"], neg=["late_transfer"]),
        0,
        pinned_only=True,
    ),
    Arch(
        "no_seizure",
        "none",
        ["查封扣押物品失管"],
        mk([], extra=maybe("loss_or_adverse_impact", 0.6)),
        0,
        pinned_only=True,
    ),
    # ---- out_of_scope --------------------------------------------------------
    Arch(
        "oos_auxiliary",
        "out_of_scope",
        ["漏检隐患", "整改监督不到位", "程序瑕疵"],
        mk(
            [],
            extra=lambda r, f, n: (
                (f.update(inspection_target_concealed=True), P2(r, f, n)) if r.random() < 0.5 else None
            ),
        ),
        1,
    ),
]
ARCH = {a.key: a for a in ARCHS}
assert len(ARCH) == len(ARCHS)

# ---------------------------------------------------------------------------
# Fields, units, people
# ---------------------------------------------------------------------------
FIELD_WEIGHTS = [
    ("食品安全", 32),
    ("特种设备", 15),
    ("药品医疗器械", 13),
    ("价格监管", 11),
    ("广告监管", 10),
    ("计量标准", 9),
    ("网络交易", 8),
]  # 知识产权: placed by hand only
TOWNS = [
    ("大沁他拉", "大沁他拉镇"),
    ("八仙筒", "八仙筒镇"),
    ("青龙山", "青龙山镇"),
    ("新镇", "新镇"),
    ("治安", "治安镇"),
    ("东明", "东明镇"),
    ("沙日浩来", "沙日浩来镇"),
    ("义隆永", "义隆永镇"),
    ("白音他拉", "白音他拉苏木"),
    ("明仁", "明仁苏木"),
    ("黄花塔拉", "黄花塔拉苏木"),
    ("固日班花", "固日班花苏木"),
]
FIELD_UNITS = {
    "食品安全": ["食品生产监管股", "食品经营监管股", "餐饮服务监管股"],
    "特种设备": ["特种设备安全监察股"],
    "价格监管": ["价格监督检查和反不正当竞争股"],
    "广告监管": ["广告监督管理股"],
    "药品医疗器械": ["药品医疗器械化妆品监管股"],
    "计量标准": ["计量标准化股"],
    "知识产权": ["知识产权股"],
    "网络交易": ["网络交易监督管理股"],
}
BRIGADE = "综合行政执法大队"

HAN_SURNAMES = list("王李张刘陈杨赵孙周吴高郭马于朱胡徐何田韩宋孟齐邢冯董崔曹袁邓")
HAN_GIVEN = [
    "海军",
    "志强",
    "建华",
    "丽娟",
    "晓东",
    "国庆",
    "春雨",
    "雪梅",
    "立新",
    "振宇",
    "秀英",
    "红艳",
    "宏伟",
    "文博",
    "俊峰",
    "淑芬",
    "艳华",
    "凤霞",
    "德胜",
    "占军",
    "玉兰",
    "永刚",
    "佳琪",
    "思远",
    "明辉",
    "宇航",
    "慧敏",
    "桂荣",
    "福林",
    "晓丽",
    "金凤",
    "长青",
    "志刚",
    "丽萍",
    "学军",
    "彦军",
    "晶",
    "磊",
    "静",
    "鹏",
]
MONGOL_NAMES = [
    "巴特尔",
    "乌日娜",
    "额尔敦",
    "那仁图雅",
    "苏日娜",
    "宝音",
    "特木尔",
    "斯琴高娃",
    "萨仁",
    "额尔德木图",
    "阿拉坦仓",
    "其木格",
    "敖登",
    "布和",
    "朝鲁",
    "乌兰",
    "哈斯",
    "图门",
    "白音仓",
    "金山",
    "吉日木图",
    "乌力吉",
    "呼和",
    "娜仁",
    "萨如拉",
]
MONGOL_SURNAMES = ["包", "白", "宝", "吴", "韩", "鲍"]
AUX_ROLES = ["市场监管协管员", "劳务派遣辅助人员", "网格化管理员"]
AUX_FIELD = {"食品安全": "食品安全协管员", "特种设备": "特种设备安全协管员", "价格监管": "价格监测员"}


class Roster:
    def __init__(self, rng):
        self.rng, self.by_unit, self.used = rng, {}, set()

    def _new_name(self):
        r = self.rng
        while True:
            x = r.random()
            if x < 0.62:
                n = r.choice(HAN_SURNAMES) + r.choice(HAN_GIVEN)
            elif x < 0.85:
                n = r.choice(MONGOL_SURNAMES) + r.choice(MONGOL_NAMES)
            else:
                n = r.choice(MONGOL_NAMES)
            if n not in self.used:
                self.used.add(n)
                return n

    def pick(self, unit):
        if unit not in self.by_unit:
            size = 22 if unit == BRIGADE else (5 if unit.endswith("市场监督管理所") else 9)
            self.by_unit[unit] = [self._new_name() for _ in range(size)]
        return self.rng.choice(self.by_unit[unit])


# ---------------------------------------------------------------------------
# Narrative material
# ---------------------------------------------------------------------------
def _sc(target, hazard, violation, product, emergency=None):
    return dict(target=target, hazard=hazard, violation=violation, product=product, emergency=emergency)


# Per field: scenes (a target with the hazards, violations and products that go with it) and field-wide terms.
CTX = {
    "食品安全": dict(
        scenes=[
            _sc(
                "{town}某超市",
                ["销售超过保质期的食品", "食品进货查验记录缺失", "散装食品标签不全"],
                ["经营超过保质期的食品", "销售不符合食品安全标准的食品"],
                ["酱卤制品", "散装白酒", "乳制品"],
            ),
            _sc(
                "{town}某餐饮店",
                ["后厨卫生条件不达标", "从业人员未取得健康证明", "使用超过保质期的食品原料"],
                ["未取得食品经营许可从事餐饮服务", "使用不符合食品安全标准的食品原料"],
                ["冷冻牛羊肉", "自制凉菜", "食用油"],
                "疑似食物中毒事件",
            ),
            _sc(
                "{town}中心学校食堂",
                ["食品留样制度未落实", "使用未经检疫的肉品", "餐具消毒不到位"],
                ["使用未经检疫的肉类制作食品"],
                ["冷冻肉品", "米面制品"],
                "学生疑似食物中毒事件",
            ),
            _sc(
                "某食品加工小作坊",
                ["生产环境不符合要求", "食品添加剂超范围使用"],
                ["超范围使用食品添加剂", "生产不符合食品安全标准的食品"],
                ["自制糕点", "粉条", "豆制品"],
            ),
            _sc(
                "某桶装水生产企业",
                ["出厂检验记录缺失", "水处理设备未按期维护"],
                ["生产不符合食品安全标准的包装饮用水"],
                ["桶装饮用水"],
            ),
            _sc(
                "{town}农贸市场某肉类摊位",
                ["销售未经检疫的肉品", "肉品来源不明"],
                ["销售未经检疫的肉类"],
                ["牛羊肉", "猪肉"],
            ),
        ],
        emergency=["农村集体聚餐疑似食物中毒事件"],
        crime="生产、销售有毒、有害食品罪",
        newform="网红自制食品",
        dept="旗农牧和科技局",
        doc="肉品检疫合格证明",
        accident="食物中毒事故",
    ),
    "特种设备": dict(
        scenes=[
            _sc(
                "某小区物业公司",
                ["电梯安全保护装置失效", "电梯超期未检验", "电梯维保记录不实"],
                ["使用超过检验有效期的电梯"],
                ["电梯"],
                "电梯困人事件",
            ),
            _sc(
                "某供热公司",
                ["锅炉安全阀超期未校验", "司炉人员无证上岗", "锅炉水处理不达标"],
                ["使用未经定期检验的锅炉"],
                ["燃煤锅炉"],
                "锅炉超压险情",
            ),
            _sc(
                "某加气站",
                ["压力容器未按期检验", "安全附件失效"],
                ["使用未经定期检验的压力容器"],
                ["液化气储罐", "压力容器"],
                "液化气储罐泄漏险情",
            ),
            _sc(
                "某砂石厂",
                ["起重机械限位器损坏", "叉车未办理使用登记"],
                ["使用未经登记的特种设备"],
                ["门式起重机", "场（厂）内专用机动车辆"],
                "起重机械倾覆险情",
            ),
            _sc(
                "某商场",
                ["自动扶梯安全装置失效", "电梯应急救援演练未开展"],
                ["使用存在安全隐患的特种设备"],
                ["自动扶梯", "电梯"],
                "自动扶梯夹人事件",
            ),
        ],
        emergency=["电梯困人事件"],
        crime="重大责任事故罪",
        newform="新型游乐设施",
        dept="旗住房和城乡建设局",
        doc="特种设备检验报告",
        accident="特种设备安全事故",
    ),
    "价格监管": dict(
        scenes=[
            _sc("{town}某加油站", ["未按规定明码标价", "油价标示不规范"], ["不明码标价", "价格欺诈"], ["成品油"]),
            _sc(
                "某连锁药店",
                ["防疫用品价格标示不规范", "防疫用品进销差价异常"],
                ["哄抬价格"],
                ["医用口罩", "退烧药"],
                "防疫物资价格异常波动",
            ),
            _sc(
                "某旅游景区",
                ["门票价格公示不规范"],
                ["不执行政府指导价", "价格欺诈"],
                ["景区门票"],
                "节日期间游客集中投诉价格问题",
            ),
            _sc("某停车场", ["收费标准未公示"], ["不执行政府定价"], ["停车服务"]),
            _sc("某供热公司", ["供热收费标准执行不到位"], ["不执行政府定价"], ["供热服务"]),
            _sc("某农资经营部", ["化肥价格标示不规范"], ["哄抬价格", "价格欺诈"], ["化肥"], "春耕期间化肥价格异常波动"),
        ],
        emergency=["节日期间价格集中投诉"],
        crime="扰乱市场秩序",
        newform="新型预付式消费",
        dept="旗发展和改革委员会",
        doc="成本核算资料",
        accident="群体性价格投诉事件",
    ),
    "广告监管": dict(
        scenes=[
            _sc(
                "某医疗美容诊所",
                ["发布未经审查的医疗广告", "广告中含有治愈率表述"],
                ["发布未经审查的医疗广告", "发布虚假广告"],
                ["宣传单页", "微信公众号推文"],
            ),
            _sc(
                "某房地产开发公司",
                ["户外广告含有升值承诺"],
                ["发布含有升值或者投资回报承诺的房地产广告"],
                ["户外广告牌"],
            ),
            _sc("某保健食品经营部", ["宣传保健食品具有疾病治疗功能"], ["发布虚假广告"], ["宣传单页", "短视频广告"]),
            _sc(
                "某教育培训机构",
                ["广告中含有升学保证承诺"],
                ["发布含有保证性承诺的教育培训广告"],
                ["宣传海报", "短视频广告"],
            ),
            _sc("某酒业公司", ["广告中使用绝对化用语"], ["发布含有绝对化用语的广告"], ["户外广告牌", "短视频广告"]),
        ],
        emergency=["虚假广告引发集中投诉"],
        crime="虚假广告罪",
        newform="短视频隐性广告",
        dept="旗卫生健康委员会",
        doc="医疗广告审查证明",
        accident="消费者集中受损事件",
    ),
    "药品医疗器械": dict(
        scenes=[
            _sc(
                "{town}某药店",
                ["药品储存温湿度不达标", "处方药未凭处方销售", "销售过期药品"],
                ["未凭处方销售处方药", "销售劣药"],
                ["中药饮片", "处方药"],
            ),
            _sc(
                "某个体诊所",
                ["使用过期药品", "一次性医疗器械重复使用"],
                ["使用过期药品", "使用无注册证的医疗器械"],
                ["一次性输液器", "注射用药品"],
                "患者用药后不良反应事件",
            ),
            _sc(
                "某医疗器械经营部",
                ["销售未备案的第二类医疗器械", "经营场所与许可不符"],
                ["经营无注册证的医疗器械"],
                ["血糖仪", "医用口罩"],
            ),
            _sc(
                "某化妆品店",
                ["销售未备案的化妆品", "化妆品标签不规范"],
                ["销售不符合规定的化妆品"],
                ["染发类化妆品", "美白类化妆品"],
            ),
            _sc(
                "{town}某村卫生室",
                ["药品购进记录缺失", "过期药品未及时清理"],
                ["使用过期药品"],
                ["中成药", "注射用药品"],
            ),
        ],
        emergency=["药品不良反应聚集性事件"],
        crime="生产、销售假药罪",
        newform="互联网医疗器械销售",
        dept="旗卫生健康委员会",
        doc="医疗器械注册证",
        accident="药品质量安全事件",
    ),
    "计量标准": dict(
        scenes=[
            _sc(
                "{town}某加油站",
                ["加油机计量超差", "加油机铅封破损"],
                ["破坏计量器具准确度", "使用不合格计量器具"],
                ["加油机"],
            ),
            _sc(
                "{town}集贸市场",
                ["电子秤未经检定", "电子秤加装作弊装置"],
                ["使用未经检定的计量器具"],
                ["电子秤"],
                "群众集中反映短斤少两",
            ),
            _sc("某眼镜店", ["验光仪超期未检定"], ["使用未经检定的计量器具"], ["验光仪", "焦度计"]),
            _sc(
                "某粮食收购点",
                ["地磅超期未检定", "地磅加装遥控作弊装置"],
                ["破坏计量器具准确度"],
                ["地磅"],
                "粮食收购季农户集中反映短斤少两",
            ),
            _sc("某出租汽车公司", ["出租汽车计价器超期未检定"], ["使用不合格计量器具"], ["出租汽车计价器"]),
        ],
        emergency=["群众集中反映短斤少两"],
        crime="诈骗罪",
        newform="新型智能计量器具",
        dept="旗交通运输局",
        doc="计量器具检定证书",
        accident="群体性计量纠纷",
    ),
    "知识产权": dict(
        scenes=[
            _sc("某酒类经营部", ["销售假冒注册商标的白酒"], ["销售侵犯注册商标专用权的商品"], ["白酒"]),
            _sc(
                "某服装店",
                ["销售侵犯注册商标专用权的运动服装"],
                ["销售侵犯注册商标专用权的商品"],
                ["运动服装", "运动鞋"],
            ),
            _sc(
                "某农资店",
                ["销售假冒品牌玉米种子", "销售标注虚假专利号的农具"],
                ["假冒专利", "销售侵犯注册商标专用权的商品"],
                ["玉米种子", "农药"],
            ),
            _sc("某建材店", ["销售假冒品牌电线电缆"], ["销售侵犯注册商标专用权的商品"], ["电线电缆"]),
            _sc("某农产品经营户", ["擅自使用他人地理标志"], ["擅自使用他人地理标志"], ["小米", "荞麦"]),
        ],
        emergency=["假冒商品集中上市"],
        crime="销售假冒注册商标的商品罪",
        newform="新型商标使用方式",
        dept="旗农牧和科技局",
        doc="商标授权书",
        accident="假冒商品流入市场事件",
    ),
    "网络交易": dict(
        scenes=[
            _sc(
                "某网店经营者",
                ["网店未亮照经营", "网售商品信息不实"],
                ["未公示营业执照信息", "网络销售不符合安全标准的商品"],
                ["网售农副产品"],
            ),
            _sc(
                "某直播带货主播",
                ["直播销售“三无”食品", "直播中虚假宣传"],
                ["网络销售不符合安全标准的商品", "虚假宣传"],
                ["直播销售的预包装食品"],
                "直播间集中消费投诉",
            ),
            _sc(
                "某外卖平台商户",
                ["无证经营外卖餐饮", "平台公示信息与实际不符"],
                ["未取得许可通过网络从事餐饮服务"],
                ["外卖餐食"],
            ),
            _sc("某社区团购团长", ["销售过期团购商品"], ["网络销售不符合安全标准的商品"], ["团购生鲜"]),
            _sc("某二手车网络经营者", ["虚构交易、编造用户评价"], ["虚构交易、编造用户评价"], ["二手车信息服务"]),
        ],
        emergency=["直播间集中消费投诉"],
        crime="销售伪劣产品罪",
        newform="直播带货新业态",
        dept="旗商务局",
        doc="产品质量检验报告",
        accident="消费者健康受损事件",
    ),
}

ACTIVITY = ["日常监督检查", "专项检查", "节日市场检查", "“双随机、一公开”抽查", "投诉举报核查"]
DECISION_KIND = ["行政处罚", "责令停业整顿", "不予立案", "撤销案件", "责令改正"]
REFORMS = [
    "“互联网+监管”",
    "包容审慎监管",
    "非现场监管",
    "信用风险分类监管",
    "“双随机、一公开”跨部门联合抽查",
    "网络交易智慧监测",
]
DIRECTIVES = ["优化营商环境", "“放管服”改革", "食品安全“两个责任”落实", "民营经济高质量发展"]
KEY_WORK = [
    "民生领域“铁拳”行动",
    "校园食品安全守护行动",
    "电梯安全筑底行动",
    "燃气安全专项整治",
    "冬季供暖保障",
    "春耕农资市场整治",
]
POLICIES = [
    "《中华人民共和国食品安全法实施条例》修订",
    "《中华人民共和国广告法》相关条款修改",
    "上级部署调整",
    "新旧行政处罚裁量基准衔接",
    "《明码标价和禁止价格欺诈规定》施行",
    "首违不罚清单调整",
]
OBJECTIVE = ["快检设备故障", "执法记录仪存储卡损坏", "执法办案平台系统升级停用", "检测试剂批次质量问题"]
FORCE_MAJEURE_COVID = ["新冠肺炎疫情封控管理", "辖区实行疫情静态管理"]
# weather, by the months in which it is plausible in Naiman Banner
WEATHER_OBJECTIVE = [("暴雪导致道路中断", (11, 12, 1, 2, 3)), ("沙尘暴天气", (3, 4, 5)), ("持续强降雨", (6, 7, 8))]
WEATHER_FM = [("特大暴雪致道路中断", (11, 12, 1, 2, 3)), ("强沙尘暴天气", (3, 4, 5)), ("突发洪涝灾害", (6, 7, 8, 9))]


def seasonal(pool, table, month):
    return pool + [w for w, months in table if month in months]


SPECIAL = [
    "需等待上级检验机构出具复检结论",
    "当事人参加自治区集中业务培训",
    "整改事项涉及跨部门协调",
    "恰逢疫情防控封控期间",
    "涉事设备需厂家返厂维修",
]
WEAK_REASON = ["工作任务繁重", "年底事务较多", "人员调整"]

OPENER_DECISION = [
    "{d}，该局党组会议研究",
    "该局于{d}经党组会议集体研究",
    "{d}，局党组结合主观动机、客观条件、后果影响等情况综合研判后",
    "{d}，该局党组根据调查核实情况研究",
]
OPENER_DECISION_NODATE = [
    "后经局党组会议研究（认定结论文书未载明日期）",
    "经局党组会议集体研究（卷内认定文书落款日期缺失）",
]
DECISION_TEXT = {
    "exempt": ["予以容错免责", "认定当事人符合容错免责情形，免除其相关责任", "对当事人予以容错，不作为执法错误认定"],
    "duty_fulfilled": ["认定当事人已履职尽责，不予追究责任", "认定为尽职免责，不追究当事人责任"],
    "mitigated": [
        "对当事人予以从轻处理，给予批评教育",
        "决定对当事人减轻处理，责令其作出书面检查",
        "对当事人从轻追究责任，给予诫勉谈话",
    ],
    "excluded": ["认定当事人不符合容错条件，不予容错", "决定不予容错，并按照有关规定追究相关责任"],
    "none": [
        "认定不属于容错免责情形，按照有关规定追究相应责任",
        "认定不适用容错纠错，责令当事人作出深刻检查并在股室内通报批评",
    ],
    "out_of_scope": ["认定当事人不属于本办法适用对象，不启动容错纠错程序，交由所在单位按聘用管理规定处理"],
}
CONTEXT_FILLERS = [
    "该局纪检监察室对相关执法案卷进行了调阅核实。",
    "此前当事人未受过任何处分。",
    "相关情况已形成书面说明材料附卷备查。",
    "涉事单位负责人对上述事实无异议。",
]

FACT_PHRASES = {
    "performed_per_statutory_duty": [
        "经核查执法案卷，当事人已按照法定职责、法定程序和岗位职责履行了检查、告知、取证等职责",
        "调阅执法全过程记录显示，当事人已依照法定职责和法定程序履行岗位职责",
    ],
    "acted_within_duty": [
        "该行为系当事人在法定职责和岗位职责范围内依法履职",
        "当事人系在本岗位职责范围内按照职业要求开展工作",
    ],
    "evidence_chain_incomplete": ["但案卷中关键证据缺失，未形成完整的证据链", "但据以定案的证据未能形成完整的证据链"],
    "case_review_skipped": ["但案件未经严格的案件审查即作出决定", "但该案未按规定提交案件审核"],
    "major_decision_without_legal_review": [
        "但该处罚属重大执法决定，作出前未经法制审核",
        "但该重大执法决定未按规定进行法制审核",
    ],
    "suspected_detention_or_crime": [
        "经查，涉案经营者的行为涉嫌{crime}",
        "涉案{product}经检验，涉案经营者的行为涉嫌{crime}",
    ],
    "transferred_to_police": ["该局已依法将案件及时移送奈曼旗公安局，并协助开展调查", "案件已按规定及时移送公安机关"],
    "exceeded_statutory_scope": [
        "当事人对不属于本局管辖的事项径行作出处理，超越了法定职责范围",
        "其所采取的扣押措施超出了法定职权范围",
    ],
    "violated_statutory_procedure": [
        "作出处理决定前未依法告知行政相对人陈述、申辩权利，违反法定程序",
        "未经负责人批准即实施查封扣押，违反了法定程序",
        "超过法定期限作出处理决定，违反法定程序",
    ],
    "counterparty_deception": [
        "经查，{cp}提供了伪造的{doc}，致使执法人员作出错误执法决定",
        "行政相对人故意隐瞒真实情况并提供虚假材料，导致作出错误执法决定",
    ],
    "counterparty_evaded_investigation": [
        "{cp}在调查期间关门停业、拒不到案接受询问，逃避案件调查，致使执法行为未能及时作出",
        "行政相对人更换联系方式、逃避调查，导致案件未能及时作出处理",
    ],
    "counterparty_refused_decision": ["{cp}拒不执行该局作出的行政处罚决定和责令改正通知"],
    "escalated_to_government_or_court": ["该局已依法申请人民法院强制执行", "该局已依法提请旗人民政府责令其停业、关闭"],
    "violation_continued": ["但被执行人仍继续违法生产经营"],
    "harm_from_tampered_seized_property": [
        "涉案经营者擅自撕毁封条，转移并销售了被查封的{product}，导致危害后果发生",
        "被查封的{product}被涉案经营者擅自转移、变卖，造成危害后果",
    ],
    "force_majeure_prevented_duty": [
        "因{fm}这一不可抗力因素，执法人员无法按期到场履行职责",
        "受{fm}影响，执法人员客观上无法依法履行复查职责",
    ],
    "other_department_fault": [
        "因{dept}出具的相关意见存在错误，导致该局作出错误判定",
        "其他有关部门的不当行政行为导致该局据以作出的处理出现错误",
    ],
    "undetectable_by_standards_or_technology": [
        "因该类{product}中相关物质尚无国家检测标准，现有检测技术无法检出，导致问题无法定性",
        "受现有检验检测技术水平限制，相关问题当时无法发现和定性",
    ],
    "accident_during_rectification_noncompliance": [
        "该单位在整改期间拒不执行整改要求，擅自继续使用{product}，导致发生{accident}",
        "违法行为已被依法查处并责令改正，但该单位在整改期间不执行整改要求，发生{accident}",
    ],
    "accident_during_lawful_processing": [
        "该局已依法立案调查并责令改正，在案件按法律程序办理期间发生{accident}",
        "违法行为已被依法调查和责令改正，在案件移送过程中发生{accident}",
    ],
    "not_liable_under_rules_at_the_time": ["按照事发当时的法律法规和有关规定，不应追究当事人责任"],
    "outside_assigned_duties": [
        "经核对“三定”方案，该事项不属于当事人所在股室的职责范围",
        "根据“三定”职责，该项监管工作不属于当事人的职责",
    ],
    "other_duty_fulfilled_ground": ["经局党组研究认定，属于其他履职尽责依法不应当追究责任的情形"],
    "cause_no_applicable_rule": [
        "对{newform}等新情况，当时既无明确法律规定，也无相关政策要求和职业规范可循",
        "因该类问题当时尚无法律规定和政策要求",
        "该类情形当时没有可供遵循的法律规定、政策要求和职业要求",
    ],
    "cause_objective_factors": ["受{objective}等客观因素影响，工作中出现偏差", "该失误系{objective}这一客观因素所致"],
    "cause_unforeseeable": ["该情况事先难以预见预料", "此种情形属于难以预见的因素"],
    "bold_exploration_under_directive": [
        "为贯彻落实上级关于{directive}的决策部署，当事人主动作为、大胆探索、先行先试，出现失误"
    ],
    "reform_pilot_error": ["在推进{reform}改革试点中先行先试、突破常规，出现探索性失误，未达到预期效果"],
    "bold_action_in_key_work": ["在{keywork}重点工作中，当事人敢于决策、大胆履职，出现偏差"],
    "policy_change_or_unclear_boundary": ["因{policy}，相关政策界限不明确，当事人在适用中出现偏差"],
    "on_the_spot_decision_error": ["为防止执法风险扩大，当事人在现场临机决断，事后发现处置存在偏差"],
    "inspection_target_concealed": [
        "检查时执法对象故意隐瞒有关情况、未如实反映，致使当事人未能及时发现潜在问题",
        "{cp}在检查中刻意隐瞒、未如实报告，导致潜在问题未被及时发现",
    ],
    "intentional_violation_despite_measures": [
        "{cp}主观故意违法，在执法人员已依法采取责令改正、查封等法定措施后仍继续违法经营，导致发生{accident}",
        "执法人员已依法下达责令改正通知并采取法定措施，但{cp}故意违法、拒不改正，仍发生{accident}",
    ],
    "breaking_entrenched_interests": ["在处理相关执法矛盾过程中，当事人勇于破除障碍、触及固有利益，造成一定偏差"],
    "other_tolerable_circumstance": ["经局党组研究认定，属于其他可以容错免责的情形"],
    "not_prohibited_by_law": ["当事人所采取的做法法律没有明令禁止", "当事人的做法不属于法律明令禁止的情形"],
    "loss_or_adverse_impact": [
        "该问题造成了一定经济损失",
        "此事产生了一定不良影响",
        "该问题给相关经营者造成了一定损失",
    ],
    "major_loss": ["造成直接经济损失{amt}万元，属于重大损失", "事件造成重大经济损失（约{amt}万元）"],
    "serious_adverse_impact": [
        "事件经网络媒体传播后引发舆情，造成严重不良影响",
        "相关情况被多家媒体报道，造成严重不良影响",
    ],
    "corrected_timely": [
        "发现问题后当事人及时予以纠正",
        "当事人于发现问题当日即撤销原决定并重新作出处理",
        "问题发现后已及时纠正改正",
    ],
    "remedied_actively": [
        "事后当事人积极主动消除不良影响、挽回损失",
        "当事人主动上门说明情况并协调善后，挽回了损失、消除了影响",
    ],
    "proactively_limited_loss": [
        "当事人发现问题后主动采取补救措施，有效避免了损失扩大",
        "当事人主动采取措施，有效挽回了影响",
    ],
    "cooperated_with_investigation": ["当事人积极配合问责调查，如实说明情况"],
    "accepted_responsibility": ["主动承担责任，作出书面检讨"],
    "other_mitigating_ground": ["经局党组研究，认定其具有其他依法可以从轻、减轻的情形"],
    "applied_by_individual": ["当事人本人向单位书面提出了容错认定申请", "当事人直接向局党组提出容错认定申请"],
    "maliciously_accused": [
        "经查，有关人员在网络上对当事人进行恶意炒作和诽谤",
        "调查中发现举报人对当事人存在诬告陷害情形",
    ],
    "report_found_untrue": ["经调查核实，举报反映的问题不属实"],
    "report_unsubstantiated": ["经查，举报反映的问题查无实据"],
}
NEG_PHRASES = {
    "no_major": ["未造成重大损失和严重不良影响", "未造成重大损失，亦未产生严重不良影响"],
    "not_remedied": ["但事后未能积极主动采取措施消除不良影响、挽回损失", "事后当事人未主动开展善后工作"],
    "not_corrected": ["但问题发现后未能及时纠正", "问题发现后迟迟未予纠正"],
    "prohibited": ["但其采取的做法属于法律明令禁止的情形", "经法制审核，其做法为法律明令禁止"],
    "late_transfer": ["但未及时移送公安机关，直至{months}个月后才办理移送手续", "案件未按规定及时移送公安机关"],
    "not_escalated": ["但该局未依法申请人民法院强制执行，也未提请人民政府责令停业、关闭"],
    "not_accepted": ["但对自身责任认识不足，未主动承担责任"],
}
UNKNOWN_PHRASES = {
    "major_loss": "损失金额尚在核定中，是否构成重大损失暂无法确定",
    "violated_statutory_procedure": "当事人是否履行了负责人审批程序，卷内材料未能反映",
    "transferred_to_police": "案件是否已及时移送公安机关，卷内未见移送回执",
    "report_real_name": "举报人是否实名，现有材料未予载明",
    "enforcement_personnel": "卷内未见其行政执法证件信息",
}

S2_FACTS = [
    "performed_per_statutory_duty",
    "acted_within_duty",
    "evidence_chain_incomplete",
    "case_review_skipped",
    "major_decision_without_legal_review",
    "suspected_detention_or_crime",
    "transferred_to_police",
    "exceeded_statutory_scope",
    "violated_statutory_procedure",
    "outside_assigned_duties",
    "not_liable_under_rules_at_the_time",
]
S3_FACTS = (
    [
        "counterparty_deception",
        "counterparty_evaded_investigation",
        "counterparty_refused_decision",
        "escalated_to_government_or_court",
        "violation_continued",
        "harm_from_tampered_seized_property",
        "force_majeure_prevented_duty",
        "other_department_fault",
        "undetectable_by_standards_or_technology",
        "accident_during_rectification_noncompliance",
        "accident_during_lawful_processing",
        "cause_no_applicable_rule",
        "cause_objective_factors",
        "cause_unforeseeable",
    ]
    + A11_ITEMS
    + ["other_duty_fulfilled_ground", "not_prohibited_by_law"]
)
S4_FACTS = [
    "loss_or_adverse_impact",
    "major_loss",
    "serious_adverse_impact",
    "corrected_timely",
    "remedied_actively",
    "proactively_limited_loss",
    "cooperated_with_investigation",
    "accepted_responsibility",
    "other_mitigating_ground",
]
_ELSEWHERE = [
    "enforcement_personnel",
    "applied_by_individual",
    "report_received",
    "report_real_name",
    "report_found_untrue",
    "report_unsubstantiated",
    "maliciously_accused",
    "decision_publicized",
    "extension_applied",
    "special_circumstances",
]
assert sorted(S2_FACTS + S3_FACTS + S4_FACTS + _ELSEWHERE) == sorted(VOCAB), "every fact must be narrated somewhere"
assert all(k in FACT_PHRASES for k in S2_FACTS + S3_FACTS + S4_FACTS)
NEG_GROUP = {
    "no_major": 4,
    "not_remedied": 4,
    "not_corrected": 4,
    "prohibited": 3,
    "late_transfer": 2,
    "not_escalated": 3,
    "not_accepted": 4,
}

ERR = {
    "漏检隐患": ("inspect", ["未能发现该单位存在的{hazard}问题", "未发现{hazard}隐患", "对{hazard}问题未能及时发现"]),
    "证据不足": (
        "case",
        [
            "作出的行政处罚决定所依据的证据不足，后被行政复议机关撤销",
            "据以定案的证据不充分，处罚决定被依法撤销",
            "案件证据收集不充分，致使处理结果被撤销",
        ],
    ),
    "程序瑕疵": ("case", ["案件办理存在程序瑕疵", "在文书制作和送达环节出现瑕疵", "办案期限、文书送达等环节存在瑕疵"]),
    "超越职权": ("case", ["超出本局职权范围作出处理", "对不属于本局管辖的事项作出处理决定"]),
    "处罚畸轻畸重": ("case", ["作出的罚款数额明显偏离行政处罚裁量基准", "处罚结果畸轻畸重，被上级机关责令纠正"]),
    "移送不及时": ("case", ["未能及时将涉嫌犯罪线索移送公安机关", "案件移送公安机关明显滞后"]),
    "决定错误": ("case", ["作出的{decision_kind}决定存在错误", "对案件性质认定有误，作出了不当的{decision_kind}决定"]),
    "整改监督不到位": (
        "inspect",
        ["下达责令改正通知后跟踪督促不到位，{hazard}问题未能按期整改", "对其{hazard}问题的整改情况复查不到位"],
    ),
    "先行先试失误": ("pilot", ["在{reform}试点工作中出现失误", "试行的{reform}工作机制出现偏差，未达到预期效果"]),
    "临机处置失误": ("emergency", ["现场临机处置出现失误", "现场处置措施出现偏差"]),
    "查封扣押物品失管": ("seizure", ["对依法查封扣押的{product}监管不到位", "查封扣押物品的后续管理出现疏漏"]),
    "检验定性偏差": ("inspect", ["对抽检{product}的检验结果定性出现偏差", "对{product}抽检不合格问题的定性出现偏差"]),
}
ERROR_TYPES = list(ERR)
RARE_TYPES = ["临机处置失误", "移送不及时", "先行先试失误", "查封扣押物品失管"]

# ---------------------------------------------------------------------------
# Plan: pinned clusters, backgrounds of rare types, special records
# ---------------------------------------------------------------------------
D = dt.date.fromisoformat


class Slot:
    def __init__(
        self,
        arch,
        conduct=None,
        field=None,
        unit=None,
        error=None,
        recorded="same",
        cluster="",
        unknown=None,
        why="",
        pinned=False,
    ):
        self.arch, self.conduct, self.field, self.unit, self.error = arch, conduct, field, unit, error
        self.recorded, self.cluster, self.unknown, self.why, self.pinned = recorded, cluster, unknown, why, pinned
        self.flags = []


CLUSTERS = {
    "C1": dict(
        label="临机处置失误 / 特种设备 / 特种设备安全监察股，2022年12月至2023年2月（供暖季特种设备险情现场处置）",
        en="on-the-spot decision errors, special equipment, heating season 2022-12 to 2023-02",
    ),
    "C2": dict(
        label="移送不及时 / 食品安全·药品医疗器械 / 综合行政执法大队，2023年5月至10月",
        en="late transfer to the police, food and drugs, enforcement brigade, 2023-05 to 2023-10",
    ),
    "C3": dict(
        label="先行先试失误 / 网络交易 / 网络交易监督管理股，2024年3月至9月（网络交易智慧监测试点）",
        en="pilot errors, online trade, online-trade unit, 2024-03 to 2024-09",
    ),
    "C4": dict(
        label="查封扣押物品失管 / 综合行政执法大队，2021年6月至10月",
        en="seized goods left unguarded, enforcement brigade, 2021-06 to 2021-10",
    ),
    "F-IP2023": dict(
        label="知识产权领域 2023 年集中出现（“铁拳”商标侵权专项行动）",
        en="intellectual property concentrated in 2023 (trademark campaign)",
    ),
}


def plan(rng) -> list[Slot]:
    s: list[Slot] = []
    # C1: on-the-spot decision errors in special equipment, across the 2022/23 year boundary
    for d, a in [
        ("2022-12-05", "ex_on_the_spot"),
        ("2022-12-28", "mi_on_the_spot_major"),
        ("2023-01-17", "ex_on_the_spot"),
        ("2023-02-20", "xc_on_the_spot_proc"),
    ]:
        s.append(Slot(a, D(d), "特种设备", "特种设备安全监察股", "临机处置失误", cluster="C1", pinned=True))
    # C2: late transfers to police
    for d, a, f in [
        ("2023-05-09", "no_a9", "食品安全"),
        ("2023-06-21", "mi_a9_coop", "药品医疗器械"),
        ("2023-08-14", "df_evaded_a9", "食品安全"),
        ("2023-10-10", "no_a9", "药品医疗器械"),
    ]:
        s.append(Slot(a, D(d), f, BRIGADE, "移送不及时", cluster="C2", pinned=True))
    # C3: pilot errors in online trade
    for d, a in [
        ("2024-03-12", "ex_pilot"),
        ("2024-04-25", "ex_pilot_a4"),
        ("2024-06-03", "mi_pilot_noremedy"),
        ("2024-07-19", "ex_pilot"),
        ("2024-09-02", "ex_pilot_directive"),
    ]:
        s.append(Slot(a, D(d), "网络交易", "网络交易监督管理股", "先行先试失误", cluster="C3", pinned=True))
    # C4: seized goods
    for d, a, f in [
        ("2021-06-08", "df_tampered", "食品安全"),
        ("2021-08-17", "no_seizure", "药品医疗器械"),
        ("2021-10-11", "df_tampered", "食品安全"),
    ]:
        s.append(Slot(a, D(d), f, BRIGADE, "查封扣押物品失管", cluster="C4", pinned=True))
    # backgrounds of the rare types: spaced so that, without the cluster, no 365-day window holds 3
    bg = [
        (
            "临机处置失误",
            [
                ("2021-05-18", "mi_on_the_spot_noremedy", "食品安全"),
                ("2024-06-11", "ex_on_the_spot", "特种设备"),
                ("2025-05-07", "ex_on_the_spot", "食品安全"),
            ],
        ),
        (
            "移送不及时",
            [
                ("2021-08-23", "mi_a9_coop", "食品安全"),
                ("2022-04-12", "no_a9", "计量标准"),
                ("2025-02-24", "no_a9", "网络交易"),
            ],
        ),
        (
            "先行先试失误",
            [
                ("2021-10-19", "ex_pilot", "食品安全"),
                ("2022-09-06", "mi_pilot_serious", "价格监管"),
                ("2023-02-13", "ex_pilot_directive", "特种设备"),
            ],
        ),
        (
            "查封扣押物品失管",
            [
                ("2022-11-08", "df_tampered", "药品医疗器械"),
                ("2023-09-12", "no_seizure", "食品安全"),
                ("2024-11-05", "df_tampered", "计量标准"),
                ("2025-06-16", "mi_seizure_coop", "食品安全"),
            ],
        ),
    ]
    for err, rows in bg:
        for d, a, f in rows:
            s.append(Slot(a, D(d), f, None, err, pinned=True))
    # one background late transfer recorded as duty fulfilled although the transfer duty was breached
    s.append(
        Slot(
            "no_performed_a9",
            D("2024-04-16"),
            "药品医疗器械",
            None,
            "移送不及时",
            recorded="duty_fulfilled",
            why="已按程序检查，但涉嫌犯罪案件未及时移送（a9 违反），a10.p1.i1 不成立，又无其他容错情形；卷宗仍记为履职尽责",  # noqa: E501
            pinned=True,
        )
    )
    # knowledge-property field: concentrated in 2023, sparse elsewhere (archetype filled in later)
    for d in [
        "2023-03-07",
        "2023-03-29",
        "2023-04-18",
        "2023-05-16",
        "2023-06-06",
        "2023-06-27",
        "2023-08-08",
        "2023-09-05",
        "2023-10-17",
        "2023-11-14",
    ]:
        s.append(Slot(None, D(d), "知识产权", None, None, cluster="F-IP2023", pinned=True))
    for d in ["2021-04-13", "2022-01-11", "2024-07-09", "2025-05-27"]:
        s.append(Slot(None, D(d), "知识产权", None, None, pinned=True))

    # deliberately inconsistent records (recorded decision differs from the rules)
    inc = [
        (
            "mi_a11_major",
            "exempt",
            4,
            "存在 a11.p1 情形，但造成重大损失（major_loss），不满足 a11.p2.i2，只能从轻、减轻，不能免责",
        ),
        ("xc_proc_a11", "exempt", 4, "违反法定程序（a13），不予容错，a11 情形及 a11.p2 条件均被阻却"),
        ("mi_a11_serious", "exempt", 2, "造成严重不良影响（serious_adverse_impact），不满足 a11.p2.i2"),
        (
            "no_performed_a7",
            "duty_fulfilled",
            3,
            "案卷证据链不完整或未经案件审查（a7 违反），a10.p1.i1 不成立，又无其他情形",
        ),
        ("xc_proc_a11_only", "mitigated", 2, "违反法定程序（a13）阻却 a11 的从轻、减轻；无 a12 情形"),
        (
            "ex_concealed",
            "mitigated",
            2,
            "a11.p1.i6 与 a11.p2 三项条件均满足，可以免责；a11.p2 为“可以”，记为从轻属裁量偏严，待复核",
        ),
        ("df_deception", "none", 2, "相对人提供虚假材料致错误决定（a10.p1.i2），应当认定履职尽责，卷宗未予认定"),
        ("oos_auxiliary", "exempt", 2, "当事人为协管员，不属于执法人员（a2），不适用本办法"),
        (
            "mi_a7_coop",
            "excluded",
            2,
            "a7 证据链问题在默认解释下不属于违反法定程序（Q10），应依 a12.p1.i2 从轻；严格解释下记为不予容错才成立",
        ),
        ("mi_a11_noremedy", "exempt", 2, "未积极主动消除影响、挽回损失，不满足 a11.p2.i3，只能从轻、减轻"),
        ("no_coop_only", "mitigated", 1, "仅配合调查而未主动承担责任，a12.p1.i2 两项要件不全，无从轻情形"),
    ]
    for a, rec, n, why in inc:
        for _ in range(n):
            s.append(Slot(a, recorded=rec, why=why))
    # records with an unknown fact
    unk = [
        ("ex_concealed", "major_loss"),
        ("ex_policy", "major_loss"),
        ("ex_key_work", "major_loss"),
        ("ex_concealed", "violated_statutory_procedure"),
        ("ex_a4_objective", "violated_statutory_procedure"),
        ("df_performed_transferred", "transferred_to_police"),
        ("df_performed_transferred", "transferred_to_police"),
        ("df_deception", "report_real_name"),
        ("mi_a12_coop", "report_real_name"),
        ("ex_a4_norule", "enforcement_personnel"),
    ]
    for a, f in unk:
        s.append(Slot(a, unknown=f))
    return s


ARCH["xc_proc_a11"] = Arch(
    "xc_proc_a11",
    "excluded",
    ["程序瑕疵"],
    mk(["violated_statutory_procedure"], extra=lambda r, f, n: (pick_a11(COMMON_A11)(r, f, n), P2(r, f, n))),
    0,
)
ARCHS.append(ARCH["xc_proc_a11"])

BUDGET = {"out_of_scope": 9, "duty_fulfilled": 68, "exempt": 102, "mitigated": 68, "excluded": 41, "none": 52}
YEAR_WEIGHTS = [(2021, 16), (2022, 21), (2023, 23), (2024, 22), (2025, 18)]
IP_OK = {
    "df_performed",
    "df_deception",
    "df_evaded",
    "df_other_dept",
    "df_not_liable_then",
    "ex_a4_norule",
    "ex_concealed",
    "ex_key_work",
    "ex_policy",
    "ex_entrenched",
    "xc_proc",
    "xc_scope",
    "xc_both",
    "xc_proc_a10",
    "mi_a11_major",
    "mi_a12_limited",
    "mi_a12_coop",
    "mi_a7_coop",
    "no_plain",
    "no_coop_only",
    "no_performed_a7",
    "df_performed_transferred",
    "ex_a4_unforeseeable",
    "mi_a11_noremedy",
}


def wchoice(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def fill(rng, slots):
    left = dict(BUDGET)
    for sl in slots:
        if sl.arch:
            left[ARCH[sl.arch].intended] -= 1
    n_free = N_CASES - len(slots)
    n_open = sum(1 for sl in slots if sl.arch is None)
    assert all(v >= 0 for v in left.values()), left
    assert sum(left.values()) == n_free + n_open, (sum(left.values()), n_free, n_open)
    pool = []
    for d in ORDER:
        cands = [(a.key, a.weight) for a in ARCHS if a.intended == d and not a.pinned_only and a.weight > 0]
        pool += [wchoice(rng, cands) for _ in range(left[d])]
    rng.shuffle(pool)
    # the open (knowledge-property) slots take compatible archetypes first
    for sl in slots:
        if sl.arch is None:
            i = next(i for i, k in enumerate(pool) if k in IP_OK)
            sl.arch = pool.pop(i)
    slots += [Slot(k) for k in pool]
    return slots


# ---------------------------------------------------------------------------
# Building one record
# ---------------------------------------------------------------------------
def cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def rand_day(rng, year):
    lo = max(dt.date(year, 1, 4), FIRST_DAY)
    hi = min(dt.date(year, 12, 28), LAST_DAY)
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def choose_unit(rng, field):
    x = rng.random()
    if x < 0.55:
        return rng.choice(FIELD_UNITS[field])
    if x < 0.78:
        return BRIGADE
    return rng.choice(TOWNS)[0] + "市场监督管理所"


def join_clauses(parts):
    return "，".join(p for p in parts if p)


def make_dates(rng, sl, recorded):
    c = sl.conduct
    dates = {"conduct": c}
    facts_extra = {}
    if "pending" in sl.flags:
        return dates, facts_extra, None
    decision = c + dt.timedelta(days=rng.randint(10, 90))
    if "gap_decision" not in sl.flags:
        dates["decision"] = decision
    if "gap_notified" not in sl.flags and recorded is not None:
        if rng.random() < 0.10:
            dates["notified"] = decision + dt.timedelta(days=rng.randint(8, 20))
            sl.flags.append("late_notice")
        else:
            dates["notified"] = decision + dt.timedelta(days=rng.randint(1, 7))
    # correction (a16, a17)
    p_corr = {
        "exempt": 0.92,
        "duty_fulfilled": 0.88,
        "mitigated": 0.4,
        "none": 0.35,
        "excluded": 0.35,
        "out_of_scope": 0.0,
        None: 0.25,
    }[recorded]
    corr = None
    if rng.random() < p_corr:
        deadline = decision + dt.timedelta(days=rng.randint(30, 60))
        dates["correction_deadline"] = deadline
        x = rng.random()
        corr = dict(deadline=deadline)
        if x < 0.08:
            facts_extra["extension_applied"] = True
            special = rng.random() < 0.75
            if special:
                facts_extra["special_circumstances"] = True
            ext = deadline + dt.timedelta(days=rng.randint(15, 45))
            dates["extended_deadline"] = ext
            if rng.random() < 0.8:
                done = deadline + dt.timedelta(days=rng.randint(1, (ext - deadline).days))
            else:
                done = ext + dt.timedelta(days=rng.randint(1, 20))
            dates["correction_completed"] = done
            corr.update(ext=ext, special=special, done=done)
            sl.flags.append("extension" + ("" if special else "_no_special"))
            if done > (ext if special else deadline):
                sl.flags.append("late_correction")
        elif x < 0.15:
            done = deadline + dt.timedelta(days=rng.randint(1, 30))
            dates["correction_completed"] = done
            corr.update(done=done)
            sl.flags.append("late_correction")
        elif x < 0.17:
            corr.update(done=None)
            sl.flags.append("correction_not_completed")
        else:
            done = deadline - dt.timedelta(days=rng.randint(0, min(25, (deadline - decision).days - 5)))
            dates["correction_completed"] = done
            corr.update(done=done)
    return dates, facts_extra, corr


def phrase(rng, key, ctx, table=FACT_PHRASES):
    return rng.choice(table[key]).format_map(ctx)


def narrative(rng, sl, rec, facts, neg, dates, corr, name, unit, field, robust_text=None):
    c = CTX[field]
    sc = rng.choice(c["scenes"])
    ctx = dict(
        cp="行政相对人" if rng.random() < 0.4 else "该经营者",
        product=rng.choice(sc["product"]),
        hazard=rng.choice(sc["hazard"]),
        doc=c["doc"],
        dept=c["dept"],
        crime=c["crime"],
        newform=c["newform"],
        accident=c["accident"],
        objective=rng.choice(seasonal(OBJECTIVE, WEATHER_OBJECTIVE, sl.conduct.month)),
        fm=rng.choice(
            seasonal(FORCE_MAJEURE_COVID if sl.conduct.year <= 2022 else [], WEATHER_FM, sl.conduct.month)
            or ["突发极端天气"]
        ),
        directive=rng.choice(DIRECTIVES),
        reform=rng.choice(REFORMS),
        keywork=rng.choice(KEY_WORK),
        policy=rng.choice(POLICIES),
        amt=rng.choice([18, 26, 35, 47, 62, 85, 120]),
        months=rng.randint(2, 7),
        decision_kind=rng.choice(DECISION_KIND),
        violation=rng.choice(sc["violation"]),
        emergency=sc["emergency"] or rng.choice(c["emergency"]),
    )
    target = sc["target"].format(town=rng.choice(TOWNS)[1])
    ctx["target"] = target
    sentences = []
    # S1: identity and the error
    frame, errs = ERR[sl.error]
    err = rng.choice(errs).format_map(ctx)
    unk = sl.unknown
    if facts.get("enforcement_personnel") is False:
        role = AUX_FIELD.get(field) if rng.random() < 0.5 and field in AUX_FIELD else rng.choice(AUX_ROLES)
        sentences.append(f"经查，当事人{name}系{unit}聘用的{role}，未取得行政执法证件，不属于执法人员。")
        who, act = "其", rng.choice(ACTIVITY)
    elif unk == "enforcement_personnel":
        sentences.append(f"当事人{name}系{unit}聘用人员，{UNKNOWN_PHRASES[unk]}。")
        who, act = "其", rng.choice(ACTIVITY)
    else:
        style = rng.random()
        if style < 0.45:
            who = rng.choice([f"{unit}执法人员{name}", f"该局{unit}行政执法人员{name}", f"{unit}持证执法人员{name}"])
        elif style < 0.8:
            sentences.append(f"经查，当事人{name}系{unit}执法人员，持有有效行政执法证件。")
            who = "其"
        else:
            sentences.append(f"当事人{name}，现任{unit}科员，系持证执法人员。")
            who = name
        act = rng.choice(ACTIVITY)
    cd = cn(sl.conduct)
    aux = facts.get("enforcement_personnel") is False
    if frame == "inspect":
        s1 = f"{cd}，{who}在{'协助执法人员' if aux else ''}对{target}开展{act}时，{err}。"
    elif frame == "case":
        s1 = f"{cd}，{who}在{'协助' if aux else ''}办理{target}涉嫌{ctx['violation']}一案中，{err}。"
    elif frame == "emergency":
        s1 = f"{cd}，{who}在现场处置{target}{ctx['emergency']}时，{err}。"
    elif frame == "pilot":
        s1 = f"{cd}，{who}对{target}开展监管，{err}。"
    else:
        s1 = f"{cd}，{who}在查办{target}涉嫌{ctx['violation']}一案中，{err}。"
    sentences.append(s1)
    if robust_text:
        sentences.append(robust_text)

    def group(keys, neg_group):
        parts = []
        for k in keys:
            v = facts.get(k)
            if unk == k:
                parts.append(UNKNOWN_PHRASES[k])
            elif v is True and k in FACT_PHRASES:
                p = phrase(rng, k, ctx)
                if k == "accepted_responsibility" and parts and facts.get("cooperated_with_investigation") is True:
                    parts[-1] = parts[-1] + "，并" + p
                    continue
                if p.startswith("但") and any(q.startswith("但") for q in parts):
                    p = "且" + p[1:]
                parts.append(p)
        for n in neg:
            if NEG_GROUP[n] == neg_group:
                if n == "no_major" and (
                    facts.get("major_loss") is True
                    or facts.get("serious_adverse_impact") is True
                    or unk == "major_loss"
                ):
                    continue
                parts.append(phrase(rng, n, ctx, NEG_PHRASES))
        return join_clauses(parts)

    first_fact = len(sentences)
    g2 = group(S2_FACTS, 2)
    g3 = group(S3_FACTS, 3)
    g4 = group(S4_FACTS, 4)
    for g in (g2, g3, g4):
        if g:
            sentences.append(g + "。")
    # S5: application, reports, slander
    p5 = []
    if facts.get("applied_by_individual") is True:
        p5.append(phrase(rng, "applied_by_individual", ctx))
    if facts.get("report_received") is True:
        if unk == "report_real_name":
            p5.append(f"该问题系群众举报反映，{UNKNOWN_PHRASES['report_real_name']}")
        else:
            p5.append("该问题系群众" + ("实名" if facts.get("report_real_name") is True else "匿名") + "举报反映")
        for k in ("report_found_untrue", "report_unsubstantiated"):
            if facts.get(k) is True:
                p5.append(phrase(rng, k, ctx))
    if facts.get("maliciously_accused") is True:
        p5.append(phrase(rng, "maliciously_accused", ctx))
    if p5:
        sentences.append(join_clauses(p5) + "。")
    end_fact = len(sentences)
    # S6: decision and notice
    if rec is None:
        if "decision" in dates:
            sentences.append(f"该局于{cn(dates['decision'])}召开党组会议对此事进行了研究，但卷内未见认定结论文书。")
        else:
            sentences.append(
                rng.choice(
                    ["截至材料报送之日，局党组尚未作出认定结论。", "目前容错认定工作尚在调查核实中，未形成认定结论。"]
                )
            )
    else:
        if "decision" in dates:
            op = rng.choice(OPENER_DECISION).format(d=cn(dates["decision"]))
        else:
            op = rng.choice(OPENER_DECISION_NODATE)
        s6 = op + "，" + rng.choice(DECISION_TEXT[rec])
        if "notified" in dates:
            s6 += rng.choice(
                [
                    "；{d}，认定结论以书面形式告知当事人及所在单位",
                    "；认定结论于{d}书面告知当事人及所在单位",
                    "；{d}，该局向当事人及所在单位送达了认定结论",
                ]
            ).format(d=cn(dates["notified"]))
        if facts.get("decision_publicized") is True:
            s6 += rng.choice(["，同时在全局范围内予以公开", "，认定情况已在局机关内部公示"])
        sentences.append(s6 + "。")
    # S7: correction
    if corr:
        s7 = rng.choice(
            ["同时启动纠错程序，责成当事人于{dl}前完成整改", "该局同步向当事人说明纠错事由，要求于{dl}前完成纠错整改"]
        ).format(dl=cn(corr["deadline"]))
        if "ext" in corr:
            if corr["special"]:
                s7 += f"；因{rng.choice(SPECIAL)}，当事人申请将整改期限延长至{cn(corr['ext'])}"
            else:
                s7 += f"；当事人以{rng.choice(WEAK_REASON)}为由申请将整改期限延长至{cn(corr['ext'])}"
        if corr.get("done"):
            s7 += rng.choice(["，当事人于{x}提交了整改报告", "，整改工作于{x}完成"]).format(x=cn(corr["done"]))
        elif "done" in corr:
            s7 += "，截至材料报送时当事人尚未提交整改报告"
        sentences.append(s7 + "。")
    # keep 3–6 sentences
    while len(sentences) > 6:
        # merge the two shortest adjacent sentences of facts (never the opening, the decision or the correction)
        assert end_fact - first_fact >= 2, sentences
        best = min(range(first_fact, end_fact - 1), key=lambda i: len(sentences[i]) + len(sentences[i + 1]))
        sentences[best : best + 2] = [sentences[best][:-1] + "；" + sentences[best + 1]]
        end_fact -= 1
    while len(sentences) < 3 or (len(sentences) < 6 and rng.random() < 0.2):
        sentences.insert(end_fact, rng.choice([f for f in CONTEXT_FILLERS if f not in sentences]))
    return "".join(sentences)


def decorate(rng, sl, facts, intended, rec):
    """Facts that do not move the disposition: reports, applications, publicity, extra mitigation."""
    if intended != "out_of_scope" and sl.unknown != "enforcement_personnel":
        facts["enforcement_personnel"] = True
    elif sl.unknown == "enforcement_personnel":
        facts["enforcement_personnel"] = "unknown"
    else:
        facts["enforcement_personnel"] = False
    if sl.unknown == "report_real_name":
        facts["report_received"] = True
    if "report_received" not in facts and intended in ("duty_fulfilled", "exempt", "mitigated") and rng.random() < 0.12:
        facts["report_received"] = True
        if rng.random() < 0.5:
            facts["report_real_name"] = True
    if facts.get("report_received") is True and intended in ("duty_fulfilled", "exempt"):
        facts[rng.choice(["report_found_untrue", "report_unsubstantiated"])] = True
        if rng.random() < 0.2:
            facts["maliciously_accused"] = True
    if intended in ("exempt", "duty_fulfilled", "mitigated") and rng.random() < 0.15:
        facts["applied_by_individual"] = True
    if intended in ("exempt", "duty_fulfilled") and rng.random() < 0.15:
        facts["proactively_limited_loss"] = True
    if intended == "excluded" and rng.random() < 0.15 and "proactively_limited_loss" not in facts:
        facts["cooperated_with_investigation"] = True
        facts["accepted_responsibility"] = True
    if rec in ("exempt", "duty_fulfilled") and rng.random() < 0.5:
        facts["decision_publicized"] = True
    if sl.unknown:
        facts[sl.unknown] = "unknown"


ROBUST = {
    "R1": dict(
        field="食品安全",
        error="漏检隐患",
        text='现场检查笔录记载："3号货架、#4冷柜内部分商品未见中文标签"，经营者在笔录中签注“情况属实”。',
    ),
    "R2": dict(
        field="网络交易",
        error="整改监督不到位",
        text='网络交易监测平台导出记录显示，该店铺的处置状态字段为 status:-1（未处置），备注栏为 "待复核#2"。',
    ),
    "R3": dict(
        field="广告监管",
        error="程序瑕疵",
        unit='综合行政执法大队"双随机"联合检查组',
        text="责令改正通知书载明：\n一、立即停止发布涉案广告；\n二、十日内提交整改报告；\n三、逾期不改的依法处理。",
    ),
}


def build_all():
    rng = random.Random(SEED)
    roster = Roster(random.Random(SEED + 1))
    slots = fill(rng, plan(rng))
    assert len(slots) == N_CASES, len(slots)
    # pick the special-record sets among ordinary slots
    ordinary = [sl for sl in slots if not sl.pinned and sl.recorded == "same" and not sl.unknown]
    rng.shuffle(ordinary)
    pending = ordinary[:17]
    gaps = ordinary[17:34]
    robust = ordinary[34:37]
    for i, sl in enumerate(pending):
        sl.recorded = None
        sl.flags.append("no_recorded_decision")
        if i < 10:
            sl.flags.append("pending")
    for i, sl in enumerate(gaps):
        sl.flags.append("gap_decision" if i < 9 else "gap_notified")
    for sl, key in zip(robust, ROBUST, strict=False):
        sl.robust = key
    # fields, errors, dates for the free slots
    for sl in slots:
        a = ARCH[sl.arch]
        rb = ROBUST.get(getattr(sl, "robust", None))
        if rb:
            sl.field = rb["field"]
            sl.error = rb["error"] if rb["error"] in a.errs else rng.choice([e for e in a.errs if e not in RARE_TYPES])
        if sl.field is None:
            sl.field = rng.choice(a.fields) if a.fields else wchoice(rng, FIELD_WEIGHTS)
        if sl.error is None:
            sl.error = rng.choice([e for e in a.errs if e not in RARE_TYPES])
        if sl.conduct is None:
            sl.conduct = rand_day(rng, wchoice(rng, YEAR_WEIGHTS))
        if sl.unit is None:
            sl.unit = rb["unit"] if rb and "unit" in rb else choose_unit(rng, sl.field)
    slots.sort(key=lambda s_: (s_.conduct, s_.arch, s_.field))
    records, rows = [], []
    seq = Counter()
    for sl in slots:
        a = ARCH[sl.arch]
        facts, neg = a.build(rng)
        if sl.recorded == "same":
            rec = a.intended
        else:
            rec = sl.recorded  # None (missing) or a deliberately wrong decision
        decorate(rng, sl, facts, a.intended, rec)
        dates, fx, corr = make_dates(rng, sl, rec)
        facts.update(fx)
        bad = [k for k in facts if k not in VOCAB_SET]
        assert not bad, bad
        assert not contradictions(facts), (sl.arch, contradictions(facts))
        # the archetype's assumed value for an unknown fact, and the flipped one
        assumed = dict(facts)
        flipped = None
        if sl.unknown:
            base = {
                "major_loss": False,
                "violated_statutory_procedure": False,
                "transferred_to_police": True,
                "report_real_name": False,
                "enforcement_personnel": True,
            }[sl.unknown]
            assumed[sl.unknown] = base
            flipped = dict(facts)
            flipped[sl.unknown] = not base
        prim, outs = evaluate(assumed)
        assert prim == a.intended, (sl.arch, prim, a.intended, facts)
        if sl.recorded not in ("same", None):
            assert rec != prim, (sl.arch, rec)
        seq[sl.conduct.year] += 1
        rid = f"NM-{sl.conduct.year}-{seq[sl.conduct.year]:03d}"
        name = roster.pick(sl.unit)
        rb = ROBUST.get(getattr(sl, "robust", None))
        text = narrative(rng, sl, rec, facts, neg, dates, corr, name, sl.unit, sl.field, rb and rb["text"])
        if rb:
            sl.flags.append("robustness")
        nsent = text.count("。")
        assert 3 <= nsent <= 6, (rid, nsent, text)
        ordered_facts = {k: facts[k] for k in VOCAB if k in facts}
        rec_dict = {
            "id": rid,
            "subject": {"name": name, "unit": sl.unit},
            "field": sl.field,
            "error_type": sl.error,
            "facts": ordered_facts,
            "dates": {
                k: dates[k]
                for k in (
                    "conduct",
                    "decision",
                    "notified",
                    "correction_deadline",
                    "extended_deadline",
                    "correction_completed",
                )
                if k in dates
            },
        }
        if rec is not None:
            rec_dict["recorded_decision"] = rec
        rec_dict["narrative"] = text
        records.append(rec_dict)
        flags = list(sl.flags)
        if sl.recorded not in ("same", None):
            flags.insert(0, "inconsistent")
        if sl.unknown:
            flags.append("unknown:" + sl.unknown)
        rows.append(
            dict(
                id=rid,
                path=f"cases/historical/{sl.conduct.year}/{rid}.yaml",
                archetype=sl.arch,
                intended_default=prim,
                outcomes_default="+".join(outs),
                intended_literal=evaluate(assumed, "literal")[0],
                intended_strict=evaluate(assumed, "strict")[0],
                if_unknown_flipped=evaluate(flipped)[0] if flipped else "",
                recorded=rec or "",
                consistent_default="" if rec is None else ("yes" if rec == prim else "no"),
                flags=" ".join(flags),
                cluster=sl.cluster,
                field=sl.field,
                error_type=sl.error,
                why=sl.why,
            )
        )
    return records, rows


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
class FlowMap(dict):
    pass


class Dumper(yaml.SafeDumper):
    pass


Dumper.add_representer(
    FlowMap, lambda d, m: d.represent_mapping("tag:yaml.org,2002:map", list(m.items()), flow_style=True)
)


def _str(d, s):
    if "\n" in s:
        return d.represent_scalar("tag:yaml.org,2002:str", s, style="|")
    return d.represent_scalar("tag:yaml.org,2002:str", s)


Dumper.add_representer(str, _str)


def dump(rec):
    r = dict(rec)
    r["subject"] = FlowMap(r["subject"])
    r["dates"] = FlowMap(r["dates"])
    return yaml.dump(r, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)


def windows(dates, days=365):
    dates = sorted(dates)
    best, j = 0, 0
    for i in range(len(dates)):
        while dates[i] - dates[j] > dt.timedelta(days=days - 1):
            j += 1
        best = max(best, i - j + 1)
    return best


def check(records, rows):
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    keys_ok = {"id", "subject", "field", "error_type", "facts", "dates", "recorded_decision", "narrative"}
    for r in records:
        assert set(r) <= keys_ok and set(r) >= keys_ok - {"recorded_decision"}
        d = r["dates"]
        if "decision" in d:
            assert 10 <= (d["decision"] - d["conduct"]).days <= 90
        if "extended_deadline" in d:
            assert d["extended_deadline"] > d["correction_deadline"]
    # rare types: without their planted cluster, never 3 in a 365-day window (conduct dates)
    by = {row["id"]: row for row in rows}
    for t in RARE_TYPES:
        all_d = [r["dates"]["conduct"] for r in records if r["error_type"] == t]
        bg_d = [r["dates"]["conduct"] for r in records if r["error_type"] == t and not by[r["id"]]["cluster"]]
        bg_dec = [
            r["dates"]["decision"]
            for r in records
            if r["error_type"] == t and not by[r["id"]]["cluster"] and "decision" in r["dates"]
        ]
        assert windows(all_d) >= 3 and windows(bg_d) <= 2 and windows(bg_dec) <= 2, (t, windows(bg_d))
    ip = [r["dates"]["conduct"] for r in records if r["field"] == "知识产权" and not by[r["id"]]["cluster"]]
    assert windows(ip) <= 2
    # round trip
    for r in records:
        back = yaml.safe_load(dump(r))
        assert back == r, r["id"]


def table(header, rows_):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows_]
    return "\n".join(out)


def readme(records, rows):
    years = [2021, 2022, 2023, 2024, 2025]
    by_year = Counter(r["id"][3:7] for r in records)
    disp = Counter(row["intended_default"] for row in rows)
    rec = Counter(row["recorded"] or "（缺失 missing）" for row in rows)
    fields = Counter(r["field"] for r in records)
    field_year = defaultdict(Counter)
    err_year = defaultdict(Counter)
    for r in records:
        field_year[r["field"]][int(r["id"][3:7])] += 1
        err_year[r["error_type"]][int(r["id"][3:7])] += 1
    inc = [row for row in rows if row["consistent_default"] == "no"]
    unk = [row for row in rows if "unknown:" in row["flags"]]
    pend = [row for row in rows if "no_recorded_decision" in row["flags"]]
    gapd = [row for row in rows if "gap_decision" in row["flags"]]
    gapn = [row for row in rows if "gap_notified" in row["flags"]]
    late_n = [row for row in rows if "late_notice" in row["flags"]]
    late_c = [row for row in rows if "late_correction" in row["flags"]]
    ext = [row for row in rows if "extension" in row["flags"]]
    rob = [row for row in rows if "robustness" in row["flags"]]
    prof_diff = [
        row for row in rows if len({row["intended_default"], row["intended_literal"], row["intended_strict"]}) > 1
    ]
    zh_disp = {
        "out_of_scope": "不适用本办法",
        "duty_fulfilled": "履职尽责",
        "exempt": "容错免责",
        "excluded": "不予容错",
        "mitigated": "从轻、减轻",
        "none": "无容错情形",
    }
    cl_rows = []
    for c, meta in CLUSTERS.items():
        members = [row["id"] for row in rows if row["cluster"] == c]
        cl_rows.append((c, meta["label"], len(members), ", ".join(members)))
    L = []
    L.append("# 历史案例库 / Historical case corpus\n")
    L.append("## 中文说明\n")
    L.append(
        "本目录是 rongcuo 随附的历史案例库：奈曼旗市场监督管理局 2021—2025 年间执法人员容错纠错认定情况的案例记录，"
        f"共 {len(records)} 件，每件一个 YAML 文件，按事发年份分目录存放（编号 `NM-<年份>-<序号>`，序号按事发日期排列）。"  # noqa: E501
        "rongcuo 用它按《奈曼旗市场监督管理局行政执法容错纠错实施办法》重新评估该局当时的认定结论。\n"
    )
    L.append(
        "**本案例库是合成数据。** 人名、单位内的人员、经营者、金额与日期均为虚构，与任何真实人员和案件无关；"
        "乡镇名称和股室设置仅为贴近实际。案情叙述（`narrative`）按照机关“情况说明”“认定材料”的行文习惯撰写，"
        "陈述了 `facts` 中为真的事实，也夹带一些不作为事实的背景信息。\n"
    )
    L.append(
        "生成方法：由 `benchmarks/corpus_source/make_historical.py`（固定随机种子，可重复生成，每次重写本目录）"
        "从若干“情形原型”出发生成，每个原型预先知道按办法应得的处理结论，再变化人名、单位、领域、日期和措辞。"
        "每件案例的预期结论、各解释方案下的结论及刻意设置的缺陷列在 `benchmarks/corpus_source/manifest.csv` 中。"
        "案例文件本身只含规定的字段；`facts` 中未列出的事实为假，`dates` 中未列出的日期即卷内缺失，"
        "缺少 `recorded_decision` 表示卷内没有认定结论。\n"
    )
    L.append("### 构成\n")
    L.append(table(["年份", "件数"], [(y, by_year[str(y)]) for y in years] + [("合计", len(records))]) + "\n")
    L.append("按办法（默认解释方案）应得的主要结论：\n")
    L.append(
        table(
            ["结论", "中文", "件数", "占比"],
            [(d, zh_disp[d], disp[d], f"{100 * disp[d] / len(records):.1f}%") for d in ORDER],
        )
        + "\n"
    )
    L.append("卷宗记载的认定结论（`recorded_decision`）：\n")
    L.append(table(["记载结论", "件数"], sorted(rec.items(), key=lambda kv: -kv[1])) + "\n")
    L.append("领域分布（按年份）：\n")
    L.append(
        table(
            ["领域"] + [str(y) for y in years] + ["合计"],
            [(f,) + tuple(field_year[f][y] for y in years) + (fields[f],) for f, _ in fields.most_common()],
        )
        + "\n"
    )
    L.append("问题类型分布（按年份）：\n")
    L.append(
        table(
            ["问题类型"] + [str(y) for y in years] + ["合计"],
            [
                (e,) + tuple(err_year[e][y] for y in years) + (sum(err_year[e].values()),)
                for e in sorted(err_year, key=lambda e: (-sum(err_year[e].values()), e))
            ],
        )
        + "\n"
    )
    common_err = sorted(
        {r["error_type"] for r in records if r["error_type"] not in RARE_TYPES},
        key=lambda e: (-sum(err_year[e].values()), e),
    )
    flagged_err = [
        e for e in common_err if windows([r["dates"]["conduct"] for r in records if r["error_type"] == e]) >= 3
    ]
    quiet_err = [e for e in common_err if e not in flagged_err]
    flagged_fld = [
        f
        for f, _ in fields.most_common()
        if f != "知识产权" and windows([r["dates"]["conduct"] for r in records if r["field"] == f]) >= 3
    ]
    L.append("### 第十八条用的集中、频发情形\n")
    L.append(
        "下列聚集是刻意安排的。其中四个问题类型（临机处置失误、移送不及时、先行先试失误、查封扣押物品失管）"
        "在聚集之外分布稀疏：除去聚集成员，任何 365 天内均不超过 2 件，因此按默认参数（365 天内 3 次）"
        "报出的这四类警示只能来自这些聚集。知识产权领域同理：除 2023 年的集中外，任何 365 天内不超过 2 件。"
        f"其余问题类型中，{'、'.join(flagged_err)} 在某个 365 天内达到 3 件以上"
        + (f"（{'、'.join(quiet_err)} 未达到）" if quiet_err else "")
        + f"，领域中 {'、'.join(flagged_fld)} 也是如此；按默认参数（以事发日期计）这些同样会报出警示，"
        "反映的是该局长期存在的易错点，不是刻意安排的聚集。\n"
    )
    L.append(table(["编号", "内容", "件数", "案例"], cl_rows) + "\n")
    L.append("### 刻意不一致的记录\n")
    L.append(
        f"以下 {len(inc)} 件的卷宗认定结论与办法（默认解释方案）应得的结论不一致，用于检验重新评估能否发现问题。"
        "案情叙述如实写明了相关事实，只是认定结论与之不符。\n"
    )
    L.append(
        table(
            ["编号", "记载结论", "按办法应为", "原因"],
            [(row["id"], row["recorded"], row["intended_default"], row["why"]) for row in inc],
        )
        + "\n"
    )
    L.append("### 不完整的记录\n")
    L.append(
        f"- 缺少认定结论（无 `recorded_decision`）：{len(pend)} 件，其中一部分尚在调查、没有认定日期，"
        "另一部分已开会研究但卷内未见结论文书：" + ", ".join(r["id"] for r in pend) + "。"
    )
    L.append(
        f"- 事实为 `unknown`：{len(unk)} 件。案情叙述写明该事实卷内无法证实。manifest 中 `intended_default` "
        "按原型假定的取值计算，`if_unknown_flipped` 给出该事实取相反值时的结论（是否实名举报不影响结论）："
        + ", ".join(f"{r['id']}（{r['flags'].split('unknown:')[1].split()[0]}）" for r in unk)
        + "。"
    )
    L.append(
        f"- 缺少认定日期：{len(gapd)} 件（" + ", ".join(r["id"] for r in gapd) + "）；"
        f"缺少告知日期：{len(gapn)} 件（" + ", ".join(r["id"] for r in gapn) + "）。"
        "缺日期是卷宗不全，不是刻意的结论错误；缺告知日期时，按第十四条在认定日后 7 日到期即视为告知逾期。"
    )
    L.append(
        f"- 此外，告知晚于认定后 7 日的有 {len(late_n)} 件，整改逾期完成或到期未完成的有 {len(late_c)} 件，"
        f"申请延长整改期限的有 {len(ext)} 件（其中部分没有特殊情况）。这些是正常分布的程序情况，不算刻意错误。\n"
    )
    L.append("### 特殊字符\n")
    L.append(
        "以下记录的叙述或单位名中含有半角引号、`#`、`:-` 或换行（真实文书中会出现），用于检验这些文本"
        "不会被当作规则程序文本：" + ", ".join(r["id"] for r in rob) + "。\n"
    )
    L.append("### 与解释方案有关的记录\n")
    L.append(
        f"有 {len(prof_diff)} 件在 `default`、`literal`、`strict` 三个解释方案下主要结论不同（见 manifest 的 "
        "`intended_literal`、`intended_strict` 两列），例如：只违反法定程序而未超越职权的（Q1），"
        "同时具有第十条情形和第十三条情形的（Q3），只依第四条容错的（Q4），证据链问题是否视为违反法定程序的（Q10）。\n"
    )
    # ---- English
    L.append("## English\n")
    L.append(
        f"This folder is rongcuo's bundled historical corpus: {len(records)} records of tolerance determinations "
        "made by the Naiman Banner market-regulation bureau for its enforcement staff between 2021 and 2025, one "
        "YAML file per case, grouped by the year of the conduct (ids `NM-<year>-<seq>`, numbered by conduct date). "
        "rongcuo re-evaluates the recorded decisions against the measure.\n"
    )
    L.append(
        "**The corpus is synthetic.** Names, people, businesses, amounts and dates are invented; town names and the "
        "bureau's units are only there to make the records read like real ones. The narratives are written in the "
        "register of a bureau's situation reports (情况说明, 认定材料); they state the facts marked true and also carry "  # noqa: E501
        "context that is not a fact.\n"
    )
    L.append(
        "It is generated by `benchmarks/corpus_source/make_historical.py` (seeded and deterministic; it rewrites "
        "this folder) from scenario archetypes, each of which knows its intended disposition, varied in names, "
        "units, fields, dates and wording. `benchmarks/corpus_source/manifest.csv` is the answer key: for each id "
        "the archetype, the intended primary disposition under the `default`, `literal` and `strict` profiles, the "
        "outcomes under `default`, the recorded decision and the deliberate flaws. Case files carry only the schema "
        "keys; unlisted facts are false, unlisted dates are missing from the file, and a missing "
        "`recorded_decision` means the file holds no determination.\n"
    )
    L.append(
        "Composition: per year " + ", ".join(f"{y}: {by_year[str(y)]}" for y in years) + "; intended disposition "
        "(default profile) " + ", ".join(f"{d}: {disp[d]}" for d in ORDER) + ". Field and error-type tables are in "
        "the Chinese part above.\n"
    )
    L.append(
        "Planted clusters for a18 (recurrence): "
        + "; ".join(f"{c}: {CLUSTERS[c]['en']} ({n} records)" for c, _, n, _ in cl_rows)
        + ". The four rare error types and the "
        "IP field never reach 3 records in a 365-day window outside their cluster, so with the default parameters "
        "their warnings come only from the clusters (counted on conduct dates). The other error types ("
        + ", ".join(flagged_err)
        + ") and the fields "
        + ", ".join(flagged_fld)
        + " also reach 3 in some "
        "365-day window and are flagged by the default parameters; that is the bureau's chronic pattern, not a "
        "planted cluster.\n"
    )
    L.append(
        f"Deliberately inconsistent records ({len(inc)}): the recorded decision differs from the rules under the "
        "default profile; the narrative states the facts correctly. The table is in the Chinese part "
        "(columns: id, recorded, what the rules say, why). In short: exempt recorded despite a major loss, serious "
        "adverse impact, a statutory-procedure violation or no active remedy; duty fulfilled recorded despite an "
        "a7 or a9 breach; mitigation recorded although a13 blocks it or a12.i2 is incomplete; an auxiliary "
        "(non-enforcement) worker recorded as exempt; counterparty deception left unrecognised; exemption-eligible "
        "cases recorded as mitigated (a11.p2 is a 'may', so these are flags for review rather than clear errors); "
        "and a7 breaches recorded as excluded (right only under the strict profile, Q10).\n"
    )
    L.append(
        f"Incomplete records: {len(pend)} without a recorded decision (some still under investigation, some with a "
        f"meeting date but no decision document); {len(unk)} with a fact set to `unknown` (the manifest gives the "
        f"result under the archetype's assumed value and, in `if_unknown_flipped`, under the opposite value); "
        f"{len(gapd)} without a decision date and {len(gapn)} without a notification date. Ordinary procedural "
        f"irregularities also occur at realistic rates: {len(late_n)} late notifications, {len(late_c)} corrections "
        f"completed late or not at all, {len(ext)} extension requests (some without special circumstances).\n"
    )
    L.append(
        "Robustness: " + ", ".join(r["id"] for r in rob) + " contain ASCII quotes, `#`, `:-` or newlines in the "
        "narrative or the subject's unit, as real documents do; they must never reach a rule program as program "
        f"text. {len(prof_diff)} records change their primary disposition between profiles.\n"
    )
    return "\n".join(L)


def main():
    records, rows = build_all()
    check(records, rows)
    if OUT.exists():
        shutil.rmtree(OUT)
    for r in records:
        p = OUT / r["id"][3:7] / f"{r['id']}.yaml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(dump(r), encoding="utf-8")
    (OUT / "README.md").write_text(readme(records, rows), encoding="utf-8")
    with MANIFEST.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    c = Counter(row["intended_default"] for row in rows)
    print(f"wrote {len(records)} cases to {OUT}", file=sys.stderr)
    print("per year:", dict(sorted(Counter(r["id"][3:7] for r in records).items())), file=sys.stderr)
    print("intended:", {d: c[d] for d in ORDER}, file=sys.stderr)


if __name__ == "__main__":
    main()
