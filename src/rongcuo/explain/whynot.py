"""Why not: every rule that could derive an outcome, with what is missing for it in this case (down to
the facts, explain.absence), the smallest sets of facts that would establish it, and the defeaters that
block the grants that fired."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import CASE, Result, RuleInfo
from ..model import measure
from .absence import Sets, fact_sets
from .tree import Node, TreeBuilder

# The contract of measure/rules/_mechanism/outcomes.lp: outcomes are derived as grant/4 and ground/4.
OUTCOME_HEADS = ("grant", "ground")


@dataclass
class Candidate:
    rule: RuleInfo
    conditions: list[Node]  # what is missing (status fails), each down to the facts
    blocked_by: tuple[str, ...]  # clauses whose grants block this rule's grant
    establish: Sets = field(default_factory=list)  # the smallest sets of facts that would make the rule fire
    verified: bool = False  # each set re-evaluated: the rule's clause then grounds or is defeated for the outcome


def why_not(outcome: str, result: Result, builder: TreeBuilder) -> list[Candidate]:
    """Empty when the outcome holds; otherwise every candidate rule and what stops it."""
    if result.outcome(outcome):
        return []
    fired_by, blocking = _fired(builder.trace.derivations)
    out = []
    for info in builder.infos.values():
        if info.head not in OUTCOME_HEADS or len(info.head_args) < 2 or not info.clauses:
            continue
        if info.head_args[1] != outcome and not info.head_args[1][:1].isupper():
            continue
        fired = [h for h in fired_by.get(info.number, ()) if h[0] == info.head and h[2] == outcome]
        if fired:
            blocked = {b[-1] for b in blocking for h in fired if b[1:5] == h[1:5]}
            out.append(Candidate(info, [], tuple(sorted(blocked, key=measure.order))))
            continue
        head = (info.head, CASE, outcome, *([None] * (len(info.head_args) - 2)))
        ways = [w for w in builder.absence.why(head) if w.rule is info]
        conditions = [builder.stop(s, "fails") for w in ways for s in w.stops]
        out.append(Candidate(info, conditions, (), fact_sets(ways)))
    return out


def _fired(derivations: dict) -> tuple[dict[int, list], list]:
    """The atoms each rule derived (in the trace's order), and the blocked/N atoms."""
    by_rule: dict[int, dict] = {}
    for atom, found in derivations.items():
        for number, _ in found:
            by_rule.setdefault(number, {})[atom] = None
    return {n: list(atoms) for n, atoms in by_rule.items()}, [a for a in derivations if a[0] == "blocked"]


def derivers(infos: dict[int, RuleInfo]) -> dict[str, tuple[str, ...]]:
    """For each derived predicate, the clauses its rules cite (to name a missing condition)."""
    found: dict[str, set[str]] = {}
    for info in infos.values():
        found.setdefault(info.head, set()).update(info.clauses)
    return {p: tuple(sorted(c, key=measure.order)) for p, c in found.items() if c}
