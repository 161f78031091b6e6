"""Point-in-time evaluation: every version of a timeline grounded in one program.

Each version's rule set is tagged with its id (engine.space.versions: ``p(X…)`` →
``p(V, X…)``, its ``#show`` → ``_shown(V, C, p, (X…))``), so all versions are
ground over the same cases; ``timeline.lp`` finds the version in force at each
case's conduct and determination dates and shows the atoms of the version that
applies; which one applies is interpretation question Q12, the profile's
``readings/q12_*.lp`` (taken from the first version's rule set, out of every
version's tagged copy). Python reads the answer and decides nothing.

Two ways to the same answer. :meth:`Timeline.whole` grounds that one program
(the reference: every version of every case). :meth:`Timeline.evaluate`, the
fast path, evaluates each version on its own fast path (each a RuleSet with its
compiled evaluator), and a case only under the versions in force at its
moments — one version for most cases, two for a case whose conduct and
determination fall in different versions — then runs the Q12 reading itself,
in clingo, over what it reads: ``case/1``, ``version/3``, ``version_at/3`` and
``version_disposition/3``, the last of a version in force at one of the
case's moments (read beside ``version_at/3``, as every bundled reading reads it). The reading's
answer for one combination of versions and dispositions is the answer of every
case with that combination (the rules are case-local), so it is grounded once
per combination and remembered. Python finds the version in force on a day
(the timeline file's partition of time, as timeline.lp's ``version_at/3``) and
never which disposition is more favourable, nor which version applies.
A reading that reads anything else or another version's disposition, or
versions that overlap, take the whole program (:attr:`Timeline.fallback` says why).
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
from .control import control, ground, one_answer
from .evaluate import uncollected
from .inputs import add_all, add_case, params
from .program import RuleSet
from .read import SHORT, by_case, read_results
from .space.versions import versioned
from .syntax import Signature, atoms, signatures

LAYER = Path(__file__).with_name("timeline.lp")
TRANSITION = "readings/q12_"  # the files of Q12: read by the timeline layer, not tagged per version
# What the layer shows besides a rule set's atoms: read here, never by engine.read.
_END = clingo.Supremum  # an open end: in force ever after
OWN = ("applies(", "version_reason(", "consulted(", "version_disposition(")
# What a Q12 reading may read for the fast path: the layer's version_at/3 and version_disposition/3, the
# timeline's version/3, and case/1 (besides what the reading itself defines).
CHOICE_INPUT: frozenset[Signature] = frozenset(
    {("case", 1), ("version", 3), ("version_at", 3), ("version_disposition", 3)}
)
CHOICES = 4_096  # combinations of versions and dispositions remembered (a timeline has a handful)
Choice = tuple[str | None, str | None, tuple[tuple[str, str], ...]]  # version applied, why, versions consulted


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
        source: bytes | None = None,
    ):
        """``source_digest``: the sha256 of the timeline file (``source``: its bytes, which the decision log
        stores); ``notes``: what it says of each version, by language (shown, never read by the rules)."""
        self.spans, self.profile = tuple(spans), profile
        self.source_digest, self.source = source_digest, source
        self.notes: dict[str, Mapping[str, str]] = dict(notes or {})
        self._remembered: dict[tuple, Choice] = {}  # Q12's answer by combination of versions and dispositions
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
        """Every case's result under the version Q12 applies, naming it and why: each version on its own
        fast path, Q12 in clingo over the versions' dispositions (:meth:`whole`'s answer, case by case)."""
        if self.fallback is not None:
            return self.whole(cases, as_of, effective_date)
        with uncollected():  # as the versions' own evaluations: many small objects, no cycles
            return self._per_version(cases, as_of, effective_date)

    def _per_version(self, cases: Sequence[Case], as_of: dt.date, effective_date: dt.date | None) -> list[Result]:
        at = self._moments(cases, as_of)
        needed: dict[int, list[int]] = {}  # span → the positions of the cases it is in force for at a moment
        for i, (conduct, determination) in enumerate(at):
            if conduct is not None:
                needed.setdefault(conduct, []).append(i)
            if determination is not None and determination != conduct:
                needed.setdefault(determination, []).append(i)
        under: dict[int, dict[int, Result]] = {}
        for span, positions in needed.items():
            found = self.spans[span].rules.evaluate([cases[i] for i in positions], as_of, effective_date)
            under[span] = dict(zip(positions, found, strict=True))
        keys = [
            (
                c,
                d,
                under[c][i].disposition if c is not None else None,
                under[d][i].disposition if d is not None else None,
            )
            for i, (c, d) in enumerate(at)
        ]
        choices = self._choices(set(keys))
        index = {s.id: n for n, s in enumerate(self.spans)}
        short = self.digest
        out: list[Result | None] = []
        other: list[int] = []  # the cases whose reading applies no version, several, or one not evaluated for them
        for i, key in enumerate(keys):
            version, reason, consulted = choices[key]
            applied = under.get(index.get(version, -1), {}).get(i) if version is not None else None
            if applied is None:
                out.append(None)
                other.append(i)
                continue
            # What replace(applied, profile=…, rules=…, version=…) gives, without its cost per case: the
            # version's answer under the timeline's name, with the version applied, why, and those consulted.
            out.append(
                Result(
                    applied.case,
                    self.profile,
                    short,
                    applied.as_of,
                    applied.disposition,
                    applied.disposition_modality,
                    applied.outcomes,
                    applied.consequences,
                    applied.defeated,
                    applied.contradictions,
                    self.sha256,
                    version,
                    reason,
                    consulted,
                )
            )
        if other:
            for i, result in zip(other, self.whole([cases[i] for i in other], as_of, effective_date), strict=True):
                out[i] = result
        return out  # type: ignore[return-value]  # every position is filled by now

    def whole(self, cases: Sequence[Case], as_of: dt.date, effective_date: dt.date | None = None) -> list[Result]:
        """As :meth:`evaluate`, every version of every case grounded in one program (the reference)."""
        ctl = control(self.statements)
        with ctl.backend() as backend:
            add_all(backend, params(as_of, effective_date))
            add_all(backend, self._version_atoms)
            for index, case in enumerate(cases):
                add_case(backend, index, case)
        ground(ctl)
        atoms = [str(s) for s in one_answer(ctl, self.name)[0]]
        own = by_case([a for a in atoms if a.startswith(OWN)])
        shown = [a for a in atoms if not a.startswith(OWN)]
        results = read_results(shown, cases, self.profile, self.sha256, as_of)
        order = {s.id: n for n, s in enumerate(self.spans)}
        return [_versioned(result, own.get(i, ()), order) for i, result in enumerate(results)]

    @cached_property
    def fallback(self) -> str | None:
        """Why :meth:`evaluate` grounds the whole program (None: each version on its own path)."""
        defined = {sig for s in self._transition if s.ast_type == ast.ASTType.Rule for sig in signatures(s.head)}
        read = {sig for s in self._transition for sig in signatures(s)} - defined - CHOICE_INPUT
        if read:
            names = ", ".join(f"{name}/{arity}" for name, arity in sorted(read))
            return f"the Q12 reading reads {names}, not only the versions' dispositions"
        if not all(_at_a_moment(s) for s in self._transition):
            return "the Q12 reading reads the disposition of a version not in force at one of the case's moments"
        bounds = sorted((_day_or(s.start, -(1 << 62)), _day_or(s.end, 1 << 62)) for s in self.spans)
        if any(end > start for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False)):
            return "two versions are in force on one day"
        return None

    def _moments(self, cases: Sequence[Case], as_of: dt.date) -> list[tuple[int | None, int | None]]:
        """Each case's span in force at its conduct and at its determination (the decision date, else the
        evaluation date), as timeline.lp's moment/3 and version_at/3 find them; None: no date, or no
        version in force."""
        found: dict[dt.date | None, int | None] = {None: None}

        def span_on(date: dt.date | None) -> int | None:
            if date not in found:
                d = day(date)  # type: ignore[arg-type]  # None is found already
                found[date] = next((n for n, (start, end) in enumerate(self._bounds) if start <= d < end), None)
            return found[date]

        out = []
        for case in cases:
            dates = case.dates
            out.append((span_on(dates.get("conduct")), span_on(dates.get("decision") or as_of)))
        return out

    @cached_property
    def _bounds(self) -> tuple[tuple[int, int], ...]:
        return tuple((_day_or(s.start, -(1 << 62)), _day_or(s.end, 1 << 62)) for s in self.spans)

    def _choices(self, keys: set[tuple]) -> dict[tuple, Choice]:
        """What the Q12 reading gives each combination (conduct span, determination span, the disposition
        under each): grounded in clingo for the combinations not seen before, one pseudo-case each."""
        if len(self._remembered) > CHOICES:
            self._remembered.clear()
        new = [k for k in keys if k not in self._remembered]
        if new:
            ctl = control(self._choice_program)
            with ctl.backend() as backend:
                add_all(backend, self._version_atoms)
                for n, (conduct, determination, under_conduct, under_determination) in enumerate(new):
                    c = clingo.Number(n)
                    add_all(backend, [clingo.Function("case", [c])])
                    for moment, span, disposition in (
                        ("conduct", conduct, under_conduct),
                        ("determination", determination, under_determination),
                    ):
                        if span is None:
                            continue
                        v = clingo.Function(self.spans[span].id)
                        add_all(backend, [clingo.Function("version_at", [c, clingo.Function(moment), v])])
                        if disposition is not None:
                            d = clingo.Function(disposition)
                            add_all(backend, [clingo.Function("version_disposition", [c, v, d])])
            ground(ctl)
            own = by_case([str(s) for s in one_answer(ctl, self.name)[0]])
            order = {s.id: n for n, s in enumerate(self.spans)}
            for n, key in enumerate(new):
                self._remembered[key] = _choice(own.get(n, ()), order)
        return {k: self._remembered[k] for k in keys}

    @cached_property
    def _choice_program(self) -> tuple[ast.AST, ...]:
        """The Q12 reading and what it shows: applies/2, version_reason/2, consulted/2, version_disposition/3."""
        out: list[ast.AST] = list(self._transition)
        ast.parse_string(
            "#show applies/2. #show version_reason/2. #show consulted/2. #show version_disposition/3.", out.append
        )
        return tuple(out)


def _at_a_moment(statement: ast.AST) -> bool:
    """Every version_disposition(C, V, D) the statement reads is of a version in force at one of the
    case's moments: its body also holds version_at(C, K, V), the same C and V (the fast path evaluates a
    case under those versions only)."""
    if statement.ast_type != ast.ASTType.Rule:
        return True
    at = set()
    for literal in statement.body:
        if literal.ast_type == ast.ASTType.Literal and literal.sign == ast.Sign.NoSign:
            for name, args in atoms(literal):
                if (name, len(args)) == ("version_at", 3):
                    at.add((str(args[0]), str(args[2])))
    for name, args in atoms(statement):
        if (name, len(args)) == ("version_disposition", 3) and (str(args[0]), str(args[1])) not in at:
            return False
    return True


def _day_or(d: dt.date | None, open_end: int) -> int:
    return open_end if d is None else day(d)


def _versioned(result: Result, atoms: Sequence[str], order: Mapping[str, int]) -> Result:
    """The result with the version applied, why, and the versions consulted (in the timeline's order)
    with their dispositions."""
    version, reason, consulted = _choice(atoms, order)
    return replace(result, version=version, version_reason=reason, versions_consulted=consulted)


def _choice(atoms: Sequence[str], order: Mapping[str, int]) -> Choice:
    """The version applied (None unless exactly one), why (likewise), and the versions consulted in the
    timeline's order with the disposition each gives, from a case's atoms of the layer."""
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
    return (applied[0] if len(applied) == 1 else None, reasons[0] if len(reasons) == 1 else None, consulted)


def _is_transition(statement: ast.AST) -> bool:
    return TRANSITION in Path(statement.location.begin.filename).as_posix()
