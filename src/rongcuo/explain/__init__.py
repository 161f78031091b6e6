"""Explanations: why, why not, what if, and what an incomplete record depends on.

Every answer is read from the solver (engine.trace, engine.hypotheses); this
package only arranges it for the templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..engine import Assignment, OpenWorld, Result, RuleSet, minimal_changes, open_world
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
    rules: RuleSet,
    cases: list[Case],
    as_of: dt.date | None = None,
    outcome: str | None = None,
    why_not_of: tuple[str, ...] = (),
    effective_date: dt.date | None = None,
) -> list[Explanation]:
    """Trees for the outcomes that hold (or only ``outcome``); why-not for those named."""
    as_of = as_of or dt.date.today()
    traced, shared = rules.tracer.trace([_closed(c) for c in cases], as_of, effective_date)
    infos = rules.tracer.infos
    out = []
    for case, (result, trace) in zip(cases, traced, strict=True):
        builder = TreeBuilder(case, trace, infos, shared)
        trees = {o.outcome: builder.outcome(o.outcome) for o in result.outcomes if outcome in (None, o.outcome)}
        missing = {n: why_not(n, result, trace, infos) for n in why_not_of}
        unknown = case.unknown_facts() or None
        world = open_world(rules, case, unknown, as_of) if unknown else None
        out.append(Explanation(case, result, trees, missing, world))
    return out


def whatif(
    rules: RuleSet,
    case: Case,
    *,
    to: str | None = None,
    avoid: str | None = None,
    fixed: tuple[str, ...] = (),
    max_changes: int | None = None,
    as_of: dt.date | None = None,
    limit: int = 10,
    effective_date: dt.date | None = None,
) -> list[Alternative]:
    """All smallest sets of fact changes that reach the target, each verified by evaluation."""
    as_of = as_of or dt.date.today()
    keep = set(FIXED_BY_DEFAULT) | set(fixed)
    free = [f for f in vocab.fact_ids() if f not in keep]
    changes = minimal_changes(
        rules,
        _closed(case),
        free,
        as_of,
        to=to,
        avoid=avoid,
        max_changes=max_changes,
        limit=limit,
        effective_date=effective_date,
    )
    explanations = (
        explain(
            rules,
            [apply(case, c) for c in changes],
            as_of,  # one grounding
            effective_date=effective_date,
        )
        if changes
        else []
    )
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
