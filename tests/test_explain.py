"""Explanations checked against what they explain (issue 3, "Checks").

Each property compares an answer of rongcuo.explain with something it does not
compute itself: the case's own facts, the clause list of text.zh.md, or
plain evaluation (RuleSet.evaluate) of the changed or completed case.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from functools import cache

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rongcuo.ask import Ask
from rongcuo.engine import RuleSet, day, profiles
from rongcuo.engine.hypotheses import Assignment
from rongcuo.explain import apply, explain, held_fixed, whatif
from rongcuo.model import measure
from rongcuo.model import vocabulary as vocab
from rongcuo.model.case import Case, parse_case
from rongcuo.model.files import load_case

from .conftest import AS_OF, ROOT, in_order, rongcuo

GOLDEN = ROOT / "measure" / "golden"
PROFILES = profiles()
FACTS = vocab.fact_ids()
OUTCOMES = vocab.outcome_names()
CLAUSES = set(measure.clauses())
STEPS = {p for p, entry in vocab.vocabulary()["predicates"].items() if entry.get("step")}
NOTHING = Assignment(frozenset(), frozenset())


@cache
def rules(profile: str = "default") -> RuleSet:
    return RuleSet.load(profile)


@cache
def incompatible() -> tuple[tuple[str, str], ...]:
    return tuple(RuleSet.load().static_atoms("incompatible", 2))


# ---------------------------------------------------------------------------
# Strategies: valid cases (no incompatible pair among the true facts)
# ---------------------------------------------------------------------------

# Facts that only act together, drawn as one unit now and then so that a4,
# a11.p2, a10.p1.i3 and a12.p1.i2 are reached often enough.
BUNDLES = [
    ["acted_within_duty", "cause_objective_factors", "loss_or_adverse_impact", "corrected_timely"],
    ["acted_within_duty", "cause_no_applicable_rule", "loss_or_adverse_impact", "corrected_timely"],
    ["inspection_target_concealed", "not_prohibited_by_law", "remedied_actively"],
    ["not_prohibited_by_law", "remedied_actively"],
    ["counterparty_refused_decision", "escalated_to_government_or_court", "violation_continued"],
    ["cooperated_with_investigation", "accepted_responsibility"],
    ["exceeded_statutory_scope", "violated_statutory_procedure"],
]
UNITS = [[f] for f in FACTS] + BUNDLES
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def true_facts(draw) -> set[str]:
    true = {f for unit in draw(st.lists(st.sampled_from(UNITS), max_size=8)) for f in unit}
    if draw(st.integers(0, 4)):  # mostly in scope
        true.add("enforcement_personnel")
    for f, g in incompatible():
        if f in true and g in true:
            true.discard(draw(st.sampled_from([f, g])))
    return true


@st.composite
def cases(draw, unknown: tuple[int, int] = (0, 0), open_world: bool = False) -> Case:
    """A valid case: its true facts, some false ones stated, ``unknown`` (min, max) facts unknown."""
    true = draw(true_facts())
    facts: dict = {f: True for f in true}
    for f in FACTS:
        if f not in true and draw(st.booleans()):
            facts[f] = False
    if unknown[1]:
        for f in draw(st.lists(st.sampled_from(FACTS), min_size=unknown[0], max_size=unknown[1], unique=True)):
            facts[f] = "unknown"
    if open_world:  # a short record: most facts unlisted, hence unknown
        facts = {f: v for f, v in facts.items() if v is not False or draw(st.booleans())}
    keys = draw(st.lists(st.sampled_from(vocab.date_keys()), unique=True))
    return parse_case(
        {
            "id": "P",
            "facts": facts,
            "open_world": open_world,
            "dates": {k: d.isoformat() for k, d in in_order({k: draw(dates) for k in keys}).items()},
        },
        "<hypothesis>",
    )


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def is_true(case: Case, fact: str) -> bool:
    return case.facts.get(fact) is True


def check_conditions(conditions, case: Case) -> None:
    """What a why-not says is missing agrees with the case: a fact it names is not as the rule needs it."""
    for c in conditions:
        assert c.status == "fails", c
        for n in walk(c):
            if n.kind == "fact" and n.status == "fails":
                assert n.value != is_true(case, n.atom[0]), f"{n.atom[0]}: the case has what the rule needs"


def check_leaf(leaf, case: Case) -> None:
    if leaf.kind == "fact":
        assert leaf.value == is_true(case, leaf.atom[0]), f"leaf {leaf.atom[0]} says {leaf.value}, the case not"
    elif leaf.kind == "date":
        key, days = leaf.atom
        assert key in case.dates and day(case.dates[key]) == days, f"leaf date {leaf.atom} is not the case's"
    else:
        assert leaf.kind in ("absent", "comparison", "input"), f"leaf {leaf.kind} {leaf.atom} is not a fact of the case"


def evaluate(cases: list[Case], profile: str = "default", as_of: dt.date = AS_OF):
    return rules(profile).evaluate(cases, as_of=as_of)


def drop(change: Assignment, fact: str) -> Assignment:
    return Assignment(change.true - {fact}, change.false - {fact})


def flip(case: Case, fact: str) -> Assignment:
    one = frozenset({fact})
    return Assignment(frozenset(), one) if is_true(case, fact) else Assignment(one, frozenset())


def completions(case: Case, unknown: list[str], values) -> list[tuple[dict, object]]:
    """(values, result) for each completion of the unknowns that is not contradictory."""
    filled = [case.model_copy(update={"facts": {**case.facts, **v}}) for v in values]
    return [(v, r) for v, r in zip(values, evaluate(filled), strict=True) if not r.contradictions]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=30, **SETTINGS)
@given(case=cases(), as_of=dates)
def test_trees_end_in_the_case_facts_and_cite_the_measure(profile, case, as_of):
    (e,) = explain(Ask(rules(profile), as_of), [case])
    assert set(e.trees) == {o.outcome for o in e.result.outcomes}
    for outcome in e.result.outcomes:
        trees = e.trees[outcome.outcome]
        assert trees, f"{outcome.outcome} holds but has no tree"
        nodes = [n for tree in trees for n in walk(tree)]
        for n in nodes:
            assert set(n.clauses) <= CLAUSES, n.clauses
            assert n.kind != "rule" or n.clauses or n.atom[0] in STEPS, n
            assert n.status in ("holds", "unknown"), f"a node of a tree that holds is marked {n.status}: {n}"
        for leaf in (leaf for tree in trees for leaf in tree.leaves()):
            check_leaf(leaf, case)
        # The tree cites every ground the evaluation gives the outcome.
        cited = {c for n in nodes for c in n.clauses}
        assert set(outcome.grounds) <= cited, (outcome, cited)


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=30, **SETTINGS)
@given(case=cases(), as_of=dates)
def test_why_not_is_empty_exactly_when_the_outcome_holds(profile, case, as_of):
    (e,) = explain(Ask(rules(profile), as_of), [case], outcome="", why_not_of=tuple(OUTCOMES))
    assert e.trees == {}
    for name in OUTCOMES:
        candidates = e.why_not[name]
        assert (candidates == []) == (e.result.outcome(name) is not None), (name, candidates)
        for c in candidates:
            assert c.conditions or c.blocked_by, f"{c.rule.file}:{c.rule.line} is not stopped by anything"
            assert set(c.rule.clauses) <= CLAUSES and set(c.blocked_by) <= CLAUSES
            check_conditions(c.conditions, case)
            # A defeat named here is one the evaluation reports.
            for by in c.blocked_by:
                assert any(d.outcome == name and d.blocked_by == by for d in e.result.defeated), (name, by)


@settings(max_examples=30, **SETTINGS)
@given(case=cases(), target=st.sampled_from(OUTCOMES), avoid=st.booleans())
def test_whatif_alternatives_reach_the_target_and_are_minimal(case, target, avoid):
    def reaches(result) -> bool:
        return not result.contradictions and (result.disposition != target if avoid else result.disposition == target)

    kw = {"avoid": target} if avoid else {"to": target}
    alternatives = whatif(Ask(rules(), AS_OF), case, limit=4, **kw)
    assert len({len(a.changes.true | a.changes.false) for a in alternatives}) <= 1, "not all of the smallest size"
    if reaches(evaluate([case])[0]):
        assert [a.changes for a in alternatives] == [NOTHING]
    for a in alternatives:
        changes = a.changes.true | a.changes.false
        assert not a.changes.true & a.changes.false
        assert not changes & set(held_fixed(kw.get("to")))
        assert not a.changes.true & set(case.true_facts()) and a.changes.false <= set(case.true_facts())
        changed, *smaller = evaluate([apply(case, a.changes), *(apply(case, drop(a.changes, f)) for f in changes)])
        assert reaches(changed), (a.changes, changed.disposition)
        assert a.explanation.result.disposition == changed.disposition
        assert not any(reaches(r) for r in smaller), f"{a.changes} is not minimal"
    # No single change does it when whatif finds nothing or needs more.
    if not alternatives or min(len(a.changes.true | a.changes.false) for a in alternatives) > 1:
        free = [f for f in FACTS if f not in held_fixed(kw.get("to"))]
        single = evaluate([apply(case, flip(case, f)) for f in free])
        assert not [f for f, r in zip(free, single, strict=True) if reaches(r)]


@settings(max_examples=40, **SETTINGS)
@given(case=cases(unknown=(1, 8)), as_of=dates)
def test_certain_and_possible_outcomes_over_every_completion(case, as_of):
    (e,) = explain(Ask(rules(), as_of), [case])
    w, unknown = e.open_world, case.unknown_facts()
    assert w is not None
    values = [dict(zip(unknown, bits, strict=True)) for bits in itertools.product([False, True], repeat=len(unknown))]
    found = completions(case, unknown, values)
    held = [{o.outcome for o in r.outcomes} for _, r in found]
    assert w.certain <= w.possible
    assert w.possible == set().union(*held)
    assert w.certain == set.intersection(*held)
    # The closed reading (unknowns false) is one of the completions.
    assert e.result.disposition in w.dispositions
    assert set(w.dispositions) == {r.disposition for _, r in found}
    for name, needed in w.dispositions.items():
        with_it = [v for v, r in found if r.disposition == name]
        assert needed.true == {f for f in unknown if all(v[f] for v in with_it)}
        assert needed.false == {f for f in unknown if not any(v[f] for v in with_it)}
        agreeing = [r for v, r in found if all(v[f] for f in needed.true) and not any(v[f] for f in needed.false)]
        assert w.settles[name] == all(r.disposition == name for r in agreeing)


@settings(max_examples=15, **SETTINGS)
@given(case=cases(unknown=(0, 4), open_world=True), seed=st.integers(0, 2**32 - 1))
def test_certain_outcomes_hold_in_sampled_completions_of_an_open_world(case, seed):
    (e,) = explain(Ask(rules(), AS_OF), [case])
    w, unknown = e.open_world, case.unknown_facts()
    assert len(unknown) > 8 and w.certain <= w.possible
    rng = random.Random(seed)
    values = [{f: rng.random() < 0.3 for f in unknown} for _ in range(64)] + [dict.fromkeys(unknown, False)]
    for v, r in completions(case, unknown, values):
        held = {o.outcome for o in r.outcomes}
        assert w.certain <= held <= w.possible, (w.certain, held, w.possible)
        needed = w.dispositions[r.disposition]
        assert all(v[f] for f in needed.true) and not any(v[f] for f in needed.false)


# ---------------------------------------------------------------------------
# Golden explanations: clause ids and fact leaves, not the prose
# ---------------------------------------------------------------------------


def golden(name: str, profile: str = "default", **kw):
    (e,) = explain(Ask(rules(profile), AS_OF), [load_case(GOLDEN / f"{name}.yaml")], **kw)
    return e


def shape(node) -> tuple:
    """A tree as (clauses, true facts, false facts, children) — rules only, plumbing aside."""
    facts = {c.atom[0] for c in node.children if c.kind == "fact" and c.value}
    false = {c.atom[0] for c in node.children if c.kind == "fact" and not c.value}
    return node.clauses, facts, false, [shape(c) for c in node.children if c.kind == "rule"]


def rule_trees(e, outcome: str) -> list[tuple]:
    return [shape(n) for n in e.trees[outcome] if n.kind == "rule"]


def test_golden_a11_p1_i6_exempt_rests_on_the_item_and_its_facts():
    e = golden("g-a11-p1-i6")
    assert rule_trees(e, "exempt") == [
        (
            ("a11.p2",),
            set(),
            set(),
            [(("a11.p1.i6",), {"enforcement_personnel", "inspection_target_concealed"}, set(), [])],
        )
    ]
    # No a11.p2 condition fails: each is shown met, under its item.
    (root,) = [n for n in e.trees["exempt"] if n.kind == "rule"]
    (met,) = [n for n in root.children if n.kind == "absent"]
    assert met.atom[0] == "a11_p2_fails" and met.status == "holds"
    assert {c for n in met.children for c in n.clauses} == {"a11.p2.i1", "a11.p2.i2", "a11.p2.i3"}


def test_golden_a4_exempt_and_a2_out_of_scope():
    e = golden("g-a4-objective-factors")
    # a4 grants exempt on its elements within the harm it reaches (Q11: a11.p2.i2 holds)
    assert rule_trees(e, "exempt") == [
        (
            ("a4",),
            set(),
            set(),
            [
                (
                    ("a11.p2.i2",),
                    {
                        "enforcement_personnel",
                        "acted_within_duty",
                        "cause_objective_factors",
                        "loss_or_adverse_impact",
                        "corrected_timely",
                    },
                    set(),
                    [],
                )
            ],
        )
    ]
    (a4,) = [n for n in e.trees["exempt"] if n.kind == "rule"]
    (harm,) = [n for n in a4.children[0].children if n.kind == "absent"]
    assert harm.atom == ("serious_harm", "a11.p2.i2")  # checked: no major loss, no serious impact (Q5)
    assert {(n.atom, n.value) for n in harm.children} == {
        (("major_loss",), False),
        (("serious_adverse_impact",), False),
    }
    assert rule_trees(golden("g-a2-out-of-scope"), "out_of_scope") == [(("a2",), set(), {"enforcement_personnel"}, [])]


def test_golden_q3_why_not_duty_fulfilled_names_the_blocked_a10_rule():
    e = golden("g-q3-duty-fulfilled-vs-exclusion", why_not_of=("duty_fulfilled",))
    blocked = [c for c in e.why_not["duty_fulfilled"] if c.blocked_by]
    assert [(c.rule.clauses, c.blocked_by, c.conditions) for c in blocked] == [(("a10.p1", "a10.p1.i2"), ("a13",), [])]
    assert "counterparty_evaded_investigation" in blocked[0].rule.text
    # Every other a10 rule lacks its fact, and setting it would give the ground (verified).
    for c in e.why_not["duty_fulfilled"]:
        if not c.blocked_by:
            assert c.conditions and all(x.status == "fails" for x in c.conditions), c
            assert c.verified and c.establish, c
            assert all(f in c.rule.text for f in c.establish[0]), c  # the facts the rule itself names
    # a13's violation is a step of its own (Q1: either violation), both of its supports beneath it
    assert rule_trees(e, "excluded") == [
        (
            ("a13",),
            {"enforcement_personnel"},
            set(),
            [((), {"exceeded_statutory_scope", "violated_statutory_procedure"}, set(), [])],
        )
    ]
    # Under the literal reading a13 does not defeat duty_fulfilled: nothing to explain away.
    assert golden("g-q3-duty-fulfilled-vs-exclusion", "literal", why_not_of=("duty_fulfilled",)).why_not == {
        "duty_fulfilled": []
    }


def test_golden_whatif_from_major_loss_to_exempt_drops_major_loss():
    case = load_case(GOLDEN / "g-a11-p2-i2-major-loss.yaml")
    (only,) = whatif(Ask(rules(), AS_OF), case, to="exempt")
    assert only.changes == Assignment(frozenset(), frozenset({"major_loss"}))
    assert rule_trees(only.explanation, "exempt") == [
        (
            ("a11.p2",),
            set(),
            set(),
            [(("a11.p1.i7",), {"enforcement_personnel", "intentional_violation_despite_measures"}, set(), [])],
        )
    ]
    # Avoiding mitigated: dropping major_loss is one of several single changes.
    avoiding = [a.changes for a in whatif(Ask(rules(), AS_OF), case, avoid="mitigated", limit=100)]
    assert only.changes in avoiding and {len(a.true | a.false) for a in avoiding} == {1}
    assert Assignment(frozenset(), frozenset({"intentional_violation_despite_measures"})) in avoiding


def unknown_major_loss() -> Case:
    case = load_case(GOLDEN / "g-a11-p2-i2-major-loss.yaml")
    return case.model_copy(update={"facts": {**case.facts, "major_loss": "unknown"}})


def test_golden_open_world_depends_on_major_loss():
    (e,) = explain(Ask(rules(), AS_OF), [unknown_major_loss()])
    w = e.open_world
    assert e.result.disposition == "exempt"  # the closed reading
    assert (w.possible, w.certain) == ({"exempt", "mitigated"}, set())
    assert w.dispositions == {
        "exempt": Assignment(frozenset(), frozenset({"major_loss"})),
        "mitigated": Assignment(frozenset({"major_loss"}), frozenset()),
    }
    assert w.settles == {"exempt": True, "mitigated": True}


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

I6 = GOLDEN / "g-a11-p1-i6.yaml"
LOSS = GOLDEN / "g-a11-p2-i2-major-loss.yaml"
Q3 = GOLDEN / "g-q3-duty-fulfilled-vs-exclusion.yaml"
DAY = ("--as-of", AS_OF.isoformat())


def ok(*args) -> str:
    run = rongcuo(*args, *DAY)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    return run.stdout


def one_line_error(run, *words) -> None:
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("rongcuo: ") and run.stderr.count("\n") == 1, run.stderr
    assert all(w in run.stderr for w in words), run.stderr


def test_explain_text_zh_and_en():
    zh = ok("explain", I6)
    assert "第十一条第二款" in zh and "第十一条第一款第（六）项" in zh and "局党组" in zh
    assert "执法对象故意隐瞒致未及时发现潜在问题（事实成立）" in zh and "（可以）" in zh
    assert "inspection_target_concealed" not in zh  # ids only in the drafter's view
    assert "(inspection_target_concealed)" in ok("explain", I6, "--detail", "rules")
    en = ok("explain", I6, "--lang", "en")
    assert "Disposition: exempt" in en and "Art. 11(2)" in en and "Art. 11(1)(vi)" in en
    assert "inspection_target_concealed" not in en and "party group" in en


def test_explain_md_and_self_contained_html():
    md = ok("explain", I6, "--format", "md")
    assert md.startswith("# ") and "\n## " in md and "第十一条第二款" in md
    page = ok("explain", I6, "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and "<details" in page and "第十一条第二款" in page
    assert not re.search(r"https?://|<script[^>]*\bsrc=|<link\b", page, re.I)


def test_explain_json_carries_the_tree():
    out = json.loads(ok("explain", I6, "--format", "json"))
    (tree,) = [n for n in out["why"]["exempt"] if n["kind"] == "rule"]
    assert tree["clauses"] == ["a11.p2"] and tree["modality"] == "may"
    (item,) = [n for n in tree["children"] if n["kind"] == "rule"]
    assert item["clauses"] == ["a11.p1.i6"]
    assert [n["atom"] for n in item["children"]] == [["enforcement_personnel"], ["inspection_target_concealed"]]
    # --outcome: only that tree (the literal profile lets duty_fulfilled and excluded stand together).
    both = json.loads(ok("explain", Q3, "--profile", "literal", "--format", "json"))
    assert set(both["why"]) == {"duty_fulfilled", "excluded"}
    assert set(
        json.loads(ok("explain", Q3, "--profile", "literal", "--outcome", "excluded", "--format", "json"))["why"]
    ) == {"excluded"}


def test_whynot_in_every_format():
    text = ok("whynot", Q3, "duty_fulfilled")
    assert "第十条第（二）项" in text and "第十三条" in text
    assert "Art. 13" in ok("whynot", Q3, "duty_fulfilled", "--lang", "en")
    out = json.loads(ok("whynot", Q3, "duty_fulfilled", "--format", "json"))
    assert [c["blocked_by"] for c in out["why_not"]["duty_fulfilled"] if c["blocked_by"]] == [["a13"]]
    assert out["why"] == {}
    page = ok("whynot", Q3, "duty_fulfilled", "--format", "html")
    assert "第十三条" in page and not re.search(r"https?://|<script[^>]*\bsrc=|<link\b", page, re.I)


def test_whatif_text_and_json():
    text = ok("whatif", LOSS, "--to", "exempt")
    assert "不成立：造成重大损失〔既往事实〕" in text and "major_loss" not in text  # labels, not ids
    assert "保持不变：当事人系执法人员" in text and "--show" in text and "第十一条" not in text  # no tree
    md = ok("whatif", LOSS, "--to", "exempt", "--format", "md", "--lang", "en")
    assert md.startswith("# ") and "| 1 | does not hold: a major loss was caused [what happened] |" in md
    out = json.loads(ok("whatif", LOSS, "--to", "exempt", "--format", "json"))
    assert [(a["set_true"], a["set_false"]) for a in out["alternatives"]] == [([], ["major_loss"])]
    assert out["alternatives"][0]["result"]["disposition"] == "exempt"
    assert out["alternatives"][0]["kinds"] == {"major_loss": "historical"}
    assert out["held_fixed"] == ["enforcement_personnel"] and out["actionable"] is False
    fixed = json.loads(
        ok("whatif", LOSS, "--to", "exempt", "--fixed", "major_loss", "--max-changes", "1", "--format", "json")
    )
    assert fixed["alternatives"] == []


def alternative_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^ *\d+\. ", line)]


def test_whatif_is_a_table_one_line_per_alternative_and_a_tree_only_when_asked():
    path = GOLDEN / "g-a10-p1-i1.yaml"
    out = json.loads(ok("whatif", path, "--to", "exempt", "--format", "json"))
    text = ok("whatif", path, "--to", "exempt")
    lines = alternative_lines(text)
    assert len(lines) == len(out["alternatives"]) > 1
    for line, a in zip(lines, out["alternatives"], strict=True):
        assert "容错免责 ✓" in line
        assert line.count("成立：") == len(a["set_true"]) + len(a["set_false"])
    assert "第十一条" not in text and "rules/" not in text
    assert len(text.splitlines()) < 20
    shown = ok("whatif", path, "--to", "exempt", "--show", "2")
    assert alternative_lines(shown) == lines
    assert "方案2为什么得出「容错免责」" in shown and "第十一条第二款" in shown and "方案1为什么" not in shown
    md = ok("whatif", path, "--to", "exempt", "--format", "md")
    assert len([line for line in md.splitlines() if re.match(r"^\| \d+ \|", line)]) == len(lines)


@pytest.mark.parametrize("n", ["0", "11", "-1"])
def test_whatif_show_out_of_range_is_one_line(n):
    one_line_error(rongcuo("whatif", GOLDEN / "g-a10-p1-i1.yaml", "--to", "exempt", "--show", n, *DAY), "--show")


def test_whatif_html_is_self_contained():
    page = ok("whatif", LOSS, "--to", "exempt", "--format", "html")
    assert 'data-fact="major_loss"' in page and not re.search(r"https?://|<script[^>]*\bsrc=|<link\b", page, re.I)
    assert page.count('<tr id="alternative-') == 1 and '<details class="why">' in page  # collapsed
    assert '<details class="why" open>' in ok("whatif", LOSS, "--to", "exempt", "--format", "html", "--show", "1")


def test_whatif_json_round_trips(tmp_path):
    """Each alternative's changes, made to the case file and evaluated afresh, give the result the json holds."""
    path = GOLDEN / "g-a14-no-notice-before-due.yaml"
    out = json.loads(ok("whatif", path, "--avoid", "exempt", "--format", "json"))
    assert out["alternatives"]
    data = yaml.safe_load(path.read_text("utf-8"))
    for i, a in enumerate(out["alternatives"]):
        changed = {**data, "facts": {**data["facts"], **dict.fromkeys(a["set_true"], True)}}
        changed["facts"].update(dict.fromkeys(a["set_false"], False))
        case = tmp_path / f"c{i}.yaml"
        case.write_text(yaml.safe_dump(changed, allow_unicode=True), "utf-8")
        evaluated = json.loads(ok("evaluate", case, "--format", "json"))
        held = a["result"]
        assert evaluated["disposition"] == held["disposition"] != "exempt"
        assert evaluated["consequences"] == held["consequences"] and evaluated["outcomes"] == held["outcomes"]
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out


ACTIONABLE = set(vocab.facts_of_kind(vocab.ACTIONABLE))


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_whatif_actionable_changes_only_what_can_still_be_done(path):
    case = load_case(path)
    ask = Ask(rules(), None)
    for target in ("exempt", "mitigated", "duty_fulfilled"):
        for a in whatif(ask, case, to=target, actionable=True, limit=5, deadlines=True):
            assert a.changes.true <= ACTIONABLE - set(case.true_facts()), (target, a.changes)
            assert not a.changes.false, (target, a.changes)
            for d in a.deadlines:
                assert d.day >= ask.day_of(case).date and d.date not in case.dates


def test_whatif_actionable_reads_as_what_can_still_be_done():
    text = ok("whatif", GOLDEN / "g-a11-p2-i3-not-remedied.yaml", "--to", "exempt", "--actionable")
    assert "在评估日（2024-12-31）之后仍可：" in text and " 1. 容错免责 ✓  积极主动消除不良影响、挽回损失" in text
    none = ok("whatif", LOSS, "--to", "exempt", "--actionable")
    assert "仅凭评估日之后仍可采取的行动无法达到" in none  # a major loss is history


def test_whatif_notice_deadline_is_the_rules_last_day():
    path = GOLDEN / "g-a14-no-notice-before-due.yaml"  # decision 2024-06-20, not notified by 2024-06-25
    out = json.loads(rongcuo("whatif", path, "--to", "exempt", "--actionable", "--format", "json").stdout)
    (a,) = out["alternatives"]
    assert a["set_true"] == a["set_false"] == []
    (d,) = a["deadlines"]
    due = [c["args"][0] for c in a["result"]["consequences"] if c["consequence"] == "notification_due"]
    assert d == {"date": "notified", "day": due[0], "avoids": "notification_late"}
    text = rongcuo("whatif", path, "--to", "exempt", "--actionable").stdout
    assert f"不晚于{due[0]}告知相关单位及当事人" in text
    late = GOLDEN / "g-a14-no-notice-after-due.yaml"  # the day has passed: nothing left to meet
    out = json.loads(rongcuo("whatif", late, "--to", "exempt", "--actionable", "--format", "json").stdout)
    assert all(a["deadlines"] == [] for a in out["alternatives"])


def test_whatif_out_of_scope_is_reachable():
    out = json.loads(ok("whatif", LOSS, "--to", "out_of_scope", "--format", "json"))
    assert [(a["set_true"], a["set_false"]) for a in out["alternatives"]] == [([], ["enforcement_personnel"])]
    assert out["held_fixed"] == []
    # Avoiding a disposition keeps the subject in scope unless freed.
    avoid = json.loads(ok("whatif", LOSS, "--avoid", "mitigated", "--format", "json"))
    assert avoid["held_fixed"] == ["enforcement_personnel"]
    assert all("enforcement_personnel" not in a["set_false"] for a in avoid["alternatives"])
    freed = json.loads(
        ok("whatif", LOSS, "--avoid", "mitigated", "--free", "enforcement_personnel", "--format", "json")
    )
    assert freed["held_fixed"] == [] and ([], ["enforcement_personnel"]) in [
        (a["set_true"], a["set_false"]) for a in freed["alternatives"]
    ]
    one_line_error(
        rongcuo("whatif", LOSS, "--to", "exempt", "--fixed", "major_loss", "--free", "major_loss", *DAY), "--free"
    )


@pytest.mark.parametrize(
    "args, words",
    [
        (("explain", I6, "--outcome", "exemt"), ("--outcome: 'exemt' 不是处理结论", "是否指 exempt（容错免责）")),
        (("whynot", I6, "exemt"), ("OUTCOME: 'exemt' 不是处理结论", "是否指 exempt（容错免责）")),
        (("whatif", I6, "--to", "mitigate"), ("--to: 'mitigate' 不是处理结论", "是否指 mitigated")),
        (("whatif", I6, "--avoid", "exemt"), ("--avoid", "是否指 exempt（容错免责）")),
        (
            ("whatif", I6, "--to", "exempt", "--fixed", "major_los"),
            ("--fixed: major_los: 未知的事实编号", "是否指 major_loss"),
        ),
        (
            ("whatif", I6, "--to", "exempt", "--free", "major_los"),
            ("--free: major_los: 未知的事实编号", "是否指 major_loss"),
        ),
        (("whatif", I6), ("--to",)),
    ],
)
def test_bad_names_are_one_line_errors(args, words):
    one_line_error(rongcuo(*args), *words)  # zh, as a user gets them


def test_bad_names_in_english_with_lang_en():
    one_line_error(rongcuo("explain", I6, "--outcome", "exemt", "--lang", "en"), "--outcome", "did you mean exempt")
    one_line_error(
        rongcuo("whatif", I6, "--fixed", "major_los", "--to", "exempt", "--lang", "en"), "did you mean major_loss"
    )


@pytest.mark.parametrize("command", [("explain",), ("whynot", "exempt"), ("whatif", "--to", "exempt")])
def test_contradictory_case_is_refused(tmp_path, command):
    path = tmp_path / "c.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "id": "C",
                "facts": {
                    "enforcement_personnel": True,
                    "performed_per_statutory_duty": True,
                    "exceeded_statutory_scope": True,
                },
            }
        )
    )
    name, *rest = command
    one_line_error(rongcuo(name, path, *rest), "performed_per_statutory_duty", "exceeded_statutory_scope")


def test_unknown_facts_in_evaluate_and_explain(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(yaml.safe_dump(unknown_major_loss().model_dump(mode="json", exclude_none=True), allow_unicode=True))
    out = json.loads(ok("evaluate", path, "--format", "json"))
    assert out["open_world"]["possible"] == ["exempt", "mitigated"] and out["open_world"]["certain"] == []
    assert out["open_world"]["dispositions"]["exempt"] == {"true": [], "false": ["major_loss"], "settles": True}
    assert json.loads(ok("explain", path, "--format", "json"))["open_world"] == out["open_world"]
    assert "未知事实：造成重大损失" in ok("evaluate", path)


@pytest.mark.parametrize("profile", ["default", "strict", "literal"])
def test_trace_records_read_in_python_as_clingo_reads_them(profile, monkeypatch):
    """engine.trace reads its records without clingo where they hold only numbers, constants, functions
    and tuples: the same derivations for random cases as when clingo parses every record (inputs.value);
    a term with anything else in it (a string) is left to clingo."""
    import clingo

    from rongcuo.engine import trace
    from rongcuo.engine.inputs import value

    rng = random.Random(3)
    facts = vocab.fact_ids()
    picked = [
        parse_case({"id": f"P-{i}", "facts": dict.fromkeys(rng.sample(facts, rng.randint(0, 6)), True)}, "<test>")
        for i in range(200)
    ]

    def traced() -> list:
        trace._why.cache_clear()
        found, shared = RuleSet.load(profile).tracer.trace(picked, as_of=AS_OF)
        return [t.derivations for _, t in found] + [shared]

    fast = traced()
    monkeypatch.setattr(trace, "_plain", lambda text: None)
    assert traced() == fast
    monkeypatch.undo()
    trace._why.cache_clear()
    text = "t(3,-p(c__),(a11_p1_i6,day(9000),(1,-2),()))"  # classical negation, a clause, a day, tuples
    assert trace._plain(text) == value(clingo.parse_term(text))
    assert trace._plain('t(1,p("a,b"),())') is None
