"""What the OpenAPI document says of the bodies, and the reference JSON of /v1/vocabulary.

Request bodies are read and checked by rongcuo.cases (so errors carry the
CLI's messages); the document describes them with the case model's own schema.
"""

from __future__ import annotations

from ..model import measure
from ..model import vocabulary as vocab
from ..model.case import Case
from .problems import KINDS

OUTCOMES = vocab.outcome_names()
FACTS = vocab.fact_ids()


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


CASE = _ref("Case")
CASE_OR_LIST = {"oneOf": [CASE, _list(CASE)]}
RESULT = _ref("Result")
RESULT_OR_LIST = {"oneOf": [RESULT, _list(RESULT)]}
_STRINGS = _list({"type": "string"})

_RESULT = {
    "type": "object",
    "description": "One case's result, as `rongcuo evaluate --format json` prints it.",
    "required": ["case", "profile", "rules", "as_of", "disposition", "outcomes", "consequences", "defeated"],
    "properties": {
        "case": {"type": "string"},
        "profile": {"type": "string"},
        "rules": {"type": "string", "description": "hash of the rule files loaded"},
        "as_of": {"type": "string", "format": "date"},
        "disposition": {"enum": OUTCOMES},
        "outcomes": _list(
            {
                "type": "object",
                "properties": {
                    "outcome": {"enum": OUTCOMES},
                    "modality": {"enum": [*vocab.vocabulary()["modalities"], None]},
                    "grounds": _STRINGS,
                    "catch_all": {"type": "boolean"},
                },
            }
        ),
        "consequences": _list(
            {"type": "object", "properties": {"consequence": {"type": "string"}, "args": _STRINGS, "grounds": _STRINGS}}
        ),
        "defeated": _list(
            {
                "type": "object",
                "properties": {"outcome": {"enum": OUTCOMES}, "grounds": _STRINGS, "blocked_by": {"type": "string"}},
            }
        ),
        "open_world": {"type": "object", "description": "with unknown facts: certain and possible outcomes"},
    },
}

_PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details; `detail` is the CLI's message.",
    "properties": {
        "type": {"type": "string", "enum": [f"urn:rongcuo:problem:{k}" for k in KINDS]},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": _list(
            {
                "type": "object",
                "properties": {"source": {"type": "string"}, "field": {"type": "string"}, "detail": {"type": "string"}},
            }
        ),
    },
}


def components() -> dict:
    """The schemas the paths refer to: the case model's, the result's and the problem's."""
    case = Case.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"Case": case, **case.pop("$defs", {}), "Result": _RESULT, "Problem": _PROBLEM}


def body(schema: dict, media: str = "application/json") -> dict:
    return {"requestBody": {"required": True, "content": {media: {"schema": schema}}}}


def answers(schema: dict, media: str = "application/json") -> dict:
    problems = {
        status: {
            "description": ", ".join(t for s, t in KINDS.values() if s == status),
            "content": {"application/problem+json": {"schema": _ref("Problem")}},
        }
        for status in (400, 413, 422, 503)
    }
    return {200: {"description": "The answer", "content": {media: {"schema": schema}}}, **problems}


def vocabulary_json() -> dict:
    """The input contract: groups, facts (with their clause's citation), dates, and the derived names."""
    v = vocab.vocabulary()
    facts = {
        fid: {**f, "citation": {"zh": measure.cite(f["clause"]), "en": measure.cite(f["clause"], "en")}}
        for fid, f in v["facts"].items()
    }
    return {
        "groups": v["groups"],
        "facts": facts,
        "dates": v["dates"],
        "outcomes": v["outcomes"],
        "modalities": v["modalities"],
        "consequences": v["consequences"],
    }
