"""Why not: every rule that could derive an outcome, with the conditions that
fail in this case and the defeaters that block it — read from the trace."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Literal, Result, RuleInfo, Trace
from ..model import measure

# The contract of measure/rules/_mechanism/outcomes.lp: outcomes are derived as grant/4 and ground/4.
OUTCOME_HEADS = ("grant", "ground")


@dataclass(frozen=True)
class Condition:
    literal: Literal
    status: str  # missing (no instance) | blocking (a negation violated) | apart (no joint instance)


@dataclass(frozen=True)
class Candidate:
    rule: RuleInfo
    conditions: tuple[Condition, ...]
    blocked_by: tuple[str, ...]  # clauses whose defeat blocks this rule's grant


def conditions(info: RuleInfo, trace: Trace) -> tuple[Condition, ...]:
    """What stops rule ``info`` for this case, literal by literal."""
    n = info.number
    found = []
    for i, lit in enumerate(info.body):
        if lit.kind == "atom" and (n, i) not in trace.some:
            found.append(Condition(lit, "missing"))
        elif lit.kind in ("neg", "cmp") and (n, i) in trace.fails:
            found.append(Condition(lit, "blocking"))
    if not found and n not in trace.joint:
        found = [Condition(lit, "apart") for lit in info.body if lit.kind == "atom"]
    return tuple(found)


def why_not(outcome: str, result: Result, trace: Trace, infos: dict[int, RuleInfo]) -> list[Candidate]:
    """Empty when the outcome holds; otherwise every candidate rule and what stops it."""
    if result.outcome(outcome):
        return []
    out = []
    for info in infos.values():
        if info.head not in OUTCOME_HEADS or len(info.head_args) < 2 or not info.clauses:
            continue
        if info.head_args[1] not in (outcome,) and not info.head_args[1][:1].isupper():
            continue
        fired = [
            h
            for h, ds in trace.derivations.items()
            if h[0] == info.head and h[2] == outcome and any(n == info.number for n, _ in ds)
        ]
        blocked = tuple(
            sorted({b[-1] for b in trace.derivations if b[0] == "blocked" for h in fired if b[1:5] == h[1:5]})
        )
        out.append(Candidate(info, () if fired else conditions(info, trace), blocked))
    return out


def derivers(infos: dict[int, RuleInfo]) -> dict[str, tuple[str, ...]]:
    """For each derived predicate, the clauses its rules cite (to name a missing condition)."""
    found: dict[str, set[str]] = {}
    for info in infos.values():
        found.setdefault(info.head, set()).update(info.clauses)
    return {p: tuple(sorted(c, key=measure.order)) for p, c in found.items() if c}
