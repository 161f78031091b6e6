"""`serve --workers N` (service.prefork): N processes answer on one port; a dead one is forked again; SIGTERM
to the parent ends them all."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT, rongcuo

CASE = {"id": "P", "facts": {"enforcement_personnel": True}}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _evaluate(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/v1/evaluate", json.dumps(CASE), {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert json.loads(response.read())["disposition"] == "none"  # the case answered, whichever worker took it
    connection.close()
    return response.status


def _until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.1)


def _up(port: int) -> bool:
    try:
        return _evaluate(port) == 200
    except OSError:
        return False


def test_workers_answer_on_one_port_are_forked_again_and_stop_together():
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "rongcuo", "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _until(lambda: _up(port))
        _until(lambda: len(_children(server.pid)) == 2)
        assert all(_evaluate(port) == 200 for _ in range(20))
        first = _children(server.pid)
        os.kill(first[0], signal.SIGKILL)  # a worker dies: another is forked in its place
        _until(lambda: len(_children(server.pid)) == 2 and first[0] not in _children(server.pid))
        assert all(_evaluate(port) == 200 for _ in range(20))
        workers = _children(server.pid)
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
        assert "Traceback" not in server.stderr.read()
    finally:
        if server.poll() is None:
            for pid in _children(server.pid):
                os.kill(pid, signal.SIGKILL)
            server.kill()
            server.wait()


def test_workers_are_one_at_least():
    run = rongcuo("serve", "--workers", "0", process=True)
    assert run.returncode == 2 and "--workers" in run.stderr and "Traceback" not in run.stderr


def test_a_taken_port_is_one_line_before_the_server_claims_to_serve():
    # uvicorn said it in English, after rongcuo's "serving" line, with exit 3
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            run = rongcuo("serve", "--port", port, "--workers", workers, process=True)
            assert (
                run.returncode == 2
                and run.stderr == f"rongcuo: 127.0.0.1:{port}：无法监听（该地址已被占用），请换一个 --port 或 --host\n"
            )
