"""The case model: one case as the case-file schema states it, validated against the vocabulary.

Every problem becomes a :class:`CaseError` — one line naming the file, the
field and the fix — never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from . import days
from . import vocabulary as vocab

FactValue = bool | Literal["unknown"]
_FACTS = frozenset(vocab.fact_ids())
_DATE_KEYS = frozenset(vocab.date_keys())


class CaseError(Exception):
    """A bad case: where it is, which field, and how to fix it."""

    case: str | None = None  # the id the bad record gave, when it gave one (a batch names the record by it)

    def __init__(self, source: str, field: str, message: str):
        super().__init__(f"{source}: {field}: {message}")
        self.source, self.field, self.message = source, field, message


class Subject(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str | None = None
    unit: str | None = None


class Evidence(BaseModel):
    """Where the narrative says it: the quoted text and its character offsets (set by `rongcuo extract`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    start: int
    end: int
    needs_confirmation: bool = True
    source: str | None = None  # how it was read when not by a phrasing: rule | semantic
    support: str | None = None  # the rule's name, or the confirmed sentence a semantic proposal is near


class Candidate(BaseModel):
    """A ranked candidate fact of an extracted case, with its evidence, for the analyst to tick."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fact: str
    score: float
    reason: str
    text: str
    start: int
    end: int
    needs_confirmation: bool = True
    source: str | None = None
    support: str | None = None


class Extraction(BaseModel):
    """How an extracted case was read: source file, its encoding, the lexicon's hash, the dates' evidence."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str
    encoding: str
    lexicon: str
    dates: dict[str, Evidence] = {}
    candidates: list[Candidate] = []


class Case(BaseModel):
    """One case, as the case-file schema states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str | None = None
    subject: Subject | None = None
    field: str | None = None
    error_type: str | None = None
    facts: dict[str, FactValue] = {}
    dates: dict[str, dt.date] = {}
    as_of: dt.date | None = None  # the evaluation date the file states; --as-of overrides it (ask.Ask.day_of)
    recorded_decision: str | None = None
    narrative: str | None = None
    open_world: bool = False  # unlisted facts are unknown, not false
    # After `narrative`: their validators check the offsets against it.
    evidence: dict[str, Evidence] = Field(default_factory=dict)  # a factory: pydantic deep-copies a {} default
    extraction: Extraction | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty id — give the case a unique id such as NM-2024-017")
        return _one_line(value)

    @field_validator("field", "error_type")
    @classmethod
    def _label(cls, value: str | None) -> str | None:
        return value if value is None else _one_line(value)

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("must be a mapping of fact id to true, false or unknown")
        for fid, v in value.items():
            if fid not in _FACTS:
                hint = vocab.did_you_mean(str(fid), vocab.fact_ids(), "see `rongcuo vocabulary` for the ids")
                raise ValueError(f"{fid}: unknown fact id — {hint}")
            if not (isinstance(v, bool) or v == "unknown"):
                raise ValueError(f"{fid}: {v!r} is not true, false or unknown")
        return value

    @field_validator("dates", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("must be a mapping of date key to an ISO date (YYYY-MM-DD)")
        parsed = {}
        for key, v in value.items():
            if key not in _DATE_KEYS:
                keys = vocab.date_keys()
                hint = vocab.did_you_mean(str(key), keys, f"use one of {', '.join(keys)}")
                raise ValueError(f"{key}: unknown date key — {hint}")
            parsed[key] = _iso_date(key, v)
        return parsed

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, value: Any) -> Any:
        try:
            return None if value is None else _iso_date("as_of", value)
        except ValueError as e:  # the location names the field already
            raise ValueError(str(e).removeprefix("as_of: ")) from None

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence(cls, value: Any, info: ValidationInfo) -> Any:
        return _check_spans(value, vocab.fact_ids(), "fact id", info.data.get("narrative"))

    @field_validator("extraction", mode="before")
    @classmethod
    def _extraction(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dict) and "dates" in value:
            try:
                _check_spans(value["dates"], vocab.date_keys(), "date key", info.data.get("narrative"))
            except ValueError as e:
                raise ValueError(f"dates.{e}") from None
        if isinstance(value, dict) and isinstance(value.get("candidates"), list):
            for i, c in enumerate(value["candidates"]):
                if not isinstance(c, dict):
                    raise ValueError(f"candidates[{i}]: must be a mapping with fact, score, reason, text, start, end")
                span = {k: c[k] for k in ("text", "start", "end") if k in c}
                try:
                    _check_spans({c.get("fact"): span}, vocab.fact_ids(), "fact id", info.data.get("narrative"))
                except ValueError as e:
                    raise ValueError(f"candidates[{i}].{e}") from None
        return value

    @field_validator("recorded_decision")
    @classmethod
    def _decision(cls, value: str | None) -> str | None:
        names = vocab.outcome_names()
        if value is not None and value not in names:
            hint = vocab.did_you_mean(value, names, f"use one of {', '.join(names)}")
            raise ValueError(f"{value!r} is not an outcome — {hint}")
        return value

    def true_facts(self) -> list[str]:
        return [f for f, v in self.facts.items() if v is True]

    def unknown_facts(self) -> list[str]:
        """Facts set to unknown, and with open_world every fact the case does not list."""
        listed = [f for f, v in self.facts.items() if v == "unknown"]
        return listed + ([f for f in vocab.fact_ids() if f not in self.facts] if self.open_world else [])


def _check_spans(value: Any, keys: list[str], kind: str, narrative: str | None) -> Any:
    """Evidence entries: known keys, whole-number offsets, and offsets that quote the text."""
    if not isinstance(value, dict):
        raise ValueError(f"must be a mapping of {kind} to {{text, start, end, needs_confirmation}}")
    fields = list(Evidence.model_fields)
    for key, span in value.items():
        if key not in keys:
            hint = vocab.did_you_mean(str(key), keys, "see `rongcuo vocabulary`")
            raise ValueError(f"{key}: unknown {kind} — {hint}")
        if not isinstance(span, dict) or set(span) - set(fields) or not {"text", "start", "end"} <= set(span):
            raise ValueError(f"{key}: must be a mapping with text, start, end (and needs_confirmation)")
        text, start, end = span["text"], span["start"], span["end"]
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)) or not 0 <= start <= end:
            raise ValueError(f"{key}: start {start!r} and end {end!r} must be character offsets, 0 <= start <= end")
        if not isinstance(text, str) or not isinstance(span.get("needs_confirmation", True), bool):
            raise ValueError(f"{key}: text must be a string and needs_confirmation true or false")
        if narrative is not None and narrative[start:end] != text:
            raise ValueError(f"{key}: narrative[{start}:{end}] is not the quoted text — fix start/end or the text")
    return value


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL and C1 controls, line/paragraph separators


def _one_line(value: str) -> str:
    """Ids and labels are one line of text: a line break or a terminal escape in one could forge output."""
    if _CONTROL.search(value):
        raise ValueError(f"{value[:40]!r}: a line break or control character — write it as one line of text")
    return value


def _iso_date(key: str, value: Any) -> dt.date:
    day = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and len(value) == 10:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        raise ValueError(f"{key}: {value!r} is not a date — write it as YYYY-MM-DD")
    if not days.FIRST <= day <= days.LAST:
        raise ValueError(f"{key}: {value!r} is outside the dates rongcuo computes with ({days.FIRST} … {days.LAST})")
    return day


def parse_case(data: Any, source: str) -> Case:
    """Validate one case record (already decoded from YAML/JSON)."""
    if not isinstance(data, dict):
        raise CaseError(source, "(case)", "a case must be a mapping with at least an `id`")
    try:
        return Case.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(part) for part in err["loc"]) or "(case)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            fields = ", ".join(Case.model_fields)
            msg = f"not a field of a case — {vocab.did_you_mean(loc, list(Case.model_fields), f'fields are {fields}')}"
        elif err["type"] == "missing":
            msg = "required — add it"
        elif err["type"] in ("bool_type", "string_type", "dict_type"):
            msg = f"{err['input']!r}: {msg.lower()}"
        # Field-level validators name the key themselves (facts.X, dates.X).
        head, _, rest = msg.partition(": ")
        if loc in ("facts", "dates", "evidence", "extraction") and rest and " " not in head:
            loc, msg = f"{loc}.{head}", rest
        raise CaseError(source, loc, msg) from None
