"""What a request brings: cases in the case-file schema, and the options of the CLI.

Messages are the CLI's: a case is named ``case`` (or ``cases[2]`` in a list)
where the CLI names its file; an option by its parameter name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import days
from ..model import vocabulary as vocab
from ..model.case import Case, CaseError, parse_case
from ..model.coded import OptionError, ids, msg, suggest
from ..model.decode import DecodeError, read_json
from ..model.files import GOLDEN_KEYS
from .limits import check_count
from .problems import Problem, invalid


def decode(body: bytes) -> Any:
    """The JSON of a request body (UTF-8, as RFC 8259 has it)."""
    try:
        return read_json(body)
    except UnicodeDecodeError:
        raise Problem("not-well-formed", msg("errors.body_not_utf8")) from None
    except DecodeError as e:
        raise Problem("not-well-formed", e) from None


def case_of(data: Any, source: str = "case") -> Case:
    """One case record; a golden case is read as the case it holds (as the CLI does)."""
    if isinstance(data, dict) and "expect" in data:
        data = {k: v for k, v in data.items() if k not in GOLDEN_KEYS}
    return parse_case(data, source)


def one_case(data: Any) -> Case:
    if isinstance(data, list):
        raise invalid([CaseError("case", "(case)", "errors.one_case_not_list")])
    try:
        return case_of(data)
    except CaseError as e:
        raise invalid([e]) from None


def cases_of(data: Any, cap: int) -> list[Case]:
    """A list of cases (every rejected one reported), or one case as a list of one."""
    if not isinstance(data, list):
        return [one_case(data)]
    check_count(len(data), cap)
    cases: list[Case] = []
    errors: list[CaseError] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(data):
        source = f"cases[{i}]"
        try:
            case = case_of(item, source)
            if case.id in seen:
                raise CaseError(source, "id", "errors.duplicate_id", id=repr(case.id), first=seen[case.id])
        except CaseError as e:
            errors.append(e)
            continue
        seen[case.id] = source
        cases.append(case)
    if errors:
        raise invalid(errors)
    if not cases:
        raise invalid([CaseError("cases", "(list)", "errors.no_case")])
    return cases


def day(value: str | None, option: str = "as_of") -> dt.date | None:
    if value is None:
        return None
    try:
        return days.parse(value, option)
    except OptionError as e:
        raise Problem("invalid-parameter", e) from None


def outcome(name: str | None, option: str) -> str | None:
    names = vocab.outcome_names()
    if name is not None and name not in names:
        hint = suggest(name, names, "outcomes", msg("errors.use_one_of", choices=ids("outcomes", names)))
        raise Problem("invalid-parameter", OptionError(option, "errors.not_outcome", value=repr(name), hint=hint))
    return name


def facts(names: list[str], option: str) -> tuple[str, ...]:
    for name in names:
        if name not in vocab.fact_ids():
            hint = suggest(name, vocab.fact_ids(), "facts", msg("errors.see_vocabulary_api"))
            raise Problem("invalid-parameter", OptionError(f"{option}: {name}", "errors.unknown_fact", hint=hint))
    return tuple(names)
