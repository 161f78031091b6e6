"""Property tests: random valid cases against the invariants of measure/analysis.md §1, §5, §6.

Each property compares the engine with something it does not compute itself:
the conflict table of §6, the priority order of the vocabulary, the modality
table of §1, the clause list of text.zh.md, or the engine's own answer for
an equivalent input (reordered, batched, with other free text).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import tempfile
from collections import defaultdict
from functools import cache
from pathlib import Path

import chinese_calendar
import clingo
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rongcuo.engine import RuleSet, day, profiles
from rongcuo.model import measure
from rongcuo.model import vocabulary as vocab
from rongcuo.model.case import Case, parse_case
from rongcuo.model.decode import MAX_ID

from .conftest import DATE_ORDER, in_order

try:  # the backend helpers that turn a case into input atoms (read the raw answer set with them)
    from rongcuo.engine.inputs import add_case, add_fact
except ImportError:  # engine as a single module
    from rongcuo.engine import add_case, add_fact

PROFILES = profiles()
FACTS = vocab.fact_ids()
DATE_KEYS = vocab.date_keys()
OUTCOMES = vocab.outcome_names()  # priority order
MODALITIES = {"shall", "may", "shall_not"}
CLAUSES = set(measure.clauses())

# measure/analysis.md §1 (and measure/golden/README.md): the modality each granting clause words.
CLAUSE_MODALITY = {
    "a10.p1": "shall",
    "a4": "shall",
    "a11.p2": "may",
    "a11.p1": "shall",
    "a12.p1": "may",
    "a13": "shall_not",
}
RANK = {"shall_not": 0, "may": 1, "shall": 2}  # only shall/may ever meet in one outcome

# Profiles whose answer to Q3 is "a13 defeats duty_fulfilled" (measure/analysis.md §4).
Q3_DEFEATS = {"default", "strict"}

START, END = dt.date(2020, 1, 1), dt.date(2026, 12, 31)

# Files that could be created by a #script smuggled in through free text.
MARKER = Path(tempfile.gettempdir()) / f"rongcuo-property-marker-{os.getpid()}"


@cache
def rules(profile: str) -> RuleSet:
    return RuleSet.load(profile)


@cache
def incompatible() -> tuple[tuple[str, str], ...]:
    """The contradictory pairs, read from measure/rules/_mechanism/contradictions.lp through the engine."""
    pairs = tuple(RuleSet.load().static_atoms("incompatible", 2))
    assert pairs and all(f in FACTS and g in FACTS for f, g in pairs)
    return pairs


# ---------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------

# Sets of facts that only act together; drawing them as one unit now and then
# lets the search reach a4, a11.p2, a10.p1.i3 and a12.p1.i2 often enough.
BUNDLES = [
    ["acted_within_duty", "cause_objective_factors", "loss_or_adverse_impact", "corrected_timely"],
    ["acted_within_duty", "cause_unforeseeable", "loss_or_adverse_impact", "corrected_timely"],
    ["not_prohibited_by_law", "remedied_actively"],
    ["inspection_target_concealed", "not_prohibited_by_law", "remedied_actively"],
    ["reform_pilot_error", "not_prohibited_by_law", "remedied_actively"],
    ["on_the_spot_decision_error", "not_prohibited_by_law"],
    ["counterparty_refused_decision", "escalated_to_government_or_court", "violation_continued"],
    ["cooperated_with_investigation", "accepted_responsibility"],
    ["suspected_detention_or_crime", "transferred_to_police"],
    ["extension_applied", "special_circumstances"],
    ["report_received", "report_real_name", "report_found_untrue"],
]

EVIL = [
    "a. :- b.",
    "#script (python) import os; os._exit(3) #end.",
    f'#script (python)\nimport pathlib\npathlib.Path("{MARKER}").touch()\n#end.',
    '"',
    '\\"',
    "\n",
    "\r\n",
    "%",
    "%*",
    "*%",
    '#include "x".',
    '#include "/etc/passwd".',
    "#show. #show fact/2.",
    "disposition(0,exempt).",
    "case(0). word(0,0,1073741823).",
    "grant(0, exempt, a4, a4).",
    ":- not case(0).",
    "#const x=1.",
    "#program base.",
    "容错免责 第十一条",
    "😀\u200b\u202e\ufeff",
    "\x00",
    "\t\v\f",
    "'); DROP TABLE cases;--",
    "x" * 20_000,
    "a. " * 5_000,
]

dates = st.dates(min_value=START, max_value=END)
date_sets = st.dictionaries(st.sampled_from(DATE_KEYS), dates, max_size=len(DATE_KEYS))


free_text = st.text(max_size=30)
evil_text = st.sampled_from(EVIL) | st.text(max_size=200)
ONE_LINE = ("id", "field", "error_type")  # identifiers and labels: one line, no control characters


def one_line(text: str) -> str:
    """The text as an id or label may hold it (the case model refuses line breaks and control characters)."""
    return "".join(c for c in text if not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029"))


# The facts that defeat or condition the others (a13, a7–a9): drawn on their own so
# that they meet the grounds they act on often enough.
# (The empty entry repeated: most cases have none.)
DEFEATERS = [[]] * 5 + [
    ["exceeded_statutory_scope"],
    ["violated_statutory_procedure"],
    ["exceeded_statutory_scope", "violated_statutory_procedure"],
]
BREACHES = [[]] * 6 + [
    ["evidence_chain_incomplete"],
    ["case_review_skipped"],
    ["major_decision_without_legal_review"],
    ["suspected_detention_or_crime"],
]


@st.composite
def fact_sets(draw) -> set[str]:
    """A random set of true facts with no incompatible pair."""
    true = set(draw(st.sampled_from(DEFEATERS))) | set(draw(st.sampled_from(BREACHES)))
    true |= {f for unit in draw(st.lists(st.sampled_from(BUNDLES), max_size=3)) for f in unit}
    true |= set(draw(st.lists(st.sampled_from(FACTS), max_size=8)))
    if draw(st.integers(0, 4)):  # mostly in scope
        true.add("enforcement_personnel")
    for f, g in incompatible():
        if f in true and g in true:
            true.discard(draw(st.sampled_from([f, g])))
    return true


@st.composite
def case_data(draw, text=free_text, true=None) -> dict:
    """A valid case as a case file would give it (before validation)."""
    true = draw(fact_sets()) if true is None else true
    facts = {f: True for f in true}
    stated = draw(st.integers(0, 2 ** len(FACTS) - 1))  # one draw, not one per fact: generation is the cost
    for n, f in enumerate(FACTS):  # the rest: stated false, or left out (closed world)
        if f not in true and stated >> n & 1:
            facts[f] = False
    order = sorted(facts)
    random.Random(draw(st.integers(0, 2**32))).shuffle(order)
    data = {
        "id": draw(text.map(one_line).filter(lambda s: s.strip())),
        "facts": {f: facts[f] for f in order},
        "dates": {k: d.isoformat() for k, d in in_order(draw(date_sets)).items()},
    }
    for key in ("title", "field", "error_type", "narrative"):
        if draw(st.booleans()):
            data[key] = one_line(draw(text)) if key in ONE_LINE else draw(text)
    if draw(st.booleans()):
        data["subject"] = {"name": draw(text), "unit": draw(text)}
    return data


def valid_cases(**kw):
    return case_data(**kw).map(lambda d: parse_case(d, "<hypothesis>"))


as_of_dates = dates
effective_dates = st.none() | dates


def full(result) -> dict:
    """Everything the engine says about a case, contradictions included (to_json leaves them out)."""
    return {**result.to_json(), "contradictions": [list(c) for c in result.contradictions]}


def evaluate_one(profile: str, case: Case, as_of: dt.date, effective_date=None):
    (result,) = rules(profile).evaluate([case], as_of=as_of, effective_date=effective_date)
    return result


def raw_answer(profile: str, cases: list[Case], as_of: dt.date) -> dict[int, dict[str, list]]:
    """The shown atoms of the answer set per case index, read straight from clingo."""
    ctl = rules(profile).control(["--models=0"])
    with ctl.backend() as backend:
        add_fact(backend, clingo.Function("param", [clingo.Function("as_of"), clingo.Number(day(as_of))]))
        for i, case in enumerate(cases):
            add_case(backend, i, case)
    ctl.ground([("base", [])])
    models = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            models.append(model.symbols(shown=True))
    assert len(models) == 1, f"{len(models)} answer sets"
    atoms: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for sym in models[0]:
        atoms[sym.arguments[0].number][sym.name].append(tuple(str(a) for a in sym.arguments[1:]))
    return atoms


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=200, **SETTINGS)
@given(case=valid_cases(), as_of=as_of_dates, effective_date=effective_dates)
def test_no_forbidden_co_occurrence(profile, case, as_of, effective_date):
    """measure/analysis.md §6: the outcome combinations a drafter calls a conflict never occur."""
    # The same facts for someone who is not enforcement personnel (a2): only out_of_scope.
    outside = case.model_copy(update={"facts": {**case.facts, "enforcement_personnel": False}})
    result, out = rules(profile).evaluate([case, outside], as_of=as_of, effective_date=effective_date)
    assert [o.outcome for o in out.outcomes] == ["out_of_scope"] and out.disposition == "out_of_scope"
    assert out.consequences == ()
    held = {o.outcome for o in result.outcomes}
    assert not result.contradictions, "a valid case is reported as contradictory"
    assert not {"exempt", "excluded"} <= held
    assert not ("none" in held and held & {"exempt", "duty_fulfilled"})
    if profile in Q3_DEFEATS:
        assert not {"duty_fulfilled", "excluded"} <= held
    # a2: out of scope exactly when the subject is not enforcement personnel, and then nothing else.
    in_scope = case.facts.get("enforcement_personnel") is True
    assert ("out_of_scope" in held) == (not in_scope)
    if "out_of_scope" in held:
        assert held == {"out_of_scope"}
        assert result.consequences == ()
    # a3: none exactly when in scope and nothing else holds.
    assert ("none" in held) == (in_scope and held <= {"none"})


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=60, **SETTINGS)
@given(cases=st.lists(valid_cases(), min_size=1, max_size=8), as_of=as_of_dates)
def test_exactly_one_disposition_the_first_outcome_that_holds(profile, cases, as_of):
    results = rules(profile).evaluate(cases, as_of=as_of)
    raw = raw_answer(profile, cases, as_of)
    assert len(results) == len(cases)
    for i, result in enumerate(results):
        held = [o.outcome for o in result.outcomes]
        assert held, "no outcome"
        assert len(held) == len(set(held))
        assert result.disposition in OUTCOMES
        assert result.disposition in held
        assert result.disposition == next(o for o in OUTCOMES if o in held)
        # The answer set itself: one disposition atom, and outcomes only from the six.
        assert len(raw[i]["disposition"]) == 1, raw[i]["disposition"]
        assert {o for o, *_ in raw[i]["ground"]} <= set(OUTCOMES)
        assert {o for o, *_ in raw[i]["ground"]} == set(held)


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=120, **SETTINGS)
@given(case=valid_cases(), as_of=as_of_dates, effective_date=effective_dates)
def test_grounds_are_clauses_and_modalities_follow_the_text(profile, case, as_of, effective_date):
    result = evaluate_one(profile, case, as_of, effective_date)
    cited = [g for o in result.outcomes for g in o.grounds]
    cited += [g for c in result.consequences for g in c.grounds]
    cited += [g for d in result.defeated for g in d.grounds] + [d.blocked_by for d in result.defeated]
    assert set(cited) <= CLAUSES, set(cited) - CLAUSES
    for o in result.outcomes:
        assert o.grounds, f"{o.outcome} without grounds"
        if o.outcome in ("none", "out_of_scope"):
            assert o.modality is None
            continue
        assert o.modality in MODALITIES
        worded = [CLAUSE_MODALITY[g] for g in o.grounds if g in CLAUSE_MODALITY]
        assert worded, f"{o.outcome}: no granting clause among {o.grounds}"
        assert o.modality == max(worded, key=RANK.__getitem__), (o, worded)


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=80, **SETTINGS)
@given(data=st.data(), as_of=as_of_dates)
def test_order_of_facts_and_dates_does_not_matter(profile, data, as_of):
    raw = data.draw(case_data())
    shuffled = dict(raw)
    shuffled["facts"] = {f: raw["facts"][f] for f in data.draw(st.permutations(list(raw["facts"])))}
    shuffled["dates"] = {k: raw["dates"][k] for k in data.draw(st.permutations(list(raw["dates"])))}
    a = evaluate_one(profile, parse_case(raw, "a"), as_of)
    b = evaluate_one(profile, parse_case(shuffled, "b"), as_of)
    assert full(a) == full(b)


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=60, **SETTINGS)
@given(case=valid_cases(), as_of=as_of_dates)
def test_false_and_absent_facts_are_the_same(profile, case, as_of):
    """Closed world (measure/analysis.md §5): unlisted facts are false."""
    only_true = case.model_copy(update={"facts": {f: True for f in case.true_facts()}})
    all_stated = case.model_copy(update={"facts": {f: case.facts.get(f, False) for f in FACTS}})
    results = [evaluate_one(profile, c, as_of) for c in (case, only_true, all_stated)]
    assert full(results[0]) == full(results[1]) == full(results[2])


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=40, **SETTINGS)
@given(
    cases=st.lists(valid_cases(text=st.sampled_from(["A", "B", "C"]) | free_text), min_size=2, max_size=8),
    as_of=as_of_dates,
    effective_date=effective_dates,
)
def test_many_cases_in_one_program_equal_one_by_one(profile, cases, as_of, effective_date):
    together = rules(profile).evaluate(cases, as_of=as_of, effective_date=effective_date)
    alone = [evaluate_one(profile, c, as_of, effective_date) for c in cases]
    assert [r.case for r in together] == [c.id for c in cases]
    assert [full(r) for r in together] == [full(r) for r in alone]


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=60, **SETTINGS)
@given(cases=st.lists(valid_cases(), min_size=1, max_size=8), as_of=as_of_dates, effective_date=effective_dates)
def test_split_evaluation_equals_the_whole_program(profile, cases, as_of, effective_date):
    """engine.split: the facts-only rules once per fact set (remembered across calls) and the dated
    rules per case give what the whole program, grounded at once, gives."""
    split = rules(profile).evaluator.split(cases, as_of, effective_date)
    whole = rules(profile).evaluator.whole(cases, as_of, effective_date)
    traced, _ = rules(profile).tracer.trace(cases, as_of=as_of, effective_date=effective_date)
    assert [full(r) for r in split] == [full(r) for r in whole] == [full(r) for r, _ in traced]


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=60, **SETTINGS)
@given(data=st.data(), as_of=as_of_dates)
def test_free_text_changes_nothing_and_executes_nothing(profile, data, as_of):
    plain = data.draw(case_data())
    hostile = dict(plain)
    hostile["id"] = data.draw(evil_text.map(lambda s: one_line(s)[:MAX_ID]).filter(str.strip))  # ids are bounded
    for key in ("title", "field", "error_type", "narrative"):
        hostile[key] = one_line(data.draw(evil_text)) if key in ONE_LINE else data.draw(evil_text)
    hostile["subject"] = {"name": data.draw(evil_text), "unit": data.draw(evil_text)}
    hostile["recorded_decision"] = data.draw(st.sampled_from(OUTCOMES))  # a record, not an input
    a = evaluate_one(profile, parse_case(plain, "plain"), as_of)
    b = evaluate_one(profile, parse_case(hostile, "hostile"), as_of)
    assert b.case == hostile["id"]
    assert {**full(a), "case": None} == {**full(b), "case": None}
    assert not MARKER.exists(), "free text ran as a #script"


def test_hostile_text_alone_in_every_field():
    """Every evil string in every free-text field, deterministically (beside the random draws)."""
    base = {
        "id": "plain",
        "facts": {
            "enforcement_personnel": True,
            "inspection_target_concealed": True,
            "not_prohibited_by_law": True,
            "remedied_actively": True,
        },
        "dates": {"decision": "2024-03-01"},
    }
    as_of = dt.date(2024, 6, 30)
    for profile in PROFILES:
        want = {**full(evaluate_one(profile, parse_case(base, "b"), as_of)), "case": None}
        assert want["disposition"] == "exempt"
        variants = []
        for evil in EVIL:
            line = one_line(evil)
            variants.append({**base, "id": line[:MAX_ID]} if line[:MAX_ID].strip() else {**base})
            variants.append(
                {
                    **base,
                    "title": evil,
                    "field": line,
                    "error_type": line,
                    "narrative": evil,
                    "subject": {"name": evil, "unit": evil},
                }
            )
        cases = [parse_case(v, "v") for v in variants]
        for r in rules(profile).evaluate(cases, as_of=as_of):
            assert {**full(r), "case": None} == want
        for c in cases[:6]:
            assert {**full(evaluate_one(profile, c, as_of)), "case": None} == want
    assert not MARKER.exists()


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=30, **SETTINGS)
@given(data=st.data(), as_of=as_of_dates)
def test_contradictory_case_is_reported_naming_both_facts(profile, data, as_of):
    f, g = data.draw(st.sampled_from(incompatible()))
    raw = data.draw(case_data())
    raw["facts"] = {**raw["facts"], f: True, g: True}
    case = parse_case(raw, "contra")
    result = evaluate_one(profile, case, as_of)
    assert {f, g} in [set(c) for c in result.contradictions]
    # Every pair reported is an incompatible pair that the case really holds.
    for pair in result.contradictions:
        assert tuple(pair) in incompatible()
        assert all(case.facts.get(x) is True for x in pair)


def test_every_incompatible_pair_alone_is_reported():
    for profile in PROFILES:
        for f, g in incompatible():
            case = parse_case({"id": f"{f}+{g}", "facts": {"enforcement_personnel": True, f: True, g: True}}, "c")
            result = evaluate_one(profile, case, dt.date(2024, 6, 30))
            assert [set(c) for c in result.contradictions] == [{f, g}], (profile, result.contradictions)


def test_out_of_scope_whatever_else_holds():
    """a2 beside the fullest valid cases: every other fact true (one side of each
    incompatible pair left out), every date set — still only out_of_scope, no consequence."""
    pairs = incompatible()
    for keep_first in (True, False):
        dropped = {g if keep_first else f for f, g in pairs}
        facts = {f: f not in dropped for f in FACTS if f != "enforcement_personnel"}
        dates_ = {k: "2024-01-02" if k == "extended_deadline" else "2024-01-01" for k in DATE_KEYS}  # §5's order
        case = parse_case({"id": "everything", "facts": facts, "dates": dates_}, "c")
        inside = case.model_copy(update={"facts": {**facts, "enforcement_personnel": True}})
        for profile in PROFILES:
            out, full_in = rules(profile).evaluate(
                [case, inside], as_of=dt.date(2026, 1, 1), effective_date=dt.date(2025, 1, 1)
            )
            assert [o.outcome for o in out.outcomes] == ["out_of_scope"], (profile, out.outcomes)
            assert out.consequences == () and out.disposition == "out_of_scope"
            assert not out.contradictions and not full_in.contradictions
            assert "out_of_scope" not in {o.outcome for o in full_in.outcomes}


# ---------------------------------------------------------------------------
# The amended reading (issue 12): dates, the calendar, a17's objects, Q7, Q11
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=40, **SETTINGS)
@given(data=st.data(), as_of=as_of_dates)
def test_dates_out_of_order_are_rejected_naming_both_keys(profile, data, as_of):
    """§5: each order broken is reported as its two keys, and only orders the case really breaks."""
    k, later, strict = data.draw(st.sampled_from(DATE_ORDER))
    raw = data.draw(case_data())
    first = data.draw(dates)
    gap = data.draw(st.integers(0 if strict else 1, 60))
    raw["dates"] = {**raw["dates"], k: first.isoformat(), later: (first - dt.timedelta(days=gap)).isoformat()}
    case = parse_case(raw, "dates")
    result = evaluate_one(profile, case, as_of)
    assert (k, later) in result.contradictions
    broken = {
        (a, b)
        for a, b, s in DATE_ORDER
        if a in case.dates
        and b in case.dates
        and (case.dates[b] <= case.dates[a] if s else case.dates[b] < case.dates[a])
    }
    assert {pair for pair in result.contradictions if pair[0] in DATE_KEYS} == broken


def official_due(decision: dt.date, reading: str) -> dt.date | None:
    """The notice's last day counted with the chinese-calendar package directly (None: past its years)."""
    try:
        if reading == "calendar":
            return decision + dt.timedelta(days=7)
        if reading == "shift":
            due = decision + dt.timedelta(days=7)
            while not chinese_calendar.is_workday(due):
                due += dt.timedelta(days=1)
            return due
        due, counted = decision, 0
        while counted < 7:
            due += dt.timedelta(days=1)
            counted += chinese_calendar.is_workday(due)
        return due
    except NotImplementedError:  # a year the package does not publish
        return None


Q6_READING = {"default": "shift", "strict": "shift", "literal": "calendar"}  # measure/analysis.md §4


@cache
def working_days() -> RuleSet:
    """The default profile with Q6 read as seven working days (readings/q06_working_days.lp)."""
    root = Path(tempfile.mkdtemp())
    shutil.copytree(measure.root(), root / "m")
    profile = (root / "m/profiles/default.lp").read_text().replace("q06_rest_day_shift.lp", "q06_working_days.lp")
    (root / "m/profiles/working_days.lp").write_text(profile)
    return RuleSet.load("working_days", root / "m")


@settings(max_examples=150, **SETTINGS)
@given(
    decision=st.dates(min_value=dt.date(2003, 6, 1), max_value=dt.date(2027, 3, 1)), profile=st.sampled_from(PROFILES)
)
def test_the_notice_is_due_as_the_official_calendar_counts(decision, profile):
    """Q6 against the calendar package itself: the due date each reading gives, or the note that the
    calendar does not reach it — never a guessed date."""
    case = parse_case({"id": "n", "facts": {"enforcement_personnel": True}, "dates": {"decision": decision}}, "n")
    readings = [(rules(profile), Q6_READING[profile]), (working_days(), "working_days")]
    for ruleset, reading in readings:
        (result,) = ruleset.evaluate([case], as_of=decision)
        due = [c.args[0] for c in result.consequences if c.consequence == "notification_due"]
        uncovered = [c.args[0] for c in result.consequences if c.consequence == "notification_due_uncovered"]
        want = official_due(decision, reading)
        if want is None:
            assert not due and len(uncovered) == 1 and not covered(uncovered[0]), (reading, uncovered)
        else:
            assert due == [want.isoformat()] and not uncovered, (reading, decision, due, uncovered)


def covered(iso: str) -> bool:
    """Whether the calendar package publishes the year of the day."""
    years = {d.year for d in chinese_calendar.constants.holidays}
    return int(iso[:4]) in years


CATCH_ALL = {"a10.p1.i11", "a11.p1.i9", "a12.p1.i3"}
GRANTING = set(CLAUSE_MODALITY) - {"a4", "a13"}  # the clauses that give effect to an item (cited after it)


@pytest.mark.parametrize("profile", PROFILES)
@settings(max_examples=120, **SETTINGS)
@given(case=valid_cases(), as_of=as_of_dates)
def test_the_amended_consequences_and_marks(profile, case, as_of):
    result = evaluate_one(profile, case, as_of)
    keys = {c.consequence for c in result.consequences}
    in_scope = case.facts.get("enforcement_personnel") is True
    # a17 speaks to its objects only
    if keys & {"correction_overdue", "extension_permissible"}:
        assert "correction_required" in keys
    # a14: an application asks for a determination, in scope
    assert ("determination_required" in keys) == (in_scope and case.facts.get("applied_by_individual") is True)
    # Q7: an outcome rests on a catch-all exactly when every ground that stands for it is one
    for o in result.outcomes:
        items = set(o.grounds) - GRANTING
        assert o.catch_all == (items <= CATCH_ALL), (o, items)
    # Q11 (default, strict): no exemption through a4 where the harm a11.p2.i2 excludes occurred (Q5: either)
    exempt = result.outcome("exempt")
    serious = any(case.facts.get(f) is True for f in ("major_loss", "serious_adverse_impact"))
    if profile != "literal" and exempt and serious:
        assert "a4" not in exempt.grounds
