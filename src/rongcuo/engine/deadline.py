"""A time limit on solving: clingo's own interrupt, not a killed thread.

``with time_limit(seconds):`` sets a deadline for every solve started inside
it (in this context: this thread or task). The engine's solves run
asynchronously through :func:`models`, which cancels the search
(``SolveHandle.cancel``) when the deadline passes and raises
:class:`TimeLimit`. Grounding cannot be interrupted: it runs to its end, and
the next solve past the deadline stops at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import clingo

_deadline: ContextVar[float | None] = ContextVar("rongcuo_solve_deadline", default=None)


class TimeLimit(Exception):
    """Solving went past the deadline of ``time_limit`` and was cancelled."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Solves started inside this block stop after ``seconds`` in all (None: no limit)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def models(handle: clingo.SolveHandle) -> Iterator[clingo.Model]:
    """The models of ``ctl.solve(yield_=True, async_=True)``, cancelled at the deadline."""
    deadline = _deadline.get()
    while True:
        handle.resume()
        # A negative timeout would block: an expired deadline polls once (0).
        if not handle.wait(None if deadline is None else max(0.0, deadline - time.monotonic())):
            handle.cancel()
            raise TimeLimit("solving took longer than the time limit and was interrupted")
        model = handle.model()
        if model is None:
            return
        yield model
