"""Explanations: why, why not, what if, and what an incomplete record depends on.

Every answer is read from the solver (engine.trace, engine.hypotheses); this
package only arranges it for the templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..ask import Ask, by_day, results
from ..engine import Assignment, OpenWorld, Result, RuleError, minimal_changes, open_world
from ..engine.evaluate import uncollected
from ..model import vocabulary as vocab
from ..model.case import Case
from .absence import smallest
from .tree import Node, TreeBuilder
from .whynot import Candidate, why_not

# Held fixed unless freed, or unless the target is out_of_scope (which only they reach): otherwise "the subject
# is not enforcement personnel" would answer every --avoid.
FIXED_BY_DEFAULT = ("enforcement_personnel",)


@dataclass
class Explanation:
    case: Case
    result: Result
    trees: dict[str, list[Node]]  # outcome → its grounds as trees
    why_not: dict[str, list[Candidate]]  # outcome that does not hold → candidate rules
    open_world: OpenWorld | None = None


@dataclass(frozen=True)
class Deadline:
    """A date the case does not have yet, and the last day for it that avoids a consequence: on ``day`` the
    evaluation gives no ``avoids``, a day later it does (both asked of the rules)."""

    date: str  # the date key (notified, correction_completed)
    day: dt.date
    avoids: str  # the consequence (notification_late, correction_overdue)


@dataclass
class Alternative:
    changes: Assignment
    explanation: Explanation
    deadlines: tuple[Deadline, ...] = ()


def explain(
    ask: Ask, cases: list[Case], outcome: str | None = None, why_not_of: tuple[str, ...] = ()
) -> list[Explanation]:
    """Trees for the outcomes that hold (or only ``outcome``, which may also name a consequence:
    notification_late, notification_due, …); why-not for those named."""
    if ask.timeline is not None:
        return _on_timeline(ask, cases, outcome, why_not_of)
    with uncollected():  # many small objects and no cycles: the collector would walk the trees built so far
        return _explained(ask, cases, outcome, why_not_of)


def _explained(ask: Ask, cases: list[Case], outcome: str | None, why_not_of: tuple[str, ...]) -> list[Explanation]:
    consequence = outcome if outcome in vocab.vocabulary()["consequences"] else None
    explanations = []
    for case, (result, builder) in zip(cases, _built(ask, cases), strict=True):
        if consequence:
            trees = {consequence: builder.consequence(consequence)}
        else:
            trees = {o.outcome: builder.outcome(o.outcome) for o in result.outcomes if outcome in (None, o.outcome)}
        missing = {n: why_not(n, result, builder) for n in why_not_of}
        unknown = case.unknown_facts() if ask.open_world else []
        day = ask.day_of(case).date
        world = open_world(ask.rules, case, unknown, day, ask.effective_date) if unknown else None
        explanations.append(Explanation(case, result, trees, missing, world))
    _unknown_gives(ask, explanations)
    _verify(ask, explanations)
    return explanations


def _on_timeline(ask: Ask, cases: list[Case], outcome: str | None, why_not_of: tuple[str, ...]) -> list[Explanation]:
    """Under a timeline: each case explained by the rule set of the version it applied (the timeline gives
    that version's answer), the result naming the version, why, and the versions compared."""
    found = results(ask, [_closed(c) for c in cases])
    out: list[Explanation | None] = [None] * len(cases)
    groups: dict[str | None, list[int]] = {}
    for i, r in enumerate(found):
        if isinstance(r, RuleError):
            raise r
        groups.setdefault(r.version, []).append(i)
    for version, positions in groups.items():
        under = replace(ask, rules=ask.timeline.rules_of(version) if ask.timeline else ask.rules, timeline=None)
        for i, e in zip(positions, explain(under, [cases[i] for i in positions], outcome, why_not_of), strict=True):
            r = found[i]
            assert isinstance(r, Result)
            e.result = replace(
                e.result, version=r.version, version_reason=r.version_reason, versions_consulted=r.versions_consulted
            )
            out[i] = e
    return [e for e in out if e is not None]


def _built(ask: Ask, cases: list[Case]) -> list[tuple[Result, TreeBuilder]]:
    """Each case's result and tree builder, on its date (Ask.day_of): the cases sharing a date are
    traced in one grounding."""
    rules = ask.rules
    out: list = [None] * len(cases)
    for day, positions in by_day(ask, cases).items():
        group = [cases[i] for i in positions]
        traced, shared = rules.tracer.trace([_closed(c) for c in group], day, ask.effective_date)
        for i, case, (result, trace) in zip(positions, group, traced, strict=True):
            out[i] = (result, TreeBuilder(case, trace, rules.tracer.infos, shared))
    return out


def _unknown_gives(ask: Ask, explanations: list[Explanation]) -> None:
    """Each unknown fact in a tree learns the disposition each of its values gives (the other unknowns
    read as false, as the tree reads them): all variants evaluated at once."""
    nodes = [
        (e, n) for e in explanations for t in e.trees.values() for r in t for n in r.walk() if n.status == "unknown"
    ]
    answered = results(ask, [_with(e.case, {n.atom[0]: v}) for e, n in nodes for v in (True, False)])
    for k, (_, node) in enumerate(nodes):
        pair = zip((True, False), answered[2 * k : 2 * k + 2], strict=True)
        node.gives = {v: a.disposition for v, a in pair if isinstance(a, Result)}


ROUNDS = 3  # a set that meets a rule's missing conditions may bring others into play (a11.p2 once a11.p1 holds)


def _verify(ask: Ask, explanations: list[Explanation]) -> None:
    """Every set of facts a why-not offers is re-evaluated (one run per round for all): with it, the
    candidate's clause grounds the outcome or is defeated for it. A set that does not verify is extended
    by what the candidate still lacks under it, for a few rounds; what never verifies is dropped."""
    pending = [(e, name, c, s) for e in explanations for name, cs in e.why_not.items() for c in cs for s in c.establish]
    kept: dict[int, list[dict[str, bool]]] = {}
    for round in range(ROUNDS):
        answered = results(ask, [_with(e.case, s) for e, _, _, s in pending])
        failed = []
        for item, a in zip(pending, answered, strict=True):
            _, name, c, s = item
            if isinstance(a, Result) and _grants(a, name, c.rule.clauses):
                kept.setdefault(id(c), []).append(s)
            else:
                failed.append(item)
        if not failed or round == ROUNDS - 1:
            break
        again = _built(ask, [_with(e.case, s) for e, _, _, s in failed])
        pending = [
            (e, name, c, {**s, **more})
            for (e, name, c, s), (result, builder) in zip(failed, again, strict=True)
            for later in why_not(name, result, builder)
            if later.rule.number == c.rule.number
            for more in later.establish
            if all(s.get(f, v) == v for f, v in more.items())
        ]
    for e in explanations:
        for cs in e.why_not.values():
            for c in cs:
                c.establish, c.verified = smallest(kept.get(id(c), [])), True


def _grants(result, outcome: str, clauses: tuple[str, ...]) -> bool:
    granted = [g for o in result.outcomes if o.outcome == outcome for g in o.grounds]
    granted += [g for d in result.defeated if d.outcome == outcome for g in d.grounds]
    return bool(set(clauses) & set(granted))


def held_fixed(to: str | None, fixed: tuple[str, ...] = (), free: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The facts a what-if does not change: those asked for, and FIXED_BY_DEFAULT unless freed or unless
    ``to`` is out_of_scope — the target only they can reach."""
    default = () if to == "out_of_scope" else FIXED_BY_DEFAULT
    return tuple(f for f in vocab.fact_ids() if (f in fixed or f in default) and f not in free)


def changeable(case: Case, *, actionable: bool, held: tuple[str, ...], free: tuple[str, ...] = ()) -> list[str]:
    """The facts a what-if may change. ``actionable``: only what the officer or the bureau can still do — an
    actionable fact not yet true (what was done cannot be undone) — and what ``free`` names."""
    done = set(case.true_facts())
    return [
        f
        for f in vocab.fact_ids()
        if f not in held and (not actionable or f in free or (vocab.fact_kind(f) == vocab.ACTIONABLE and f not in done))
    ]


def whatif(
    ask: Ask,
    case: Case,
    *,
    to: str | None = None,
    avoid: str | None = None,
    fixed: tuple[str, ...] = (),
    free: tuple[str, ...] = (),
    actionable: bool = False,
    max_changes: int | None = None,
    limit: int = 10,
    deadlines: bool = False,
) -> list[Alternative]:
    """All smallest sets of fact changes that reach the target, each verified by evaluation; with
    ``deadlines``, each alternative's dates still to come (see :func:`deadlines_of`)."""
    changes = minimal_changes(
        ask.rules,
        _closed(case),
        changeable(case, actionable=actionable, held=held_fixed(to, fixed, free), free=free),
        ask.day_of(case).date,
        to=to,
        avoid=avoid,
        max_changes=max_changes,
        limit=limit,
        effective_date=ask.effective_date,
    )
    explanations = explain(ask, [apply(case, c) for c in changes]) if changes else []  # one grounding
    alternatives = []
    for change, explanation in zip(changes, explanations, strict=True):
        disposition = explanation.result.disposition
        if (to and disposition != to) or (avoid and disposition == avoid):
            raise AssertionError(f"what-if alternative {change} does not verify: {disposition}")
        alternatives.append(Alternative(change, explanation))
    if deadlines and alternatives:
        for a, found in zip(alternatives, deadlines_of(ask, [a.explanation for a in alternatives]), strict=True):
            a.deadlines = found
    return alternatives


# A date the case may still get, and the consequence a late one brings (a14: notice later than the seven
# days; a17: correction after the deadline in force).
_LATE = {"notified": "notification_late", "correction_completed": "correction_overdue"}


def deadlines_of(ask: Ask, explanations: list[Explanation]) -> list[tuple[Deadline, ...]]:
    """Per explained case, the dates it does not have yet whose last good day is still to come: the day is
    read from the rules' answer, then checked by evaluating the case with that date (no lateness) and with
    the day after (late) — so it is the rules' boundary, not a count made here."""
    proposed: list[tuple[int, str, dt.date]] = []
    for i, e in enumerate(explanations):
        as_of = ask.day_of(e.case).date
        for key, day in _candidates(e.case, e.result):
            if day >= as_of and key not in e.case.dates:
                proposed.append((i, key, day))
    probes = [_dated(explanations[i].case, key, day + dt.timedelta(n)) for i, key, day in proposed for n in (0, 1)]
    found = results(ask, probes) if probes else []
    out: list[list[Deadline]] = [[] for _ in explanations]
    for j, (i, key, day) in enumerate(proposed):
        on, after = found[2 * j], found[2 * j + 1]
        if isinstance(on, Result) and isinstance(after, Result) and _late(after, key) and not _late(on, key):
            out[i].append(Deadline(key, day, _LATE[key]))
    return [tuple(d) for d in out]


def _candidates(case: Case, result: Result) -> list[tuple[str, dt.date]]:
    """Where the last good day may be: the notice's due day as the rules give it (notification_due), the
    case's own correction deadlines (which one is in force is the rules' to say: only it passes the check)."""
    found = [
        ("notified", dt.date.fromisoformat(str(c.args[0])))
        for c in result.consequences
        if c.consequence == "notification_due" and c.args
    ]
    found += [
        ("correction_completed", case.dates[k]) for k in ("correction_deadline", "extended_deadline") if k in case.dates
    ]
    return found


def _late(result: Result, key: str) -> bool:
    return any(c.consequence == _LATE[key] for c in result.consequences)


def _dated(case: Case, key: str, day: dt.date) -> Case:
    return case.model_copy(update={"dates": {**case.dates, key: day}})


def apply(case: Case, change: Assignment) -> Case:
    facts = {**case.facts, **{f: True for f in change.true}, **{f: False for f in change.false}}
    return case.model_copy(update={"facts": facts})


def _with(case: Case, values: dict[str, bool]) -> Case:
    """The closed case with some facts set."""
    closed = _closed(case)
    return closed.model_copy(update={"facts": {**closed.facts, **values}})


def _closed(case: Case) -> Case:
    """The case with its unknown facts false: the trace explains the closed-world reading,
    the open-world summary says what the unknowns could change."""
    if not case.unknown_facts():
        return case
    return case.model_copy(update={"facts": {f: v is True for f, v in case.facts.items()}})
