"""The evaluation fast path: many cases in one grounding, the facts-only part remembered.

The rules are split at the dates (engine.split): the bottom, which reads facts
only, is compiled — clingo's ground program of it for one case with free facts,
evaluated bit-parallel for all the call's cases (engine.compiled) — or, for a
rule set the compiled evaluator does not handle (Evaluator.fallback says why),
grounded once per distinct fact set and its answer remembered; the top is
evaluated vectorised over the call's day numbers (engine.dated) — or, for
dated rules it does not handle (Evaluator.dated_fallback says why), grounded
for every case of a call in one program — on the case's dates and the bottom
atoms it reads (the interface). The answer is read back by engine.read.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

import clingo
from clingo import ast

from ..model.case import Case
from ..model.result import Result
from .control import control, ground, one_answer
from .inputs import (
    add_all,
    add_calendar,
    add_case,
    add_dates,
    add_fact,
    add_facts,
    add_labels,
    fact_numbers,
    fact_words,
    number,
    params,
)
from .memory import Memory
from .read import SHORT, Shared, by_case, read_grouped, read_results
from .split import Split, split

if TYPE_CHECKING:
    import numpy as np  # imported where many cases are evaluated: a case or two (a command's) need none

    from .compiled import Program, Unsupported
    from .dated import Top

# A reading's interface atoms: (name, arguments after the case index).
Interface = tuple[tuple[str, tuple[clingo.Symbol, ...]], ...]
MEMORY = 20_000  # fact sets remembered per rule set (a bureau's cases share far fewer)
T = TypeVar("T")
# A first call with this few cases grounds the whole program once: a one-off `rongcuo evaluate CASE`
# need not build the split (~80 ms). Every later call takes the split, whatever its size: a service's
# requests come a few at a time, and the whole program costs ~5× as much per call and leaves clingo
# symbols of every case's facts and dates behind, which clingo never frees.
FEW = 4


@dataclass(frozen=True)
class FactReading:
    """What the bottom of the split gives one fact set: the shown atoms, and the
    interface atoms (name, arguments after the case index) the dated rules read."""

    shown: Shared
    interface: Interface


def remembered(memory: Memory, cases: Sequence[Case], ground: Callable[[list[Case]], Sequence[T]]) -> list[T]:
    """Each case's entry of ``memory``, by its fact set: ``ground`` gives those of the fact sets not seen
    before, one case of each, in one call. At most MEMORY fact sets, whatever the inputs."""
    memory.bounded()  # for endless novel inputs
    keys = [frozenset(case.facts.items()) for case in cases]  # cheaper than the words, as good a key
    found = {k: memory.get(k) for k in keys}  # read once: another thread may clear the memory
    new = {k: case for k, case in zip(keys, cases, strict=True) if found[k] is None}
    if new:
        for key, entry in zip(new, ground(list(new.values())), strict=True):
            found[key] = memory[key] = entry
    return [found[k] for k in keys]  # type: ignore[misc]  # every key is found by now


@contextmanager
def uncollected() -> Iterator[None]:
    """No cyclic garbage collection during an evaluation: it makes many small objects and no cycles, and
    the collector would walk the caller's live objects again and again (a third of the time of a call
    over thousands of distinct cases). Whatever was enabled is enabled again, whichever thread ends last."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
        self._memory = Memory(MEMORY)  # fact set → its FactReading
        self._called = False

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
        """Every case's result, in input order: the split path, or for a first call with few cases (nothing
        compiled yet: RuleSet.prepare) the whole program."""
        with uncollected():
            first, self._called = not self._called, True
            if first and len(cases) <= FEW and "compiled" not in self.__dict__:
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
        distinct, which = self._fact_readings(cases)
        own = self._vectorised(cases, distinct, which, as_of, effective_date, recurrence)
        if own is not None:
            shared = [r.shown for r in distinct]
            return read_grouped(own, cases, self.profile, self.digest, as_of, shared, which.tolist())
        readings = [distinct[i] for i in which.tolist()]
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
        ground(ctl)
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
        ground(ctl)
        atoms = [str(s) for s in one_answer(ctl, self.name)[0]]
        return read_results(atoms, cases, self.profile, self.digest, as_of)

    @cached_property
    def _split(self) -> Split:
        return split(self.statements)

    @cached_property
    def _static_interface(self) -> tuple[clingo.Symbol, ...]:
        """The interface atoms no case carries (tables the dated rules read): the bottom without cases."""
        ctl = control(self._split.bottom)
        ground(ctl)
        return tuple(one_answer(ctl, self.name, self._split.interface)[1])

    @cached_property
    def compiled(self) -> Program | Unsupported:
        """The bottom as clingo's ground program, evaluated bit-parallel (engine.compiled), or why it is not."""
        from .compiled import Unsupported, compile_bottom  # numpy, for the calls that evaluate many cases

        if not self._compile:
            return Unsupported("not compiled: the evaluator was asked for clingo's path")
        split = self._split
        return compile_bottom(split.bottom, split.interface, self._static_interface, self.name, self.relative)

    @cached_property
    def dated(self) -> Top | Unsupported:
        """The dated rules planned for vectorised evaluation (engine.dated), or why they are not."""
        from .compiled import Unsupported
        from .dated import compile_top

        if not self._compile:
            return Unsupported("not compiled: the evaluator was asked for clingo's path")
        program = self.compiled
        known = [*fact_numbers(), *self._static_interface]
        if not isinstance(program, Unsupported):
            known += [a for _, args in program.interface_atoms for a in args]
        return compile_top(self._split.top, self.name, self.relative, known)

    @property
    def dated_fallback(self) -> str | None:
        """Why the dated rules are grounded by clingo per call instead of evaluated vectorised (None: vectorised)."""
        from .compiled import Unsupported

        return str(self.dated) if isinstance(self.dated, Unsupported) else None

    def _vectorised(
        self,
        cases: Sequence[Case],
        distinct: Sequence[FactReading],
        which: np.ndarray,
        as_of: dt.date,
        effective_date: dt.date | None,
        recurrence: tuple[int, int] | None,
    ) -> dict[int, list[str]] | None:
        """The dated rules' shown atoms per case, evaluated vectorised; None where clingo must ground them."""
        from .dated import OutOfRange, Top, given_tables, grouped

        top = self.dated
        if not isinstance(top, Top):
            return None
        inputs = params(as_of, effective_date, recurrence)
        try:
            chunk, shown = given_tables(top, cases, distinct, which, self._static_rows, inputs, recurrence is not None)
        except OutOfRange:
            return None
        return grouped(chunk, shown, len(cases))

    @cached_property
    def _static_rows(self) -> tuple[clingo.Symbol, ...]:
        return (*fact_numbers(), *self._static_interface)

    @property
    def fallback(self) -> str | None:
        """Why the facts-only rules are grounded by clingo per fact set instead of compiled (None: compiled)."""
        from .compiled import Unsupported

        return str(self.compiled) if isinstance(self.compiled, Unsupported) else None

    def _fact_readings(self, cases: Sequence[Case]) -> tuple[list[FactReading], np.ndarray]:
        """What the bottom gives the cases: the distinct readings, and each case's among them."""
        if self.fallback is None:
            return self.compiled.distinct_readings(cases)  # type: ignore[union-attr]  # compiled, not Unsupported
        import numpy as np

        readings = remembered(self._memory, cases, self._ground_bottom)
        number: dict[int, int] = {}
        which = [number.setdefault(id(r), len(number)) for r in readings]
        distinct = list({id(r): r for r in readings}.values())
        return distinct, np.array(which, dtype=np.intp)

    def _ground_bottom(self, cases: list[Case]) -> list[FactReading]:
        ctl = control(self._split.bottom)
        with ctl.backend() as backend:
            for index, case in enumerate(cases):
                add_facts(backend, index, fact_words(case))
        ground(ctl)
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
