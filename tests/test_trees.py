"""Explanation trees say what the answer set says (issue 13, item 1) and read in Chinese (item 2).

Every node of a tree is a statement: "holds" nodes are true in the answer set (a derived atom that is
there, an absent one that is not, a fact with the case's value, a comparison of the values it shows),
"fails" nodes — why-not's — are false in it. The renderings of every golden case are then read as an
analyst reads them: no ✗ where something holds, no id and no English in zh.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rongcuo.ask import Ask
from rongcuo.engine import CASE, RuleSet
from rongcuo.engine.inputs import CASE_FREE
from rongcuo.explain import _built
from rongcuo.explain.tree import Node, _key
from rongcuo.explain.whynot import why_not
from rongcuo.model import vocabulary as vocab
from rongcuo.model.files import load_case

from .conftest import AS_OF, ROOT, rongcuo
from .test_explain import SETTINGS, cases

GOLDEN = sorted((ROOT / "measure" / "golden").glob("*.yaml"))
OUTCOMES = vocab.outcome_names()
OPS = {
    ">": int.__gt__,
    ">=": int.__ge__,
    "<": int.__lt__,
    "<=": int.__le__,
    "=": int.__eq__,
    "!=": int.__ne__,
}


@cache
def rules() -> RuleSet:
    return RuleSet.load()


def held(atoms, atom: tuple) -> bool:
    """Whether an atom (case index stripped, None or 'any' for an open argument) is in the answer set."""
    name, *args = atom
    for found in (*atoms.matching(name, len(args) + 1), *atoms.matching(name, len(args))):  # a case's, case-free
        rest = found[2:] if len(found) > 1 and found[1] == CASE else found[1:]
        if len(rest) == len(args) and all(a in (None, "any") or a == b for a, b in zip(args, rest, strict=True)):
            return True
    return False


def check(node: Node, atoms, facts: dict, expect: str) -> None:
    """A node and all below it state what holds (expect 'holds') or, in why-not, what is missing: a
    fact node there names the value the rule needs, which the case lacks; below a present condition (a
    negated atom that holds) its derivation holds."""
    for n in node.walk():
        if n.kind == "fact":
            if n.status == "unknown":
                assert facts.get(n.atom[0]) == "unknown"
                continue
            truth = facts.get(n.atom[0]) is True
            assert (n.value == truth) == (n.status == "holds"), n
        elif n.kind == "rule":
            assert n.status == "holds" and held(atoms, n.atom), n
        elif n.kind == "present":  # a negated condition that fails: what it negates holds
            assert held(atoms, n.atom), n
        elif n.kind in ("absent", "missing"):
            assert not held(atoms, n.atom), n
        elif n.kind == "comparison" and isinstance(n.operands[0], int) and isinstance(n.operands[2], int):
            left, op, right = n.operands
            assert OPS[op](left, right) == (n.status == "holds"), n
        if expect == "holds":
            assert n.status in ("holds", "unknown"), f"a node of a tree that holds is marked {n.status}: {n}"


def trees_and_candidates(case, as_of=AS_OF):
    ask = Ask(rules(), as_of)
    ((result, builder),) = _built(ask, [case])
    trees = [n for o in result.outcomes for n in builder.outcome(o.outcome)]
    trees += [n for c in result.consequences for n in builder.consequence(c.consequence)]
    candidates = [c for name in OUTCOMES for c in why_not(name, result, builder)]
    return builder, trees, candidates


@settings(max_examples=60, **SETTINGS)
@given(case=cases(unknown=(0, 2)))
def test_every_node_states_what_the_answer_set_holds(case):
    builder, trees, candidates = trees_and_candidates(case)
    facts = case.facts
    for tree in trees:
        check(tree, builder.absence.atoms, facts, "holds")
    for c in candidates:
        for n in c.conditions:
            assert n.status == "fails", n
            check(n, builder.absence.atoms, case.facts, "fails")


@settings(max_examples=40, **SETTINGS)
@given(group=st.lists(cases(unknown=(0, 0)), min_size=2, max_size=8))
def test_a_remembered_tree_is_the_tree_the_case_builds(group):
    """Trees are remembered by the reads that built them (explain.tree.Built), and a case that answers
    those reads alike is given them: they are the trees it builds itself, node for node."""
    for result, builder in _built(Ask(rules(), AS_OF), group):
        for o in result.outcomes:
            remembered = builder.outcome(o.outcome)
            assert [_key(n) for n in remembered] == [_key(n) for n in builder._trees(("outcome", CASE, o.outcome))]


@settings(max_examples=40, **SETTINGS)
@given(case=cases(unknown=(0, 0)))
def test_every_premise_of_a_trace_is_explained_or_an_input(case):
    """What explain.absence takes to hold: a premise of a derivation is itself derived (the case's or a
    case-free atom), a fact or date of the case, or a case-free input (the calendar, the parameters)."""
    ((result, builder),) = _built(Ask(rules(), AS_OF), [case])
    atoms = builder.atoms
    for derivations in builder.trace.derivations.values():
        for _, body in derivations:
            for b in body:
                if isinstance(b, tuple) and b[0] not in ("neg", "cmp", "agg", *CASE_FREE):
                    assert atoms.holds(b), b


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_trees_state_what_holds(path):
    case = load_case(path)
    builder, trees, candidates = trees_and_candidates(case, case.as_of or AS_OF)
    for tree in trees:
        check(tree, builder.absence.atoms, case.facts, "holds")
    for c in candidates:
        for n in c.conditions:
            check(n, builder.absence.atoms, case.facts, "fails")


# What may stand in zh output beside Chinese: the case's own id and the header's profile and rule-set hash
# (what the user named), dates, numbers, the reading's question number (Q6) and punctuation.
ALLOWED = re.compile(r"G-[A-Z0-9-]+|\b[0-9a-f]{16}\b|\d{4}-\d{2}-\d{2}|\bQ\d+\b|\d+")


def english(text: str) -> list[str]:
    """ASCII words left in a zh rendering, outside the header line that names the case, profile and rules."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("案件 ", "# 案件 ")))
    return re.findall(r"[A-Za-z_]{2,}", ALLOWED.sub("", body))


def rendered(path, **kw) -> str:
    """The zh text `rongcuo explain` prints, with the why-not of every outcome that does not hold."""
    from rongcuo.explain import explain
    from rongcuo.explain.serialize import derivers
    from rongcuo.present.render import render

    ask = Ask(rules(), None)
    explanations = explain(ask, [load_case(path)], **kw)
    days = {e.case.id: ask.day_of(e.case).source for e in explanations}
    return render(
        "explain/explain.txt.j2",
        "zh",
        explanations=explanations,
        md=False,
        derivers=derivers(ask.rules),
        outcome_names=OUTCOMES,
        days=days,
    )


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_explanations_read_in_chinese_with_no_false_cross(path):
    why = rendered(path)
    assert "✗" not in why, why  # every condition of an outcome that holds is met
    assert english(why) == [], why
    why_not = rendered(path, outcome="", why_not_of=tuple(OUTCOMES))
    assert english(why_not) == [], why_not


def test_the_drafters_view_shows_rule_locations_and_atoms():
    path = ROOT / "measure" / "golden" / "g-a11-p1-i1.yaml"
    analyst = rongcuo("explain", path).stdout
    drafter = rongcuo("explain", path, "--detail", "rules").stdout
    assert ".lp:" not in analyst and "a11_p2_fails" not in analyst
    assert "rules/a11_tolerance.lp:" in drafter and "(not_prohibited_by_law)" in drafter


def test_a_deadline_is_explained_down_to_the_calendar():
    """Q6's default reading: the seventh day after the decision, moved over the National Day holiday."""
    path = ROOT / "measure" / "golden" / "g-q6-statutory-holiday.yaml"
    run = rongcuo("explain", path, "--outcome", "notification_due")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert (
        "告知期限届满日为2024-10-08（解释口径 Q6：自决定作出次日起算7日，期限末日为休息日的顺延至其后第一个工作日"
        in out
    )
    assert "作出容错认定决定日期：2024-09-27" in out
    for d in ("2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07"):
        assert f"{d}为休息日" in out
    assert "2024-10-08为工作日" in out
    late = rongcuo("explain", ROOT / "measure" / "golden" / "g-a14-notice-day-8.yaml", "--outcome", "notification_late")
    assert "告知日期：2024-05-18" in late.stdout and "2024-05-18 晚于 2024-05-17" in late.stdout


def test_whynot_reaches_the_facts_that_would_establish_a_missing_condition():
    path = ROOT / "measure" / "golden" / "g-a11-p1-i1.yaml"
    ask = Ask(rules(), AS_OF)
    from rongcuo.explain import explain

    (e,) = explain(ask, [load_case(path)], outcome="", why_not_of=("excluded",))
    (a13,) = e.why_not["excluded"]
    assert a13.verified and a13.establish == [
        {"exceeded_statutory_scope": True},
        {"violated_statutory_procedure": True},
    ]
    (missing,) = a13.conditions
    assert missing.atom == ("a13_violation",) and missing.alternatives
    assert {n.atom[0] for n in missing.walk() if n.kind == "fact"} == {
        "exceeded_statutory_scope",
        "violated_statutory_procedure",
    }
    # The a11.p2 exemption for a case with no a11.p1 item: the item, and the three conditions it then needs.
    (e,) = explain(
        ask, [load_case(ROOT / "measure" / "golden" / "g-a4-no-cause.yaml")], outcome="", why_not_of=("exempt",)
    )
    (a11,) = [c for c in e.why_not["exempt"] if "a11.p2" in c.rule.clauses]
    assert a11.verified and a11.establish
    assert all({"not_prohibited_by_law", "remedied_actively"} <= set(s) for s in a11.establish)


def test_every_reading_is_named_in_both_languages():
    stems = {p.stem for p in (ROOT / "measure" / "readings").glob("q*.lp")}
    named = vocab.vocabulary()["readings"]
    assert set(named) == stems
    assert all(entry["zh"] and entry["en"] for entry in named.values())
