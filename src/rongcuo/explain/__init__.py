"""Explanations: why, why not, what if, and what an incomplete record depends on.

Every answer is read from the solver (engine.trace, engine.hypotheses); this
package only arranges it for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ask import Ask, by_day
from ..engine import Assignment, OpenWorld, Result, minimal_changes, open_world
from ..model import vocabulary as vocab
from ..model.case import Case
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
    """Trees for the outcomes that hold (or only ``outcome``); why-not for those named. Each case on its date
    (Ask.day_of); the cases sharing a date are traced in one grounding."""
    rules = ask.rules
    out: list[Explanation | None] = [None] * len(cases)
    for day, positions in by_day(ask, cases).items():
        group = [cases[i] for i in positions]
        traced, shared = rules.tracer.trace([_closed(c) for c in group], day, ask.effective_date)
        infos = rules.tracer.infos
        for i, case, (result, trace) in zip(positions, group, traced, strict=True):
            builder = TreeBuilder(case, trace, infos, shared)
            trees = {o.outcome: builder.outcome(o.outcome) for o in result.outcomes if outcome in (None, o.outcome)}
            missing = {n: why_not(n, result, trace, infos) for n in why_not_of}
            unknown = case.unknown_facts() if ask.open_world else []
            world = open_world(rules, case, unknown, day, ask.effective_date) if unknown else None
            out[i] = Explanation(case, result, trees, missing, world)
    return [e for e in out if e is not None]


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


def _closed(case: Case) -> Case:
    """The case with its unknown facts false: the trace explains the closed-world reading,
    the open-world summary says what the unknowns could change."""
    if not case.unknown_facts():
        return case
    return case.model_copy(update={"facts": {f: v is True for f, v in case.facts.items()}})
