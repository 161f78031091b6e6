"""What one request may ask of the service, and how much runs at once.

- a body size cap (``BodyLimit``: the declared length, and the bytes as they arrive);
- a cap on the cases of one request (checked where the cases are read);
- a solving time limit per request (engine.time_limit: clingo's interrupt);
- a bounded number of requests at work at once (``Gate``: 503 when saturated);
- bounded memory whatever the requests (``Forgetting``: the engine's memories emptied every
  ``forget_every`` requests).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from anyio import to_thread

from ..engine import TimeLimit, forget, time_limit
from ..model.coded import Msg, msg
from .problems import MEDIA_TYPE, Problem

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    max_body: int = 1_000_000  # bytes of one request body
    max_batch_body: int = 16_000_000  # bytes of a /v1/batch body
    max_cases: int = 100  # cases in one /v1/evaluate request
    max_batch_cases: int = 20_000  # lines of one /v1/batch request
    time_limit: float = 10.0  # seconds of solving per request (per chunk in a batch)
    concurrency: int = 32  # requests at work at once; more get 503
    forget_every: int = 2000  # requests between two emptyings of the engine's memories (Forgetting)


class BodyLimit:
    """ASGI middleware: bodies over the cap get 413 before they are read whole."""

    def __init__(self, app, limits: Limits):
        self.app, self.limits = app, limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cap = self.limits.max_batch_body if scope["path"] == "/v1/batch" else self.limits.max_body
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            if declared.isdigit() and int(declared) <= DRAIN_BYTES:
                await _drain(receive, DRAIN_BYTES, DRAIN_SECONDS)  # then the client reads the 413, not a reset
            return await _too_large(scope, send, cap)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
                raise Problem("body-too-large", _too_large_detail(cap))
            return message

        await self.app(scope, counted, send)


class Forgetting:
    """ASGI middleware: every ``forget_every`` requests, the engine forgets what it remembered
    (engine.memory). A batch wants tens of thousands of remembered answers; a server on novel cases keeps
    them as resident memory it never gives back (RSS +54 % over 50,000 distinct requests). What a few
    thousand requests leave is kept instead, and nothing is slower: a novel case finds nothing to remember."""

    def __init__(self, app, limits: Limits):
        self.app, self.every, self.seen = app, limits.forget_every, 0

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.seen += 1
            if self.seen % self.every == 0:
                forget()
        await self.app(scope, receive, send)


# A client that sends its whole body before reading the answer (urllib, many scripts) sees a reset, not the
# 413, when the server closes with the body unread: a declared body up to DRAIN_BYTES is read and dropped
# first (within DRAIN_SECONDS), then refused; a larger one is refused at once.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 10.0


async def _drain(receive, most: int, seconds: float) -> None:
    """Read and drop the rest of a refused request's body (a lingering close), at most ``most`` bytes or
    ``seconds``: past either, the connection closes as it would have."""
    read = 0
    try:
        async with asyncio.timeout(seconds):
            while read <= most:
                message = await receive()
                read += len(message.get("body", b""))
                if message.get("type") != "http.request" or not message.get("more_body"):
                    return
    except TimeoutError:
        return


def _too_large_detail(cap: int) -> Msg:
    return msg("errors.body_too_large", max=cap)


async def _too_large(scope, send, cap: int) -> None:
    from .problems import accepted

    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    lang = query.get("lang") or accepted(dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1"))
    lang = lang if lang in ("zh", "en") else "zh"
    body = json.dumps(Problem("body-too-large", _too_large_detail(cap)).body(scope["path"], lang)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Gate:
    """At most ``limit`` requests at work, and at most a ``share`` of them from one client (its address),
    so that one client cannot hold every slot. A request that finds them all busy, or its client's share
    taken, is refused at once (503 with Retry-After); the chunks of a batch already admitted wait for
    their turn instead."""

    def __init__(self, limit: int, share: int | None = None):
        self.limit = limit
        self.share = share or max(1, limit // 4)
        self._slots = asyncio.Semaphore(limit)
        self._held: dict[str, int] = {}

    @property
    def full(self) -> bool:
        return self._slots.locked()

    def check(self, client: str = "") -> None:
        if self.full:
            raise Problem("busy", msg("errors.busy", n=self.limit), headers={"Retry-After": "1"})
        if self._held.get(client, 0) >= self.share:
            raise Problem("busy", msg("errors.busy_client", n=self.share), headers={"Retry-After": "1"})

    @asynccontextmanager
    async def slot(self, request: Any = None) -> AsyncIterator[None]:
        """A slot for the request's client (its host; one for all behind a proxy)."""
        client = client_of(request)
        self.check(client)
        async with self.held(client), self._slots:
            yield

    @asynccontextmanager
    async def held(self, client: str) -> AsyncIterator[None]:
        """One of the client's share, for as long as the block lasts: a request's, or a whole /v1/batch
        stream's, whose chunks take their turns meanwhile — so one client's streams cannot hold every slot."""
        self._held[client] = self._held.get(client, 0) + 1
        try:
            yield
        finally:
            self._held[client] -= 1
            if not self._held[client]:
                del self._held[client]

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        async with self._slots:
            yield


def client_of(request: Any) -> str:
    """The address the gate counts a request's share by."""
    return getattr(getattr(request, "client", None), "host", "") or ""


async def solving(seconds: float, work: Callable[..., T], *args) -> T:
    """Run ``work`` in a worker thread with the solving time limit; TimeLimit becomes a problem."""

    def limited() -> T:
        with time_limit(seconds):
            return work(*args)

    try:
        return await to_thread.run_sync(limited)
    except TimeLimit:
        raise Problem("time-limit", msg("errors.time_limit", seconds=f"{seconds:g}")) from None


def check_count(count: int, cap: int) -> None:
    if count > cap:
        raise Problem("too-many-cases", msg("errors.too_many_cases", n=count, max=cap))
