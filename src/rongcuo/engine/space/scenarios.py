"""The scenario space: every case the vocabulary can state, as one program.

Case 0 ranges over every combination of the vocabulary's true/false facts
(a choice rule); its dates, the evaluation date (``as_of``) and the measure's
commencement (``effective_date``) range over a small set of consecutive days.
The official calendar over those days is real, not invented: day 0 is the
first day of one of the :data:`WINDOWS` of it, so a scenario's days are dates
(its ``anchor`` plus the day) and its witness runs under the same calendar.
The windows are chosen for what a period can meet: weekends and New Year's
Day (from 2024-01-01, preferred), a Sunday that is an adjusted working day and
the National Day holiday (from 2024-09-20), and the end of the calendar, after
which no day has a kind (the last covered days and those after them).
A *twin*, case 1, equals case 0 except for the facts ``_flip/1`` makes false,
so "does this fact ever change anything?" is one search.

The caller adds the rules under test (see :mod:`.versions`) and asks
queries as assumptions on atoms; the program's ``#external`` atoms are
switches, false unless a query assumes them. An answer is a minimal
scenario — fewest true facts, then fewest dates, then the earliest days — or
``None`` when no scenario exists: the search was unsatisfiable, a proof over
the whole space rather than a sample.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import clingo
from clingo import ast

from ...model import calendar
from ...model import vocabulary as vocab
from ...model.days import day
from ..control import control, ground, solving
from ..inputs import FACT_NUMBER, INPUT, SPAN, add_all, value
from ..program import parse

# The input predicates the space states: facts and dates are chosen directly (no
# word/3, no dates/7), and labels need many cases.
PRODUCED = INPUT - {("word", 3), ("dates", 7), ("label", 3)}
HERE = Path(__file__).parent
# Day 0 of the space in each calendar window (the first is preferred: it is every witness's anchor
# where the calendar makes no difference). The last starts ten days before the calendar ends.
WINDOWS = (dt.date(2024, 1, 1), dt.date(2024, 9, 20), calendar.LAST - dt.timedelta(days=10))


def programs(*names: str) -> tuple[ast.AST, ...]:
    """The drafting programs beside this module (space.lp, twin.lp, check.lp, diff.lp, observe.lp):
    trusted, they ship with rongcuo."""
    return parse([HERE / name for name in names], HERE, trusted=True)


@dataclass(frozen=True)
class Scenario:
    """One point of the space: case 0's true facts and days, and the other shown atoms."""

    facts: tuple[str, ...]
    dates: dict[str, int]
    params: dict[str, int]
    atoms: tuple[tuple, ...]  # shown atoms beyond the input, as values
    _symbols: tuple[clingo.Symbol, ...] = field(repr=False, compare=False)
    anchor: dt.date = WINDOWS[0]  # the date of day 0: the first day of the scenario's calendar window

    @property
    def symbols(self) -> tuple[clingo.Symbol, ...]:
        """Every shown atom of the scenario, as clingo gives it."""
        return self._symbols

    def date(self, offset: int) -> dt.date:
        return self.anchor + dt.timedelta(days=offset)


class Space:
    """The space of one case (and its twin), ground once with the caller's rules."""

    def __init__(
        self,
        statements: Sequence[ast.AST],
        *,
        days: int,
        twin: bool = False,
        facts: Iterable[str] = (),
        windows: Sequence[dt.date] = WINDOWS,
    ):
        """``windows``: the days 0 of the calendar windows (a transition's are around its switch)."""
        self._windows = tuple(windows)
        self._ctl = control([*programs("space.lp", *(["twin.lp"] if twin else [])), *statements], ["--opt-mode=opt"])
        with self._ctl.backend() as backend:
            add_all(backend, [clingo.Function("_date_key", [clingo.Function(key)]) for key in vocab.date_keys()])
            add_all(backend, [clingo.Function("_day", [clingo.Number(d)]) for d in range(days)])
            if days:
                add_all(backend, _calendar(days + SPAN, self._windows))
            add_all(backend, [clingo.parse_term(text) for text in facts])
        ground(self._ctl, _Context())
        # Externals are switches: false unless a query assumes them (see find).
        self._switches = {a.symbol: a.literal for a in self._ctl.symbolic_atoms if a.is_external}
        for symbol in self._switches:
            self._ctl.assign_external(symbol, None)

    def possible(self, name: str, arity: int) -> list[tuple]:
        """The atoms of this signature the grounder kept: all that any scenario can make true."""
        return sorted(
            (
                tuple(value(a) for a in atom.symbol.arguments)
                for atom in self._ctl.symbolic_atoms.by_signature(name, arity)
            ),
            key=str,
        )

    def find(self, *assume: str) -> Scenario | None:
        """A minimal scenario where the atoms ``assume`` hold (and no other switch is on), or None."""
        symbols = self._solve(assume, True)
        return None if symbols is None else _scenario(symbols, self._windows)

    def holds(self, *assume: str) -> bool:
        """Whether some scenario makes the atoms ``assume`` hold (no witness: the fastest query)."""
        return self._solve(assume, False) is not None

    def brave(self, name: str, arity: int, *assume: str, free: Iterable[str] = ()) -> set[clingo.Symbol]:
        """The atoms of ``name/arity`` some scenario makes true where ``assume`` holds: a family of
        questions in one search. They are clingo's brave consequences — the union of the answer sets,
        the last model of an exhausted search — over the atoms the program ``#project``s (its shown
        atoms if it projects none). ``free``: switches the solver may turn on (the program bounds how
        many at once); the other switches are off, as in find."""
        literals = self._assumptions(assume, free)
        if literals is None:
            return set()
        family = list(self._ctl.symbolic_atoms.by_signature(name, arity))
        held: list[clingo.Symbol] = []
        solve = solving(self._ctl)
        solve.enum_mode, solve.opt_mode, solve.models = "brave", "ignore", "0"
        try:
            result = self._ctl.solve(
                assumptions=literals, on_last=lambda m: held.extend(a.symbol for a in family if m.is_true(a.literal))
            )
        finally:
            solve.enum_mode = "auto"
        assert result.exhausted  # anything short of the whole search is no proof
        return set(held)

    def find_unexplained(
        self, name: str, arity: int, found: Sequence[frozenset[clingo.Symbol]], context=lambda symbol: False
    ) -> Scenario | None:
        """A minimal scenario with an atom of ``name/arity`` that the sets ``found`` so far do not explain.

        A set explains its atoms in a scenario where all of them hold, so a scenario whose atoms are a
        union of found sets has nothing new; the atoms ``context`` picks out need no explaining."""
        atoms = {a.symbol: a.literal for a in self._ctl.symbolic_atoms.by_signature(name, arity)}
        with self._ctl.backend() as backend:
            explained: dict[clingo.Symbol, int] = {}
            for held in found:
                if any(s not in atoms for s in held):
                    continue  # a set the grounder cannot make hold again explains nothing
                whole = backend.add_atom()
                backend.add_rule([whole], [atoms[s] for s in held])
                for s in held:
                    backend.add_rule([explained.setdefault(s, backend.add_atom())], [whole])
            goal = backend.add_atom()
            for s, literal in atoms.items():
                if not context(s):
                    backend.add_rule([goal], [literal, *([-explained[s]] if s in explained else [])])
        symbols = self._solve((), True, [goal])
        return None if symbols is None else _scenario(symbols, self._windows)

    def _solve(self, assume: Iterable[str], minimal: bool, goals: Sequence[int] = ()):
        literals = self._assumptions(assume, (), goals)
        if literals is None:
            return None
        solve = solving(self._ctl)
        solve.opt_mode, solve.models = ("opt", "0") if minimal else ("ignore", "1")
        best = None
        with self._ctl.solve(assumptions=literals, yield_=True) as handle:
            for model in handle:
                best = model.symbols(shown=True)
        return best

    def _assumptions(self, assume: Iterable[str], free: Iterable[str], goals: Sequence[int] = ()) -> list[int] | None:
        """``assume`` (and ``goals``) true, every switch not among them or ``free`` false; None where the
        grounder already knows an assumed atom cannot hold."""
        literals = list(goals)
        for text in assume:
            literal = self._literal(text)
            if literal is None:
                return None
            literals.append(literal)
        keep = {*literals, *(self._literal(text) for text in free)}
        return literals + [-lit for lit in self._switches.values() if lit not in keep]

    def _literal(self, text: str) -> int | None:
        atom = self._ctl.symbolic_atoms[clingo.parse_term(text)]
        return None if atom is None else atom.literal

    def exclude(self, scenario: Scenario, name: str, arity: int) -> None:
        """Rule out every scenario whose ``name/arity`` atoms are exactly those of ``scenario``."""
        held = {s for s in scenario._symbols if s.match(name, arity)}
        atoms = self._ctl.symbolic_atoms
        body = [a.literal if a.symbol in held else -a.literal for a in atoms.by_signature(name, arity)]
        with self._ctl.backend() as backend:
            backend.add_rule([], body)


class _Context:
    """The @-functions of the drafting programs."""

    @staticmethod
    def undated(term: clingo.Symbol) -> clingo.Symbol:
        """A term without its dates: f(day(D), X…) → f(X…), f(day(D)) → f (diff.lp's classes)."""
        if term.type != clingo.SymbolType.Function or not term.arguments:
            return term
        return clingo.Function(term.name, [a for a in term.arguments if not a.match("day", 1)], term.positive)


def _calendar(days: int, windows: Sequence[dt.date]) -> list[clingo.Symbol]:
    """_window(W) and _calendar(W, D, K): day D of window W is of kind K by the official calendar."""
    out = []
    for w, anchor in enumerate(windows):
        out.append(clingo.Function("_window", [clingo.Number(w)]))
        for d in range(days):
            if kind := calendar.kind_of_day(day(anchor) + d):
                out.append(clingo.Function("_calendar", [clingo.Number(w), clingo.Number(d), clingo.Function(kind)]))
    return out


def _scenario(symbols: Sequence[clingo.Symbol], windows: Sequence[dt.date]) -> Scenario:
    facts, dates, params, atoms = set(), {}, {}, []
    anchor = windows[0]
    for s in symbols:
        if s.match("_in_window", 1):
            anchor = windows[s.arguments[0].number]
        elif s.match("fact", 2):
            if s.arguments[0].number == 0:
                facts.add(s.arguments[1].name)
        elif s.match("date", 3):
            if s.arguments[0].number == 0:
                dates[s.arguments[1].name] = s.arguments[2].number
        elif s.match("param", 2):
            params[s.arguments[0].name] = s.arguments[1].number
        else:
            atoms.append((s.name, *(value(a) for a in s.arguments)))
    ordered = tuple(f for f in FACT_NUMBER if f in facts)
    return Scenario(ordered, dates, params, tuple(sorted(atoms, key=str)), tuple(symbols), anchor)
