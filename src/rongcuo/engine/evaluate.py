"""The evaluation fast path: many cases in one grounding, the facts-only part remembered.

The rules are split at the dates (engine.split): the bottom, which reads facts
only, is grounded once per distinct fact set and its answer remembered; the top
is grounded for every case of a call in one program, on the case's dates and
the bottom atoms it reads (the interface). The answer is read back by
engine.read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import clingo
from clingo import ast

from ..model.case import Case
from ..model.result import Result
from .control import control, one_answer
from .inputs import add_all, add_calendar, add_dates, add_fact, add_facts, add_labels, fact_words, number, params
from .read import Shared, by_case, read_results
from .split import Split, split

MEMORY = 20_000  # fact sets remembered per rule set (a bureau's cases share far fewer)


@dataclass(frozen=True)
class FactReading:
    """What the bottom of the split gives one fact set: the shown atoms, and the
    interface atoms (name, arguments after the case index) the dated rules read."""

    shown: Shared
    interface: tuple[tuple[str, tuple[clingo.Symbol, ...]], ...]


class Evaluator:
    """The split of one rule set and the memory of the fact sets it has seen."""

    def __init__(self, statements: Sequence[ast.AST], profile: str, digest: str):
        self.statements, self.profile, self.digest = statements, profile, digest
        self._memory: dict[frozenset, FactReading] = {}

    @property
    def name(self) -> str:
        return f"{self.digest} ({self.profile})"

    def evaluate(
        self,
        cases: Sequence[Case],
        as_of: dt.date,
        effective_date: dt.date | None = None,
        recurrence: tuple[int, int] | None = None,
    ) -> list[Result]:
        """Every case in one grounding of the top; results in input order."""
        readings = self._fact_readings(cases)
        ctl = control(self._split.top)
        with ctl.backend() as backend:
            add_all(backend, params(as_of, effective_date, recurrence))
            add_all(backend, self._static_interface)
            add_calendar(backend, cases)
            for index, (case, reading) in enumerate(zip(cases, readings, strict=True)):
                add_dates(backend, index, case)
                for name, args in reading.interface:
                    add_fact(backend, clingo.Function(name, [number(index), *args]))
                if recurrence:
                    add_labels(backend, index, case)
        ctl.ground([("base", [])])
        atoms = [str(s) for s in one_answer(ctl, self.name)[0]]
        return read_results(atoms, cases, self.profile, self.digest, as_of, [r.shown for r in readings])

    @cached_property
    def _split(self) -> Split:
        return split(self.statements)

    @cached_property
    def _static_interface(self) -> tuple[clingo.Symbol, ...]:
        """The interface atoms no case carries (tables the dated rules read): the bottom without cases."""
        ctl = control(self._split.bottom)
        ctl.ground([("base", [])])
        return tuple(one_answer(ctl, self.name, self._split.interface)[1])

    def _fact_readings(self, cases: Sequence[Case]) -> list[FactReading]:
        """What the bottom gives each case, grounding only the fact sets not seen before."""
        if len(self._memory) > MEMORY:
            self._memory.clear()  # bounded memory for endless novel inputs
        keys = [frozenset(case.facts.items()) for case in cases]  # cheaper than the words, as good a key
        found = {k: self._memory.get(k) for k in keys}  # read once: another thread may clear the memory
        new = {k: case for k, case in zip(keys, cases, strict=True) if found[k] is None}
        if new:
            for key, reading in zip(new, self._ground_bottom(list(new.values())), strict=True):
                found[key] = self._memory[key] = reading
        return [found[k] for k in keys]  # type: ignore[misc]  # every key is found by now

    def _ground_bottom(self, cases: list[Case]) -> list[FactReading]:
        ctl = control(self._split.bottom)
        with ctl.backend() as backend:
            for index, case in enumerate(cases):
                add_facts(backend, index, fact_words(case))
        ctl.ground([("base", [])])
        shown, kept = one_answer(ctl, self.name, self._split.interface)
        own = by_case([str(s) for s in shown])
        static = set(self._static_interface)
        interface: dict[int, list] = {}
        for symbol in kept:
            if symbol not in static and symbol.arguments[0].type == clingo.SymbolType.Number:
                interface.setdefault(symbol.arguments[0].number, []).append((symbol.name, tuple(symbol.arguments[1:])))
        return [
            FactReading(Shared.of(own.get(index, ())), tuple(interface.get(index, ()))) for index in range(len(cases))
        ]
