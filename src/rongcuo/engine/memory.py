"""The engine's memories: what it read or computed once, kept for the inputs that repeat.

Each memory is bounded (a call's cache by its size, a rule set's memory of fact sets and answers by
:class:`Memory`), so a batch of a million novel cases cannot fill the machine. Full, the bounds hold
tens of thousands of entries: what a batch wants, but in a process that lives for ever on novel
requests they are its resident memory — a service's grew by half before they were full. Such a process
calls :func:`forget` now and then: everything is read again on demand, and what it keeps stays what a
few thousand requests leave.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_calls: list[Any] = []  # every remembering function's cache
_memories: dict[int, weakref.ref] = {}  # every rule set's, while the rule set lives


def remembering(size: int) -> Callable[[F], F]:
    """functools.lru_cache of ``size`` entries, which :func:`forget` empties."""

    def wrap(fn: F) -> F:
        cached = functools.lru_cache(maxsize=size)(fn)
        _calls.append(cached)
        return cached  # type: ignore[return-value]  # lru_cache keeps the signature

    return wrap


class Memory(dict):
    """A dict of at most ``bound`` entries (emptied when it holds more), which :func:`forget` empties.
    Readers take an entry with one ``get``: another thread may empty it at any time."""

    def __init__(self, bound: int):
        super().__init__()
        self.bound = bound
        key = id(self)

        def dropped(_: weakref.ref) -> None:  # the rule set is gone: its memory with it
            _memories.pop(key, None)

        _memories[key] = weakref.ref(self, dropped)

    def bounded(self) -> Memory:
        """The memory, emptied first when it is over its bound."""
        if len(self) > self.bound:
            self.clear()
        return self


def forget() -> None:
    """Every memory emptied: the next calls read again what they need."""
    for cached in _calls:
        cached.cache_clear()
    for ref in list(_memories.values()):
        if (memory := ref()) is not None:
            memory.clear()
