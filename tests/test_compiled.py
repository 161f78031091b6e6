"""engine.compiled against clingo: the bottom's ground program, evaluated bit-parallel, gives what
clingo gives — case by case, outcome for outcome and consequence for consequence — for every
profile and every draft; a rule set it cannot evaluate falls back to clingo and says which rule."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rongcuo.drafting.sources import load
from rongcuo.engine import RuleError, RuleSet, profiles
from rongcuo.engine.compiled import Program
from rongcuo.engine.dated import Top
from rongcuo.engine.trace import Tracer
from rongcuo.explain.tree import TreeBuilder, _key
from rongcuo.model.case import Case, parse_case

from .conftest import ROOT
from .test_properties import FACTS, SETTINGS, as_of_dates, effective_dates, full, incompatible, valid_cases

DRAFTS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "measure" / "drafts").iterdir() if p.is_dir())
RULE_SETS = [f"profile:{p}" for p in profiles()] + DRAFTS


@cache
def rule_set(spec: str) -> RuleSet:
    return load(str(ROOT / spec) if not spec.startswith("profile:") else spec).rules


@cache
def tracers(spec: str) -> tuple[Tracer, Tracer]:
    """A rule set's tracer on the compiled path and one on clingo's, built once."""
    return Tracer(rule_set(spec)), Tracer(rule_set(spec), compiled=False)


def without_dates(case):
    return case.model_copy(update={"dates": {}})


def test_every_bundled_profile_and_draft_compiles():
    for spec in RULE_SETS:
        assert rule_set(spec).evaluator.fallback is None, spec


@pytest.mark.parametrize("spec", RULE_SETS)
@settings(max_examples=40, **SETTINGS)
@given(
    cases=st.lists(valid_cases(), min_size=1, max_size=12),
    dated=st.lists(st.booleans(), min_size=12, max_size=12),
    as_of=as_of_dates,
    effective_date=effective_dates,
)
def test_compiled_evaluation_equals_clingo(spec, cases, dated, as_of, effective_date):
    """The split path with the compiled bottom against the whole program grounded and solved by clingo."""
    cases = [c if keep else without_dates(c) for c, keep in zip(cases, dated, strict=False)]
    evaluator = rule_set(spec).evaluator
    assert evaluator.fallback is None
    compiled = evaluator.split(cases, as_of, effective_date)
    clingo = evaluator.whole(cases, as_of, effective_date)
    assert [full(r) for r in compiled] == [full(r) for r in clingo]


@pytest.mark.parametrize("spec", RULE_SETS)
@settings(max_examples=25, **SETTINGS)
@given(cases=st.lists(valid_cases(), min_size=1, max_size=40))
def test_compiled_bottom_is_clingos_bottom_atom_for_atom(spec, cases):
    """The shown atoms and the interface atoms of each case, as clingo's grounding of the bottom gives them."""
    evaluator = rule_set(spec).evaluator
    compiled = evaluator.compiled.readings(cases)  # type: ignore[union-attr]
    grounded = evaluator._ground_bottom(cases)
    for mine, theirs in zip(compiled, grounded, strict=True):
        assert mine.shown == theirs.shown
        assert sorted(map(str, mine.interface)) == sorted(map(str, theirs.interface))


@pytest.mark.parametrize("spec", RULE_SETS)
@settings(max_examples=15, **SETTINGS)
@given(cases=st.lists(valid_cases(), min_size=1, max_size=30), as_of=as_of_dates)
def test_compiled_trace_is_clingos_trace_and_explains_alike(spec, cases, as_of):
    """The derivations the compiled bottom and the vectorised dated rules record, case by case, are those
    clingo's grounding of the recording rules gives, in the same order; so are the results, and the trees
    built from them."""
    rules = rule_set(spec)
    compiled, grounded = tracers(spec)
    assert isinstance(compiled.compiled, Program), compiled.compiled
    assert isinstance(compiled.dated, Top) == (rules.evaluator.dated_fallback is None), compiled.dated  # as evaluate
    mine, mine_shared = compiled.trace(cases, as_of)
    theirs, their_shared = grounded.trace(cases, as_of)
    assert mine_shared == their_shared
    for case, (result, trace), (expected, reference) in zip(cases, mine, theirs, strict=True):
        assert full(result) == full(expected)
        assert trace.derivations == reference.derivations
        ours = TreeBuilder(case, trace, rules.tracer.infos, mine_shared)
        clingos = TreeBuilder(case, reference, rules.tracer.infos, their_shared)
        for o in result.outcomes:
            assert [_key(n) for n in ours.outcome(o.outcome)] == [_key(n) for n in clingos.outcome(o.outcome)]


def random_cases(n: int, seed: int) -> list[Case]:
    """Valid cases with a few random true facts (no incompatible pair) and now and then a date."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        true = set(rng.sample(FACTS, rng.randint(0, 8))) | ({"enforcement_personnel"} if rng.random() < 0.8 else set())
        for f, g in incompatible():
            if f in true and g in true:
                true.discard(f)
        dates = {"decision": "2024-03-01", "notified": "2024-03-12"} if rng.random() < 0.3 else {}
        cases.append(parse_case({"id": f"c{i}", "facts": dict.fromkeys(sorted(true), True), "dates": dates}, "<t>"))
    return cases


def test_a_large_chunk_of_cases_at_once(default_rules):
    """Many 64-case words, the last one partial."""
    cases = random_cases(1_000, seed=1)
    as_of = dt.date(2024, 12, 31)
    assert [full(r) for r in default_rules.evaluator.split(cases, as_of)] == [
        full(r) for r in default_rules.evaluator.whole(cases, as_of)
    ]


# A draft the compiled evaluator cannot run: each adds one such rule to the facts-only part.
UNSUPPORTED = {
    "weight": ("many_facts(C) :- case(C), #count { F : fact(C, F) } >= 3.", "weight rule"),
    "disjunction": ("left(C) ; right(C) :- case(C).\n:- right(C).", "disjunction"),
    "choice": ("{ chosen(C) } :- case(C), fact(C, enforcement_personnel).\n:- chosen(C).", "choice beyond the facts"),
    "unstratified": ("p(C) :- case(C), not q(C).\nq(C) :- case(C), not p(C).\n:- q(C).", "negation in a cycle"),
}


def _draft(tmp_path: Path, rule: str) -> RuleSet:
    draft = tmp_path / "draft"
    (draft / "rules").mkdir(parents=True)
    (draft / "DRAFT.md").write_text("A rule the compiled evaluator does not handle\n", encoding="utf-8")
    (draft / "rules" / "zz_unsupported.lp").write_text(rule + "\n", encoding="utf-8")
    return load(str(draft)).rules


@pytest.mark.parametrize("kind", sorted(UNSUPPORTED))
def test_an_unsupported_rule_falls_back_to_clingo_and_says_which(tmp_path, kind):
    rule, reason = UNSUPPORTED[kind]
    rules = _draft(tmp_path, rule)
    fallback = rules.evaluator.fallback
    assert fallback is not None and reason in fallback, fallback
    assert "zz_unsupported.lp:" in fallback  # the file and line of the rule
    traced = str(rules.tracer.compiled)  # explanations are traced on clingo's path too
    assert reason in traced and "zz_unsupported.lp:" in traced, traced

    cases = random_cases(30, seed=len(kind))
    as_of = dt.date(2024, 12, 31)
    assert [full(r) for r in rules.evaluator.split(cases, as_of)] == [
        full(r) for r in rules.evaluator.whole(cases, as_of)
    ]
    assert [full(r) for r, _ in rules.tracer.trace(cases, as_of)[0]] == [
        full(r) for r in rules.evaluator.whole(cases, as_of)
    ]


def test_a_classically_negated_atom_compiles_and_answers_as_clingo(tmp_path):
    """`-p(C)` is an atom of its own to clingo: a draft using it loads (it once crashed the case-locality
    check) and gives clingo's answers on the compiled path."""
    rules = _draft(tmp_path, "-prompt(C) :- case(C), not fact(C, remedied_actively).\nquiet(C) :- case(C), -prompt(C).")
    cases = random_cases(60, seed=7)
    as_of = dt.date(2024, 12, 31)
    assert [full(r) for r in rules.evaluator.split(cases, as_of)] == [
        full(r) for r in rules.evaluator.whole(cases, as_of)
    ]


def test_a_constraint_that_fires_is_no_answer_as_in_clingo(tmp_path):
    """A facts-only constraint compiles; a case that violates it has no answer set, on both paths."""
    rules = _draft(tmp_path, ":- fact(C, violated_statutory_procedure), fact(C, exceeded_statutory_scope).")
    assert rules.evaluator.fallback is None
    fine = parse_case({"id": "a", "facts": {"violated_statutory_procedure": True}}, "<t>")
    bad = parse_case(
        {"id": "b", "facts": {"violated_statutory_procedure": True, "exceeded_statutory_scope": True}}, "<t>"
    )
    as_of = dt.date(2024, 12, 31)
    assert [full(r) for r in rules.evaluator.split([fine] * 5, as_of)] == [
        full(r) for r in rules.evaluator.whole([fine] * 5, as_of)
    ]
    for path in (rules.evaluator.split, rules.evaluator.whole):
        with pytest.raises(RuleError, match="no answer set"):
            path([fine, bad, fine, fine, fine], as_of)


# ---- the dated rules, vectorised (engine.dated) --------------------------------------------------


def test_every_bundled_profile_and_draft_evaluates_its_dated_rules_vectorised():
    for spec in RULE_SETS:
        assert rule_set(spec).evaluator.dated_fallback is None, spec


def dated_cases(n: int, seed: int) -> list[Case]:
    """Cases with a conduct date and now and then every other date, some of them out of order."""
    rng = random.Random(seed)
    cases = random_cases(n, seed)
    out = []
    for case in cases:
        start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
        dates = {"conduct": start}
        for key in ("decision", "notified", "correction_deadline", "extended_deadline", "correction_completed"):
            if rng.random() < 0.5:
                dates[key] = start + dt.timedelta(days=rng.randrange(-5, 60))
        out.append(case.model_copy(update={"dates": dates}))
    return out


# Drafts whose dated rules the vectorised evaluator does not handle: each is planned on clingo's path.
UNSUPPORTED_DATED = {
    "aggregate": ("consequence(C, many_dates, a14) :- case(C), #count { K : date(C, K, _) } >= 3.", "aggregate"),
    "division": (
        "consequence(C, halfway(M), a17) :- date(C, conduct, D), date(C, decision, E), M = (D + E) / 2.",
        "term",
    ),
    "interval": ("consequence(C, around(day(D + X)), a14) :- date(C, decision, D), X = 1..2.", "term"),
}


@pytest.mark.parametrize("kind", sorted(UNSUPPORTED_DATED))
def test_an_unsupported_dated_rule_is_grounded_by_clingo_and_says_which(tmp_path, kind):
    rule, reason = UNSUPPORTED_DATED[kind]
    rules = _draft(tmp_path, rule)
    fallback = rules.evaluator.dated_fallback
    assert fallback is not None and reason in fallback and "zz_unsupported.lp:1" in fallback, fallback
    cases = dated_cases(40, seed=len(kind))
    as_of = dt.date(2025, 12, 31)
    assert [full(r) for r in rules.evaluator.split(cases, as_of)] == [
        full(r) for r in rules.evaluator.whole(cases, as_of)
    ]


@pytest.mark.parametrize(
    "rule",
    [
        # structured terms built from dates, a comparison of non-numbers, a join on two variables
        "consequence(C, spread(day(D), day(E)), a17) :- date(C, conduct, D), date(C, decision, E), E - D > 30.",
        "consequence(C, same_day(K, L), a14) :- date(C, K, D), date(C, L, D), K < L.",
        # arithmetic beyond what the vectorised evaluator keeps exact: that chunk goes to clingo
        "consequence(C, far(M), a14) :- date(C, conduct, D), M = D * 100000.",
        # a recursion over the calendar with an arithmetic head
        "walk(C, D) :- date(C, decision, D).\nwalk(C, D + 1) :- walk(C, D), rest_day(D + 1).\n"
        "consequence(C, walked(day(D)), a14) :- walk(C, D), not walk(C, D + 1), in_scope(C).",
    ],
)
def test_a_drafted_dated_rule_is_vectorised_as_clingo_grounds_it(tmp_path, rule):
    rules = _draft(tmp_path, rule)
    assert rules.evaluator.dated_fallback is None
    cases = dated_cases(300, seed=7)
    as_of = dt.date(2025, 12, 31)
    assert [full(r) for r in rules.evaluator.split(cases, as_of)] == [
        full(r) for r in rules.evaluator.whole(cases, as_of)
    ]


def test_a_dated_constraint_that_fires_is_no_answer_as_in_clingo(tmp_path):
    rules = _draft(tmp_path, ":- date(C, conduct, D), date(C, decision, E), E < D - 3.")
    assert rules.evaluator.dated_fallback is None
    fine, bad = dated_cases(2, seed=1)
    fine = fine.model_copy(update={"dates": {"conduct": dt.date(2024, 3, 1)}})
    bad = bad.model_copy(update={"dates": {"conduct": dt.date(2024, 3, 10), "decision": dt.date(2024, 3, 1)}})
    as_of = dt.date(2024, 12, 31)
    assert [full(r) for r in rules.evaluator.split([fine] * 6, as_of)] == [
        full(r) for r in rules.evaluator.whole([fine] * 6, as_of)
    ]
    for path in (rules.evaluator.split, rules.evaluator.whole):
        with pytest.raises(RuleError, match="no answer set"):
            path([fine, bad, fine, fine, fine, fine], as_of)


def test_only_a_first_call_of_a_few_cases_grounds_the_whole_program(default_rules, monkeypatch):
    """A one-off `evaluate` skips building the split; a service's requests, a few cases each, all take
    it after the first — the whole program per call would leave every case's symbols in clingo."""
    rules = default_rules
    evaluator = type(rules.evaluator)(rules.statements, rules.profile, rules.sha256)
    taken: list[str] = []
    for path in ("whole", "split"):
        monkeypatch.setattr(
            evaluator,
            path,
            lambda *a, _path=getattr(evaluator, path), _name=path, **k: taken.append(_name) or _path(*a, **k),
        )
    cases = random_cases(6, seed=3)
    as_of = dt.date(2024, 12, 31)
    answers = [evaluator.evaluate([case], as_of) for case in cases]
    assert taken == ["whole"] + ["split"] * 5
    assert [full(r) for (r,) in answers] == [full(r) for r in default_rules.evaluator.whole(cases, as_of)]


def test_a_cases_own_consequences_joined_to_its_readings_are_those_of_all_its_atoms():
    """engine.read joins the consequences the dated rules give a case to those of its facts' reading, each
    read once: the same as reading all the atoms together — a consequence both attach cites both clauses."""
    from rongcuo.engine.read import _consequences, _joined

    reading = frozenset({"consequence(correction_required,a16)", "consequence(duty_breach(a7),a7)"})
    own = frozenset(
        {"consequence(correction_required,a17)", "consequence(notification_due(day(19000)),a14)", "consequence(x,a3)"}
    )
    for mine, theirs in ((reading, own), (own, reading), (reading, frozenset()), (frozenset(), own)):
        assert _joined(_consequences(mine), _consequences(theirs)) == _consequences(mine | theirs)
    joined = {c.consequence: c.grounds for c in _joined(_consequences(reading), _consequences(own))}
    assert joined["correction_required"] == ("a16", "a17")
