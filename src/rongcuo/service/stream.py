"""POST /v1/batch: a JSONL body in, one JSONL line per case streamed back, in order.

The lines are those of `rongcuo batch`'s results.jsonl, with the record named
by its line in the body: ``status`` is ``evaluated`` (`evaluate`'s JSON, with
``open_world`` for unknown facts, ``recorded_decision`` and ``agreement``) or
``rejected`` (``field`` and the CLI's message as ``reason``). Cases are
evaluated in chunks, each chunk one grounding under the time limit; a chunk
that fails ends the stream with an ``error`` line. (rongcuo.batch runs files
through worker processes that load their own rule sets; the service answers
with the rule sets it loaded at start, so it evaluates the chunks itself.)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

from ..batch.worker import agreement
from ..engine import OpenWorld, Result, RuleError, RuleSet, open_world
from ..explain.serialize import open_world_json
from ..model.case import Case, CaseError
from .answers import Service
from .inputs import case_of
from .limits import check_count, solving
from .problems import Problem

CHUNK = 500  # cases per grounding


def numbered(body: bytes, cap: int) -> list[tuple[int, bytes]]:
    """The body's non-blank lines with their numbers, at most ``cap`` of them."""
    lines = [(n, line) for n, line in enumerate(body.splitlines(), 1) if line.strip()]
    check_count(len(lines), cap)
    return lines


async def batch_lines(
    service: Service, rules: RuleSet, as_of: dt.date, lines: list[tuple[int, bytes]]
) -> AsyncIterator[bytes]:
    seen: dict[str, int] = {}
    for start in range(0, len(lines), CHUNK):
        chunk = lines[start : start + CHUNK]
        read = [_read(n, line, seen) for n, line in chunk]
        cases = [c for c in read if isinstance(c, Case)]
        try:
            async with service.gate.turn():
                results, worlds = await solving(service.limits.time_limit, _evaluate, rules, cases, as_of)
        except (Problem, RuleError) as e:
            yield _line({"status": "error", "line": chunk[0][0], "reason": str(e)})
            return
        answers = iter(results)
        yield b"".join(_answer(n, item, answers, worlds) for (n, _), item in zip(chunk, read, strict=True))


def _evaluate(rules: RuleSet, cases: list[Case], as_of: dt.date) -> tuple[list[Result], dict[str, OpenWorld]]:
    """The chunk's results in one grounding, and the open world of each case with unknown facts."""
    results = rules.evaluate(cases, as_of=as_of) if cases else []
    settled = [c for c, r in zip(cases, results, strict=True) if c.unknown_facts() and not r.contradictions]
    return results, {c.id: open_world(rules, c, c.unknown_facts(), as_of) for c in settled}


def _read(number: int, line: bytes, seen: dict[str, int]) -> Case | CaseError:
    where = f"line {number}"
    try:
        case = case_of(_json(line, where), where)
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


def _answer(number: int, item: Case | CaseError, results, worlds: dict[str, OpenWorld]) -> bytes:
    if isinstance(item, CaseError):
        return _rejected(number, item)
    result: Result = next(results)
    if result.contradictions:
        f, g = result.contradictions[0]
        return _rejected(
            number,
            CaseError(f"line {number}", "facts", f"{f} and {g} contradict each other — set one of them to false"),
        )
    out = result.to_json()
    world = worlds.get(item.id)
    if world:
        out["open_world"] = open_world_json(item, world)
    out["recorded_decision"] = item.recorded_decision
    out["agreement"] = agreement(item.recorded_decision, set(world.dispositions) if world else {result.disposition})
    out.update(status="evaluated", line=number)
    return _line(out)


def _rejected(number: int, error: CaseError) -> bytes:
    return _line({"case": None, "status": "rejected", "field": error.field, "reason": str(error), "line": number})


def _line(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode() + b"\n"
