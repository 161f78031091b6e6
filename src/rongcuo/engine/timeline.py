"""Point-in-time evaluation: every version of a timeline grounded in one program.

Each version's rule set is tagged with its id (engine.space.versions: ``p(X…)`` →
``p(V, X…)``, its ``#show`` → ``_shown(V, C, p, (X…))``), so all versions are
ground over the same cases; ``timeline.lp`` finds the version in force at each
case's conduct and determination dates and shows the atoms of the version that
applies; which one applies is interpretation question Q12, the profile's
``readings/q12_*.lp`` (taken from the first version's rule set, out of every
version's tagged copy). Python reads the answer and decides nothing.

This is the plain whole-program path (no split, no compiled bottom): a timeline
is opt-in (``--timeline``), and no fast path is asked to ignore it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import clingo
from clingo import ast

from ..model.case import Case
from ..model.days import day
from ..model.result import Result
from .control import control, one_answer
from .inputs import add_all, add_case, params
from .program import RuleSet
from .read import SHORT, by_case, read_results
from .space.versions import versioned

LAYER = Path(__file__).with_name("timeline.lp")
TRANSITION = "readings/q12_"  # the files of Q12: read by the timeline layer, not tagged per version
# What the layer shows besides a rule set's atoms: read here, never by engine.read.
_END = clingo.Supremum  # an open end: in force ever after
OWN = ("applies(", "version_reason(", "consulted(", "version_disposition(")


@dataclass(frozen=True)
class Span:
    """One version of a timeline: in force from ``start`` (None: from the beginning) until ``end`` (exclusive)."""

    id: str  # an ASP constant
    start: dt.date | None
    end: dt.date | None
    rules: RuleSet = field(repr=False)


class Timeline:
    """Versions of the rules in force one after another, and Q12, as one program."""

    def __init__(
        self,
        spans: Sequence[Span],
        source_digest: str,
        profile: str,
        notes: Mapping[str, Mapping[str, str]] | None = None,
    ):
        """``notes``: what the timeline file says of each version, by language (shown, never read by the rules)."""
        self.spans, self.profile = tuple(spans), profile
        self.notes: dict[str, Mapping[str, str]] = dict(notes or {})
        h = hashlib.sha256(f"timeline {source_digest}\n".encode())
        for s in self.spans:
            h.update(f"version {s.id} {s.start} {s.end} {s.rules.sha256}\n".encode())
        h.update(LAYER.read_bytes())
        for statement in self._transition:
            h.update(str(statement).encode())
        self.sha256 = h.hexdigest()

    @property
    def digest(self) -> str:
        return self.sha256[:SHORT]

    @property
    def name(self) -> str:
        return f"{self.digest} ({self.profile}, timeline)"

    def rules_of(self, version: str | None) -> RuleSet:
        """The rule set of a version (the first one for None)."""
        return next((s.rules for s in self.spans if s.id == version), self.spans[0].rules)

    @property
    def reading(self) -> str:
        """The Q12 reading the program takes, by its file's name (readings/q12_lenient.lp: q12_lenient);
        '' when the first version's rule set has none."""
        return ", ".join(sorted({Path(s.location.begin.filename).stem for s in self._transition}))

    @cached_property
    def _transition(self) -> tuple[ast.AST, ...]:
        return tuple(s for s in self.spans[0].rules.statements if _is_transition(s))

    @cached_property
    def statements(self) -> tuple[ast.AST, ...]:
        out: list[ast.AST] = []
        ast.parse_files([str(LAYER)], out.append)
        out.extend(self._transition)
        for span in self.spans:
            out.extend(versioned([s for s in span.rules.statements if not _is_transition(s)], span.id))
        return tuple(out)

    @cached_property
    def _version_atoms(self) -> list[clingo.Symbol]:
        def bound(d: dt.date | None, open_end: clingo.Symbol) -> clingo.Symbol:
            return open_end if d is None else clingo.Number(day(d))

        return [
            clingo.Function(
                "version", [clingo.Function(s.id), bound(s.start, clingo.Infimum), bound(s.end, clingo.Supremum)]
            )
            for s in self.spans
        ]

    def evaluate(self, cases: Sequence[Case], as_of: dt.date, effective_date: dt.date | None = None) -> list[Result]:
        """Every case's result under the version Q12 applies, naming it and why; one grounding for all."""
        ctl = control(self.statements)
        with ctl.backend() as backend:
            add_all(backend, params(as_of, effective_date))
            add_all(backend, self._version_atoms)
            for index, case in enumerate(cases):
                add_case(backend, index, case)
        ctl.ground([("base", [])])
        atoms = [str(s) for s in one_answer(ctl, self.name)[0]]
        own = by_case([a for a in atoms if a.startswith(OWN)])
        shown = [a for a in atoms if not a.startswith(OWN)]
        results = read_results(shown, cases, self.profile, self.sha256, as_of)
        order = {s.id: n for n, s in enumerate(self.spans)}
        return [_versioned(result, own.get(i, ()), order) for i, result in enumerate(results)]


def _versioned(result: Result, atoms: Sequence[str], order: Mapping[str, int]) -> Result:
    """The result with the version applied, why, and the versions consulted (in the timeline's order)
    with their dispositions."""
    args: dict[str, list[list[str]]] = {}
    for atom in atoms:  # "applies(v1)", "version_disposition(v1,exempt)"
        name, _, rest = atom.partition("(")
        args.setdefault(name, []).append(rest.rstrip(")").split(","))
    dispositions = {v: d for v, d in args.get("version_disposition", [])}
    applied = [v for (v,) in args.get("applies", [])]
    reasons = [r for (r,) in args.get("version_reason", [])]
    consulted = tuple(
        (v, dispositions.get(v, ""))
        for v in sorted((v for (v,) in args.get("consulted", [])), key=lambda v: order.get(v, len(order)))
    )
    return replace(
        result,
        version=applied[0] if len(applied) == 1 else None,
        version_reason=reasons[0] if len(reasons) == 1 else None,
        versions_consulted=consulted,
    )


def _is_transition(statement: ast.AST) -> bool:
    return TRANSITION in Path(statement.location.begin.filename).as_posix()
