"""POST /v1/batch: a JSONL body in, one JSONL line per case streamed back, in order.

The lines are those of `rongcuo batch`'s results.jsonl, with the record named
by its line in the body: ``status`` is ``evaluated`` (`evaluate`'s JSON, with
``open_world`` for unknown facts, ``recorded_decision`` and ``agreement``) or
``rejected`` (``field`` and the CLI's message as ``reason``). Cases are
evaluated in chunks, each chunk one grounding under the time limit; a chunk
that fails ends the stream with an ``error`` line. Lines, agreement and
rejections are the application layer's (rongcuo.ask), as in a batch run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from ..ask import Ask, Rejected, evaluate, results_line
from ..engine import RuleError
from ..model.case import Case, CaseError
from ..model.coded import render
from ..model.decode import DecodeError, decode_json
from .answers import Service
from .inputs import case_of
from .limits import check_count, solving
from .problems import Problem

CHUNK = 500  # cases per grounding
log = logging.getLogger("rongcuo.service")


def numbered(body: bytes, cap: int) -> list[tuple[int, bytes]]:
    """The body's non-blank lines with their numbers, at most ``cap`` of them."""
    lines = [(n, line) for n, line in enumerate(body.splitlines(), 1) if line.strip()]
    check_count(len(lines), cap)
    return lines


async def batch_lines(
    service: Service, ask: Ask, lines: list[tuple[int, bytes]], lang: str = "zh", client: str = ""
) -> AsyncIterator[bytes]:
    """One line per case, a rejected one's reason in ``lang`` (the request's language); the stream holds
    one of ``client``'s share of the slots while it lasts."""
    async with service.gate.held(client):
        async for part in _lines(service, ask, lines, lang):
            yield part


async def _lines(service: Service, ask: Ask, lines: list[tuple[int, bytes]], lang: str) -> AsyncIterator[bytes]:
    seen: dict[str, int] = {}
    for start in range(0, len(lines), CHUNK):
        chunk = lines[start : start + CHUNK]
        read = [_read(n, line, seen) for n, line in chunk]
        cases = [c for c in read if isinstance(c, Case)]
        sources = [f"line {n}" for (n, _), c in zip(chunk, read, strict=True) if isinstance(c, Case)]
        try:
            async with service.gate.turn():
                found = await solving(service.limits.time_limit, evaluate, ask, cases, sources)
        except Problem as e:
            yield _line({"status": "error", "line": chunk[0][0], "code": e.code, "reason": e.detail(lang)})
            return
        except RuleError as e:
            yield _line({"status": "error", "line": chunk[0][0], "code": e.code, "reason": e.text(lang)})
            return
        except Exception as e:  # the stream has begun (200): it ends with a line saying so, never cut off
            log.error("/v1/batch failed at line %s: %s: %s", chunk[0][0], type(e).__name__, e)
            failed = render("errors.chunk_failed", lang, {})
            yield _line({"status": "error", "line": chunk[0][0], "code": "errors.chunk_failed", "reason": failed})
            return
        await service.logged(ask, found)
        answers = iter(found)
        yield b"".join(
            _line(results_line(item if isinstance(item, Rejected) else next(answers), {"line": n}, lang=lang))
            for (n, _), item in zip(chunk, read, strict=True)
        )


def _read(number: int, line: bytes, seen: dict[str, int]) -> Case | Rejected:
    where = f"line {number}"
    try:
        case = case_of(_json(line, where), where)
        if case.id in seen:
            raise CaseError(where, "id", "errors.duplicate_id", id=repr(case.id), first=f"line {seen[case.id]}")
    except CaseError as e:
        return Rejected(e)
    seen[case.id] = number
    return case


def _json(line: bytes, where: str):
    try:
        return decode_json(line)
    except DecodeError as e:  # a JSONL line is one line: its column is all that says where
        raise CaseError(where, e.where.removeprefix("line 1 "), e.code, **e.values) from None


def _line(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode() + b"\n"
