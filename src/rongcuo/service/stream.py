"""POST /v1/batch: a JSONL body in, one JSONL line per case streamed back, in order.

The lines are those of `rongcuo batch`'s results.jsonl, with the record named
by its line in the body: ``status`` is ``evaluated`` (the result, with
``recorded_decision`` and ``agrees``) or ``rejected`` (``field`` and the CLI's
message as ``reason``). Cases are evaluated in chunks, each one grounding
under the time limit; a chunk that fails ends the stream with an ``error`` line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

from ..cases import Case, CaseError
from ..engine import Result, RuleError, RuleSet
from .answers import Service
from .inputs import case_of
from .limits import check_count, solving
from .problems import Problem

CHUNK = 500   # cases per grounding


def numbered(body: bytes, cap: int) -> list[tuple[int, bytes]]:
    """The body's non-blank lines with their numbers, at most ``cap`` of them."""
    lines = [(n, line) for n, line in enumerate(body.splitlines(), 1) if line.strip()]
    check_count(len(lines), cap)
    return lines


async def batch_lines(service: Service, rules: RuleSet, as_of: dt.date,
                      lines: list[tuple[int, bytes]]) -> AsyncIterator[bytes]:
    seen: dict[str, int] = {}
    for start in range(0, len(lines), CHUNK):
        chunk = lines[start:start + CHUNK]
        read = [_read(n, line, seen) for n, line in chunk]
        cases = [c for c in read if isinstance(c, Case)]
        try:
            async with service.gate.turn():
                results = iter(await solving(service.limits.time_limit, rules.evaluate, cases, as_of) if cases else ())
        except (Problem, RuleError) as e:
            yield _line({"status": "error", "line": chunk[0][0], "reason": str(e)})
            return
        yield b"".join(_answer(n, item, results) for (n, _), item in zip(chunk, read, strict=True))


def _read(number: int, line: bytes, seen: dict[str, int]) -> Case | CaseError:
    where = f"line {number}"
    try:
        case = case_of(_json(line, where), where)
        if case.unknown_facts():
            raise CaseError(where, f"facts.{case.unknown_facts()[0]}", "`unknown` is not evaluated in a batch — "
                            "set the fact to true or false, or send the case to /v1/evaluate")
        if case.id in seen:
            raise CaseError(where, "id", f"{case.id!r} is also the id of line {seen[case.id]} — ids must be unique")
    except CaseError as e:
        return e
    seen[case.id] = number
    return case


def _json(line: bytes, where: str):
    try:
        return json.loads(line)
    except UnicodeDecodeError:
        raise CaseError(where, "(line)", "not UTF-8 text — send the body as UTF-8") from None
    except json.JSONDecodeError as e:
        raise CaseError(where, f"column {e.colno}", f"not well-formed JSON: {e.msg}") from None


def _answer(number: int, item: Case | CaseError, results) -> bytes:
    if isinstance(item, CaseError):
        return _rejected(number, item)
    result: Result = next(results)
    if result.contradictions:
        f, g = result.contradictions[0]
        return _rejected(number, CaseError(f"line {number}", "facts",
                                           f"{f} and {g} contradict each other — set one of them to false"))
    out = result.to_json()
    out["recorded_decision"] = item.recorded_decision
    out["agrees"] = None if item.recorded_decision is None else item.recorded_decision == result.disposition
    out.update(status="evaluated", line=number)
    return _line(out)


def _rejected(number: int, error: CaseError) -> bytes:
    return _line({"case": None, "status": "rejected", "field": error.field, "reason": str(error), "line": number})


def _line(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode() + b"\n"
