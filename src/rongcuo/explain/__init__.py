"""Explanations: why, why not, what if, and what an incomplete record depends on.

Every answer is read from the solver (engine.trace, engine.hypotheses); this
package only arranges it for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ask import Ask, by_day, results
from ..engine import Assignment, OpenWorld, Result, minimal_changes, open_world
from ..model import vocabulary as vocab
from ..model.case import Case
from .absence import smallest
from .tree import Node, TreeBuilder
from .whynot import Candidate, why_not

FIXED_BY_DEFAULT = ("enforcement_personnel",)


@dataclass
class Explanation:
    case: Case
    result: Result
    trees: dict[str, list[Node]]  # outcome → its grounds as trees
    why_not: dict[str, list[Candidate]]  # outcome that does not hold → candidate rules
    open_world: OpenWorld | None = None


@dataclass
class Alternative:
    changes: Assignment
    explanation: Explanation


def explain(
    ask: Ask, cases: list[Case], outcome: str | None = None, why_not_of: tuple[str, ...] = ()
) -> list[Explanation]:
    """Trees for the outcomes that hold (or only ``outcome``, which may also name a consequence:
    notification_late, notification_due, …); why-not for those named."""
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


def whatif(
    ask: Ask,
    case: Case,
    *,
    to: str | None = None,
    avoid: str | None = None,
    fixed: tuple[str, ...] = (),
    max_changes: int | None = None,
    limit: int = 10,
) -> list[Alternative]:
    """All smallest sets of fact changes that reach the target, each verified by evaluation."""
    keep = set(FIXED_BY_DEFAULT) | set(fixed)
    free = [f for f in vocab.fact_ids() if f not in keep]
    changes = minimal_changes(
        ask.rules,
        _closed(case),
        free,
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
    return alternatives


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
