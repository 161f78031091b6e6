"""Evaluations that arrive together share one grounding.

The engine grounds many cases in one program (the case index is an argument of
every atom), and one grounding of sixteen cases costs little more than one of
a single case. So evaluation requests for the same rule set (or timeline) and date wait in
an open batch while the previous batch is solved, then go in together; each
request gets back its own slice of the results.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .. import ask as asking
from ..ask import Ask
from ..engine import Result, RuleError
from ..model.case import Case
from .limits import solving
from .problems import Problem

LINGER = 0.002  # seconds a batch that waited for its turn stays open


@dataclass
class _Batch:
    ask: Ask
    cases: list[Case] = field(default_factory=list)
    parts: list[tuple[int, int]] = field(default_factory=list)  # each request's (start, count)
    done: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class Coalescer:
    """Evaluation requests, grouped into batches by rule set and date, one grounding per batch."""

    def __init__(self, max_cases: int, seconds: float):
        self.max_cases, self.seconds = max_cases, seconds
        self._open: dict[tuple, _Batch] = {}
        self._lane = asyncio.Lock()  # one grounding at a time; the next batch fills meanwhile
        self._running: set[asyncio.Task] = set()

    async def results(self, ask: Ask, cases: list[Case]) -> list[Result | RuleError]:
        """The rules' results for these cases, grounded with those of other requests asking the same."""
        # no date asked: each case's own (Ask.day_of); under a timeline, its versions are asked (Q12)
        key = (id(ask.rules), id(ask.timeline), ask.as_of, ask.effective_date)
        batch = self._open.get(key)
        if batch is None or len(batch.cases) + len(cases) > self.max_cases:
            batch = self._open[key] = _Batch(Ask(ask.rules, ask.as_of, ask.effective_date, timeline=ask.timeline))
            task = asyncio.create_task(self._run(key, batch))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        part = len(batch.parts)
        batch.parts.append((len(batch.cases), len(cases)))
        batch.cases += cases
        answers = await asyncio.shield(batch.done)
        if isinstance(answers[part], Exception):
            raise answers[part]
        return answers[part]

    async def _run(self, key: tuple, batch: _Batch) -> None:
        waited = self._lane.locked()
        async with self._lane:
            if waited:  # under load: the requests just answered come back and join this batch
                await asyncio.sleep(LINGER)
            if self._open.get(key) is batch:
                del self._open[key]
            try:
                answers = await self._answers(batch)
            except Problem as e:  # the time limit: each request gets it
                answers = [e] * len(batch.parts)
            except Exception:  # a failure of the shared grounding: each request tried on its own, so that
                answers = await self._apart(batch)  # only the one whose cases fail gets the failure
            batch.done.set_result(answers)

    async def _apart(self, batch: _Batch) -> list[list[Result | RuleError] | Exception]:
        out: list[list[Result | RuleError] | Exception] = []
        for start, count in batch.parts:
            try:
                out.append(await solving(self.seconds, asking.results, batch.ask, batch.cases[start : start + count]))
            except Exception as e:
                out.append(e)
        return out

    async def _answers(self, batch: _Batch) -> list[list[Result | RuleError] | Exception]:
        # A case the rules give no single answer carries its error (rongcuo.ask isolates it): it fails
        # no other case, of this request or another.
        results = await solving(self.seconds, asking.results, batch.ask, batch.cases)
        return [results[start : start + count] for start, count in batch.parts]
