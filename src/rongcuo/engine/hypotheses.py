"""One case with some facts left open: what could change it, what it depends on.

Both are solver searches over the same case program, with the
case's facts turned into choices:

- what-if: every fact not held fixed may flip; clingo minimises the number of
  flips under the target (``to`` as disposition, or ``avoid`` it) and
  enumerates all optimal sets of flips;
- open world: the unknown facts are free choices; brave and cautious
  consequences give the possible and the certain outcomes, and, per possible
  disposition, the values of the unknowns that every such answer shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import clingo
from clingo import ast

from ..model.case import Case
from .control import ground, solving
from .deadline import models
from .inputs import add_all, add_calendar, add_dates, params


def _statements() -> tuple[ast.AST, ...]:
    out: list[ast.AST] = []
    ast.parse_files([str(Path(__file__).with_name("hypotheses.lp"))], out.append)
    return tuple(out)


_EXTRA = _statements()


@dataclass(frozen=True)
class Assignment:
    """Values of facts: the ones set true and the ones set false."""

    true: frozenset[str]
    false: frozenset[str]


def _control(
    rules,
    case: Case,
    free: Iterable[str],
    as_of: dt.date,
    effective_date: dt.date | None,
    goals: list[clingo.Symbol],
    arguments: list[str],
) -> clingo.Control:
    """Case 0 with its true facts given, the ``free`` ones open, and the atoms of what is asked (target, avoid, …)."""
    ctl = rules.control(arguments, _EXTRA)
    with ctl.backend() as backend:
        add_all(backend, [clingo.Function("case", [clingo.Number(0)]), *params(as_of, effective_date)])
        add_dates(backend, 0, case)
        add_calendar(backend, [case])
        add_all(backend, [clingo.Function("given", [clingo.Function(f)]) for f in case.true_facts()])
        add_all(backend, [clingo.Function("free", [clingo.Function(f)]) for f in free])
        add_all(backend, goals)
    ground(ctl)
    return ctl


def minimal_changes(
    rules,
    case: Case,
    free: Iterable[str],
    as_of: dt.date,
    *,
    to: str | None = None,
    avoid: str | None = None,
    max_changes: int | None = None,
    limit: int = 10,
    effective_date: dt.date | None = None,
) -> list[Assignment]:
    """All smallest sets of fact flips that make ``to`` the disposition (or avoid ``avoid``)."""
    inputs = [clingo.Function("optimise_changes")]
    if to:
        inputs.append(clingo.Function("target", [clingo.Function(to)]))
    if avoid:
        inputs.append(clingo.Function("avoid", [clingo.Function(avoid)]))
    if max_changes is not None:
        inputs.append(clingo.Function("max_changes", [clingo.Number(max_changes)]))
    ctl = _control(rules, case, free, as_of, effective_date, inputs, ["--opt-mode=optN", "--models=0"])
    given = set(case.true_facts())
    found: list[Assignment] = []
    with ctl.solve(yield_=True, async_=True) as handle:
        for model in models(handle):
            if not model.optimality_proven:
                continue
            flips = {s.arguments[0].name for s in model.symbols(shown=True) if s.name == "changed"}
            change = Assignment(frozenset(flips - given), frozenset(flips & given))
            if change not in found:
                found.append(change)
            if len(found) >= limit:
                break
    return sorted(found, key=lambda a: (sorted(a.true), sorted(a.false)))


@dataclass(frozen=True)
class OpenWorld:
    possible: frozenset[str]  # outcomes in some completion
    certain: frozenset[str]  # outcomes in every completion
    dispositions: dict[str, Assignment]  # per possible disposition: values it needs
    settles: dict[str, bool]  # … and whether those values settle it


def open_world(
    rules, case: Case, unknown: Iterable[str], as_of: dt.date, effective_date: dt.date | None = None
) -> OpenWorld:
    """Possible and certain outcomes over every completion of the unknown facts.

    One grounding answers most searches (the enumeration mode and assumed
    values of unknowns change per solve); what a disposition needs is asked of
    a grounding with that disposition as target.
    """
    unknown = sorted(unknown)
    ctl = _control(rules, case, unknown, as_of, effective_date, [], ["--models=0"])
    possible, certain = _ask(ctl, "brave"), _ask(ctl, "cautious")
    dispositions, settles = {}, {}
    for name in sorted(d for kind, d in possible if kind == "disposition"):
        target = [clingo.Function("target", [clingo.Function(name)])]
        needed = _ask(_control(rules, case, unknown, as_of, effective_date, target, ["--models=0"]), "cautious")
        assignment = Assignment(
            frozenset(f for kind, f in needed if kind == "fact" and f in unknown),
            frozenset(f for kind, f in needed if kind == "unknown_false"),
        )
        dispositions[name] = assignment
        fixed = [(_fact(f), True) for f in assignment.true] + [(_fact(f), False) for f in assignment.false]
        settles[name] = {d for kind, d in _ask(ctl, "brave", fixed) if kind == "disposition"} == {name}
    return OpenWorld(_outcomes(possible), _outcomes(certain), dispositions, settles)


def _ask(ctl: clingo.Control, mode: str, assumptions=()) -> list[tuple[str, str]]:
    solving(ctl).enum_mode = mode
    return [
        (s.name, s.arguments[-1].name)
        for s in _last(ctl, assumptions)
        if s.name in ("outcome", "disposition", "fact", "unknown_false")
    ]


def _fact(name: str) -> clingo.Symbol:
    return clingo.Function("fact", [clingo.Number(0), clingo.Function(name)])


def _outcomes(atoms: list[tuple[str, str]]) -> frozenset[str]:
    return frozenset(name for kind, name in atoms if kind == "outcome")


def _last(ctl: clingo.Control, assumptions=()) -> list[clingo.Symbol]:
    """Brave/cautious reasoning refines one model; the last one is the answer."""
    last: list[clingo.Symbol] = []
    with ctl.solve(assumptions=list(assumptions), yield_=True, async_=True) as handle:
        for model in models(handle):
            last = list(model.symbols(shown=True))
    return last
