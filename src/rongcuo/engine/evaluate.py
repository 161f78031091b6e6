"""The evaluation fast path: many cases in one grounding, the facts-only part remembered.

The rules are split at the dates (engine.split): the bottom, which reads facts
only, is compiled — clingo's ground program of it for one case with free facts,
evaluated bit-parallel for all the call's cases (engine.compiled) — or, for a
rule set the compiled evaluator does not handle (Evaluator.fallback says why),
grounded once per distinct fact set and its answer remembered; the top is
grounded for every case of a call in one program, on the case's dates and the
bottom atoms it reads (the interface). The answer is read back by engine.read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import clingo
from clingo import ast

from ..model.case import Case
from ..model.result import Result
from .control import control, one_answer
from .inputs import (
    add_all,
    add_calendar,
    add_case,
    add_dates,
    add_fact,
    add_facts,
    add_labels,
    fact_words,
    number,
    params,
)
from .read import SHORT, Shared, by_case, read_results
from .split import Split, split

if TYPE_CHECKING:
    from .compiled import Program, Unsupported

MEMORY = 20_000  # fact sets remembered per rule set (a bureau's cases share far fewer)
# A first call with this few cases grounds the whole program once: splitting the rules (and two
# groundings) pays only when fact sets repeat, which a one-off `rongcuo evaluate CASE` never sees.
FEW = 4


@dataclass(frozen=True)
class FactReading:
    """What the bottom of the split gives one fact set: the shown atoms, and the
    interface atoms (name, arguments after the case index) the dated rules read."""

    shown: Shared
    interface: tuple[tuple[str, tuple[clingo.Symbol, ...]], ...]


class Evaluator:
    """The split of one rule set and the memory of the fact sets it has seen."""

    def __init__(
        self,
        statements: Sequence[ast.AST],
        profile: str,
        digest: str,
        relative: Callable[[str], str] = str,
        *,
        compiled: bool = True,
    ):
        """``compiled=False``: the facts-only rules always on clingo's path (what benchmarks compare with)."""
        self.statements, self.profile, self.digest, self.relative = statements, profile, digest, relative
        self._compile = compiled
        self._memory: dict[frozenset, FactReading] = {}

    @property
    def name(self) -> str:
        return f"{self.digest[:SHORT]} ({self.profile})"

    def evaluate(
        self,
        cases: Sequence[Case],
        as_of: dt.date,
        effective_date: dt.date | None = None,
        recurrence: tuple[int, int] | None = None,
    ) -> list[Result]:
        """Every case's result, in input order: the split path, or for a first call with few cases the whole program."""
        if len(cases) <= FEW and "_split" not in self.__dict__:
            return self.whole(cases, as_of, effective_date, recurrence)
        return self.split(cases, as_of, effective_date, recurrence)

    def split(
        self,
        cases: Sequence[Case],
        as_of: dt.date,
        effective_date: dt.date | None = None,
        recurrence: tuple[int, int] | None = None,
    ) -> list[Result]:
        """The bottom once per new fact set (remembered), every case in one grounding of the top."""
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

    def whole(
        self,
        cases: Sequence[Case],
        as_of: dt.date,
        effective_date: dt.date | None = None,
        recurrence: tuple[int, int] | None = None,
    ) -> list[Result]:
        """The whole program over a few cases: what the split gives them (Lifschitz–Turner), without its cost."""
        ctl = control(self.statements)
        with ctl.backend() as backend:
            add_all(backend, params(as_of, effective_date, recurrence))
            for index, case in enumerate(cases):
                add_case(backend, index, case)
                if recurrence:
                    add_labels(backend, index, case)
        ctl.ground([("base", [])])
        atoms = [str(s) for s in one_answer(ctl, self.name)[0]]
        return read_results(atoms, cases, self.profile, self.digest, as_of)

    @cached_property
    def _split(self) -> Split:
        return split(self.statements)

    @cached_property
    def _static_interface(self) -> tuple[clingo.Symbol, ...]:
        """The interface atoms no case carries (tables the dated rules read): the bottom without cases."""
        ctl = control(self._split.bottom)
        ctl.ground([("base", [])])
        return tuple(one_answer(ctl, self.name, self._split.interface)[1])

    @cached_property
    def compiled(self) -> Program | Unsupported:
        """The bottom as clingo's ground program, evaluated bit-parallel (engine.compiled), or why it is not."""
        from .compiled import Unsupported, compile_bottom  # numpy, for the calls that evaluate many cases

        if not self._compile:
            return Unsupported("not compiled: the evaluator was asked for clingo's path")
        split = self._split
        return compile_bottom(split.bottom, split.interface, self._static_interface, self.name, self.relative)

    @property
    def fallback(self) -> str | None:
        """Why the facts-only rules are grounded by clingo per fact set instead of compiled (None: compiled)."""
        from .compiled import Unsupported

        return str(self.compiled) if isinstance(self.compiled, Unsupported) else None

    def _fact_readings(self, cases: Sequence[Case]) -> list[FactReading]:
        """What the bottom gives each case: compiled, or grounded for the fact sets not seen before."""
        if self.fallback is None:
            return self.compiled.readings(cases)  # type: ignore[union-attr]  # compiled, not Unsupported
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
