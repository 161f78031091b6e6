"""The scenario space: every case the vocabulary can state, as one program.

Case 0 ranges over every combination of the vocabulary's true/false facts
(a choice rule); its dates, the evaluation date (``as_of``) and the measure's
commencement (``effective_date``) range over a small set of consecutive days.
A *twin*, case 1, equals case 0 except for the facts ``_flip/1`` makes false,
so "does this fact ever change anything?" is one search.

The caller adds the rules under test (see :mod:`.versions`) and asks
questions as assumptions on atoms; the program's ``#external`` atoms are
switches, false unless a question assumes them. An answer is a minimal
scenario — fewest true facts, then fewest dates, then the earliest days — or
``None`` when no scenario exists: the search was unsatisfiable, a proof over
the whole space rather than a sample.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import clingo
from clingo import ast

from ...model import vocabulary as vocab
from ..control import control
from ..inputs import FACT_NUMBER, INPUT, add_all, value
from ..program import parse

# The input predicates the space states: facts and dates are chosen directly (no
# word/3, no dates/7), and labels need many cases.
PRODUCED = INPUT - {("word", 3), ("dates", 7), ("bit", 3), ("label", 3)}
HERE = Path(__file__).parent


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


class Space:
    """The space of one case (and its twin), ground once with the caller's rules."""

    def __init__(self, statements: Sequence[ast.AST], *, days: int, twin: bool = False, facts: Iterable[str] = ()):
        self._ctl = control([*programs("space.lp", *(["twin.lp"] if twin else [])), *statements], ["--opt-mode=opt"])
        with self._ctl.backend() as backend:
            add_all(backend, [clingo.Function("_date_key", [clingo.Function(key)]) for key in vocab.date_keys()])
            add_all(backend, [clingo.Function("_day", [clingo.Number(d)]) for d in range(days)])
            add_all(backend, [clingo.parse_term(text) for text in facts])
        self._ctl.ground([("base", [])])
        # Externals are switches: false unless a question assumes them (see find).
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
        return None if symbols is None else _scenario(symbols)

    def holds(self, *assume: str) -> bool:
        """Whether some scenario makes the atoms ``assume`` hold (no witness: the fastest question)."""
        return self._solve(assume, False) is not None

    def find_any(self, atoms: Iterable[str], *assume: str) -> Scenario | None:
        """Any scenario where at least one of ``atoms`` holds (and ``assume``), or None."""
        literals = [lit for text in atoms if (lit := self._literal(text))]
        if not literals:
            return None
        with self._ctl.backend() as backend:
            goal = backend.add_atom()
            for lit in literals:
                backend.add_rule([goal], [lit])
        symbols = self._solve(assume, False, [goal])
        return None if symbols is None else _scenario(symbols)

    def _solve(self, assume: Iterable[str], minimal: bool, literals: Sequence[int] = ()):
        literals = list(literals)
        for text in assume:
            literal = self._literal(text)
            if literal is None:
                return None  # the grounder already knows the atom cannot hold
            literals.append(literal)
        on = set(literals)
        literals += [-lit for lit in self._switches.values() if lit not in on]
        solve = self._ctl.configuration.solve
        solve.opt_mode, solve.models = ("opt", "0") if minimal else ("ignore", "1")
        best = None
        with self._ctl.solve(assumptions=literals, yield_=True) as handle:
            for model in handle:
                best = model.symbols(shown=True)
        return best

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


def _scenario(symbols: Sequence[clingo.Symbol]) -> Scenario:
    facts, dates, params, atoms = set(), {}, {}, []
    for s in symbols:
        if s.match("fact", 2):
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
    return Scenario(ordered, dates, params, tuple(sorted(atoms, key=str)), tuple(symbols))
