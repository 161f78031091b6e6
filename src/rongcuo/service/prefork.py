"""`serve --workers N`: N server processes on one listening socket, forked once the rule sets are loaded.

One process answers on one core, and a request's own work — its HTTP, its JSON,
its share of a grounding — is Python's, under one interpreter lock. The
workers are forked from the process that loaded the rule sets (frozen out of
the collector's reach, shared copy-on-write) before any event loop or thread
exists; each accepts on the socket the parent bound and runs its own server,
with the limits of --concurrency and of the slow clients each. The parent only
supervises: a worker that dies is forked again from the same loaded state, a
SIGTERM or SIGINT to the parent is passed on, and the parent ends when every
worker has ended. Concurrent writers of the decision log and the store agree
(rongcuo.replay: one write per line, objects renamed into place).
"""

from __future__ import annotations

import os
import signal
import socket
import sys

import uvicorn

RESPAWN_LIMIT = 10  # workers that ended in an error one after another before the parent gives up


def run(config: uvicorn.Config, workers: int) -> int:
    """Serve ``config`` with ``workers`` forked processes until they end; the exit code."""
    sock = config.bind_socket()
    stopping = False
    alive: set[int] = set()

    def stop(_signum: int, _frame) -> None:  # as uvicorn's own supervisor: each worker shuts down gracefully
        nonlocal stopping
        stopping = True
        for pid in alive:
            _terminate(pid)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(workers):
            alive.add(_fork(config, sock, previous))
        failures = code = 0
        while alive:
            pid, status = os.wait()
            alive.discard(pid)
            if stopping:
                continue
            failures = failures + 1 if os.waitstatus_to_exitcode(status) != 0 else 0
            if failures > RESPAWN_LIMIT:  # a worker that cannot start: no loop of forks; the rest waited for
                stop(signal.SIGTERM, None)
                code = 1
                continue
            alive.add(_fork(config, sock, previous))
        return code
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        sock.close()


def _fork(config: uvicorn.Config, sock: socket.socket, handlers: dict) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for s, handler in handlers.items():  # the server installs its own for a graceful shutdown
            signal.signal(s, handler)
        uvicorn.Server(config).run(sockets=[sock])
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # not the parent's cleanup: its socket and supervision are the parent's


def _terminate(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:  # ended meanwhile: waited for below
        pass
