"""Slow clients: every connection must send its request in time, and one address holds only its share.

uvicorn bounds a keep-alive connection's idle time and the number of open connections
(``limit_concurrency``, past which every request gets its 503), but not the time a request head or body
may take: a client sending a head one byte a second holds its connection for ever, and enough of them
(a few hundred, from one machine) fill the connection limit, so that every other client is refused. The
HTTP protocol :func:`guarded` makes (uvicorn's httptools one, with three bounds) closes such connections:

- a request head must be complete :data:`HEAD_SECONDS` after the connection opens or after the previous
  answer (408, then closed);
- its body must arrive at :data:`BODY_RATE` bytes a second at least, after a grace of
  :data:`HEAD_SECONDS` (a body without a declared length is given the time of the largest body the
  service takes) — else 408 and closed;
- one client address holds at most a :data:`SHARE` of the open connections: the one past it is answered
  503 with Retry-After and closed at once, before anything is read.

Clients are told apart by their address, as the solving gate (limits.Gate) tells them apart: behind a
proxy that does not keep them apart, bound the connections there.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections import Counter
from http import HTTPStatus
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..model.coded import msg
from .headers import HEADERS
from .limits import Limits
from .problems import MEDIA_TYPE, Problem, accepted

HEAD_SECONDS = 10.0  # for a request head; the grace before a body's rate is held to BODY_RATE
BODY_RATE = 64 * 1024  # bytes a second of a request body, at least
SHARE = 4  # one client address holds at most 1/SHARE of the connection limit

log = logging.getLogger("rongcuo.service")


def guarded(limits: Limits, connections: int) -> type[asyncio.Protocol]:
    """The HTTP protocol for uvicorn's ``http=`` setting: uvicorn's own, bounded as above, for a server
    whose ``limit_concurrency`` is ``connections``."""
    return type("Guarded", (Guarded,), {"limits": limits, "share": max(1, connections // SHARE)})


_OPEN: weakref.WeakKeyDictionary[Any, Counter] = weakref.WeakKeyDictionary()  # by server: connections per address


class Guarded(HttpToolsProtocol):
    limits: Limits = Limits()
    share: int = 16

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._address: str | None = None
        peer = transport.get_extra_info("peername")
        address = peer[0] if isinstance(peer, tuple) and peer else None
        open_ = _OPEN.setdefault(self.server_state, Counter())
        if address is not None and open_[address] >= self.share:
            self.transport = transport  # refused: never one of uvicorn's connections
            log.debug("refused a connection from %s: %d open", address, open_[address])
            _refuse(transport, 503, "busy", msg("errors.busy_connections", n=self.share), "zh", {"retry-after": "1"})
            return
        if address is not None:
            open_[address] += 1
            self._address = address
        super().connection_made(transport)
        self._wait(HEAD_SECONDS, "errors.head_timeout")

    def connection_lost(self, exc: Exception | None) -> None:
        self._wait(None)
        if self._address is None and self not in self.connections:
            return  # refused in connection_made (or a connection without an address, not counted)
        if self._address is not None:
            open_ = _OPEN.get(self.server_state)
            if open_ is not None:
                open_[self._address] -= 1
                if open_[self._address] <= 0:
                    del open_[self._address]
            self._address = None
        super().connection_lost(exc)

    def on_headers_complete(self) -> None:
        self._wait(None)
        headers = dict(self.headers)
        declared = headers.get(b"content-length", b"")
        size = int(declared) if declared.isdigit() else 0
        if b"transfer-encoding" in headers:  # chunked: the time the largest body the service takes is given
            size = max(self.limits.max_body, self.limits.max_batch_body)
        super().on_headers_complete()
        if size:
            self._wait(HEAD_SECONDS + size / BODY_RATE, "errors.body_timeout")

    def on_message_complete(self) -> None:
        self._wait(None)
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.timeout_keep_alive_task is not None:  # idle, waiting for the next request's head
            self._wait(HEAD_SECONDS, "errors.head_timeout")

    def _wait(self, seconds: float | None, key: str = "") -> None:
        """A deadline for what the connection is waiting for (None: nothing any more)."""
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
        self._deadline = None if seconds is None else self.loop.call_later(seconds, self._late, seconds, key)

    def _late(self, seconds: float, key: str) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        log.debug("closed a connection from %s: %s", self._address, key)
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True  # the request's task reads a disconnect and writes nothing more
            if cycle.response_started:
                self.transport.close()
                return
        lang = accepted(dict(self.headers).get(b"accept-language", b"").decode("latin-1")) if self.headers else "zh"
        _refuse(self.transport, 408, "request-timeout", msg(key, seconds=round(seconds), rate=BODY_RATE), lang)


def _refuse(transport: asyncio.Transport, status: int, kind: str, detail, lang: str, headers=None) -> None:
    """A problem written as it is — the application never saw the request — and the connection closed."""
    body = json.dumps(Problem(kind, detail).body("", lang), ensure_ascii=False).encode()
    lines = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode(),
        b"content-type: " + MEDIA_TYPE.encode(),
        b"content-length: " + str(len(body)).encode(),
        b"connection: close",
        *(name + b": " + value for name, value in HEADERS.items()),
        *(f"{name}: {value}".encode() for name, value in (headers or {}).items()),
    ]
    transport.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    transport.close()
