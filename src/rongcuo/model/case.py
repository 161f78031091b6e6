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
from .coded import Coded, ids, msg, place, suggest
from .decode import MAX_ID

FactValue = bool | Literal["unknown"]
_FACTS = frozenset(vocab.fact_ids())
_DATE_KEYS = frozenset(vocab.date_keys())


class CaseError(Coded):
    """A bad case: where it is (``source``), which ``field``, and what is wrong with the fix (a catalogue
    key of present/messages/errors.yaml and its values, rendered in a language by :meth:`text`)."""

    case: str | None = None  # the id the bad record gave, when it gave one (a batch names the record by it)

    def __init__(self, source: str, field: str, code: str, **values: Any):
        super().__init__(code, **values)
        # a key is named as the input spelled it: a line break or a terminal escape in it, written out, could
        # forge a line of output (the fuzz run found unknown keys that did)
        self.source, self.field = printable(source), printable(field)

    @property
    def message(self) -> str:
        """What is wrong, in English (str(error) is the whole line)."""
        return self.reason("en")

    def text(self, lang: str = "en") -> str:
        return f"{place(self.source, lang)}: {place(self.field, lang)}: {self.reason(lang)}"


class _Invalid(ValueError):
    """A validator's problem: a catalogue key and values, and the key of the mapping it is under (facts.X)."""

    def __init__(self, code: str, at: str | None = None, **values: Any):
        super().__init__(code)
        self.code, self.at, self.values = code, at, values


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
            raise _Invalid("errors.empty_id")
        if len(value) > MAX_ID:
            raise _Invalid("errors.id_too_long", n=f"{len(value):,}", max=MAX_ID)
        return _one_line(value)

    @field_validator("field", "error_type")
    @classmethod
    def _label(cls, value: str | None) -> str | None:
        return value if value is None else _one_line(value)

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise _Invalid("errors.facts_mapping")
        for fid, v in value.items():
            if fid not in _FACTS:
                hint = suggest(str(fid), vocab.fact_ids(), "facts", msg("errors.see_vocabulary"))
                raise _Invalid("errors.unknown_fact", str(fid), hint=hint)
            if not (isinstance(v, bool) or v == "unknown"):
                raise _Invalid("errors.not_truth_value", str(fid), value=repr(v))
        return value

    @field_validator("dates", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise _Invalid("errors.dates_mapping")
        parsed = {}
        for key, v in value.items():
            if key not in _DATE_KEYS:
                keys = vocab.date_keys()
                hint = suggest(str(key), keys, "dates", msg("errors.use_one_of", choices=ids("dates", keys)))
                raise _Invalid("errors.unknown_date_key", str(key), hint=hint)
            parsed[key] = _iso_date(key, v)
        return parsed

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, value: Any) -> Any:
        return None if value is None else _iso_date(None, value)  # the location names the field already

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence(cls, value: Any, info: ValidationInfo) -> Any:
        return _check_spans(value, vocab.fact_ids(), "fact id", info.data.get("narrative"))

    @field_validator("extraction", mode="before")
    @classmethod
    def _extraction(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dict) and "dates" in value:
            try:
                _check_spans(value["dates"], vocab.date_keys(), "dates", info.data.get("narrative"))
            except _Invalid as e:
                raise _Invalid(e.code, f"dates.{e.at}" if e.at else "dates", **e.values) from None
        if isinstance(value, dict) and isinstance(value.get("candidates"), list):
            for i, c in enumerate(value["candidates"]):
                if not isinstance(c, dict):
                    raise _Invalid("errors.candidate_mapping", f"candidates[{i}]")
                span = {k: c[k] for k in ("text", "start", "end") if k in c}
                try:
                    _check_spans({c.get("fact"): span}, vocab.fact_ids(), "facts", info.data.get("narrative"))
                except _Invalid as e:
                    raise _Invalid(e.code, f"candidates[{i}].{e.at}", **e.values) from None
        return value

    @field_validator("recorded_decision")
    @classmethod
    def _decision(cls, value: str | None) -> str | None:
        names = vocab.outcome_names()
        if value is not None and value not in names:
            hint = suggest(value, names, "outcomes", msg("errors.use_one_of", choices=ids("outcomes", names)))
            raise _Invalid("errors.not_outcome", value=repr(value), hint=hint)
        return value

    def true_facts(self) -> list[str]:
        return [f for f, v in self.facts.items() if v is True]

    def unknown_facts(self) -> list[str]:
        """Facts set to unknown, and with open_world every fact the case does not list."""
        listed = [f for f, v in self.facts.items() if v == "unknown"]
        return listed + ([f for f in vocab.fact_ids() if f not in self.facts] if self.open_world else [])


def _check_spans(value: Any, keys: list[str], kind: str, narrative: str | None) -> Any:
    """Evidence entries (``kind``: of facts or dates): known keys, whole-number offsets, offsets that quote the text."""
    if not isinstance(value, dict):
        raise _Invalid("errors.evidence_mapping" if kind == "facts" else "errors.date_evidence_mapping")
    fields = list(Evidence.model_fields)
    for key, span in value.items():
        if key not in keys:
            hint = suggest(str(key), keys, kind, msg("errors.see_vocabulary"))
            raise _Invalid("errors.unknown_fact" if kind == "facts" else "errors.unknown_date_key", str(key), hint=hint)
        if not isinstance(span, dict) or set(span) - set(fields) or not {"text", "start", "end"} <= set(span):
            raise _Invalid("errors.span_mapping", str(key))
        text, start, end = span["text"], span["start"], span["end"]
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)) or not 0 <= start <= end:
            raise _Invalid("errors.span_offsets", str(key), start=repr(start), end=repr(end))
        if not isinstance(text, str) or not isinstance(span.get("needs_confirmation", True), bool):
            raise _Invalid("errors.span_types", str(key))
        if narrative is not None and narrative[start:end] != text:
            raise _Invalid("errors.span_quote", str(key), start=start, end=end)
    return value


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL and C1 controls, line/paragraph separators


def printable(text: str) -> str:
    """The text with its control characters written as escapes (\\n, \\x1b)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text) if _CONTROL.search(text) else text


def _one_line(value: str) -> str:
    """Ids and labels are one line of text: a line break or a terminal escape in one could forge output."""
    if _CONTROL.search(value):
        raise _Invalid("errors.control_character", value=repr(value[:40]))
    return value


def _iso_date(key: str | None, value: Any) -> dt.date:
    day = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and len(value) == 10:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        raise _Invalid("errors.not_a_date", key, value=repr(value))
    if not days.FIRST <= day <= days.LAST:
        raise _Invalid("errors.date_out_of_range", key, value=repr(value), first=str(days.FIRST), last=str(days.LAST))
    return day


# Pydantic's error types, by the catalogue key that says them (anything else: errors.invalid, with pydantic's text).
_PYDANTIC = {
    "missing": "errors.required",
    "bool_type": "errors.bool_type",
    "bool_parsing": "errors.bool_type",
    "string_type": "errors.string_type",
    "dict_type": "errors.dict_type",
    "model_type": "errors.dict_type",
    "list_type": "errors.list_type",
    "int_type": "errors.int_type",
    "int_parsing": "errors.int_type",
    "int_from_float": "errors.int_type",
    "float_type": "errors.float_type",
    "float_parsing": "errors.float_type",
    "date_type": "errors.date_type",
    "date_parsing": "errors.date_type",
    "date_from_datetime_parsing": "errors.date_type",
    "date_from_datetime_inexact": "errors.date_type",
    "literal_error": "errors.literal_error",
}


def parse_case(data: Any, source: str) -> Case:
    """Validate one case record (already decoded from YAML/JSON)."""
    if not isinstance(data, dict):
        raise CaseError(source, "(case)", "errors.not_a_case")
    try:
        return Case.model_validate(data)
    except ValidationError as e:
        raise case_error(source, e.errors()[0], list(Case.model_fields)) from None


def case_error(source: str, err: Any, fields: list[str]) -> CaseError:
    """Pydantic's first error as a case error: the validator's own key, or the one its type maps to."""
    loc = ".".join(str(part) for part in err["loc"]) or "(case)"
    found = err.get("ctx", {}).get("error")
    if isinstance(found, _Invalid):  # a validator of ours: facts.X and dates.X are named by the key
        return CaseError(source, f"{loc}.{found.at}" if found.at else loc, found.code, **found.values)
    if err["type"] == "extra_forbidden":
        hint = suggest(loc.rpartition(".")[2], fields, "", msg("errors.fields_are", fields=fields))
        return CaseError(source, loc, "errors.extra_forbidden", hint=hint)
    code = _PYDANTIC.get(err["type"])
    if code is None:
        return CaseError(source, loc, "errors.invalid", detail=err["msg"].removeprefix("Value error, "))
    return CaseError(source, loc, code, value=repr(err.get("input")))
