"""The JSON API under /v1: request bodies are case files as JSON, responses the CLI's JSON."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ..ask import Ask
from ..engine import Result, RuleSet
from ..engine import profiles as bundled_profiles
from ..explain import held_fixed
from ..explain.serialize import alternative_json, explanation_json
from ..ledger import ledger
from ..model import measure
from . import inputs, schema
from .answers import Service
from .limits import client_of
from .problems import language
from .stream import batch_lines, numbered

router = APIRouter(prefix="/v1")

Profile = Annotated[str | None, Query(description="A served profile (see /v1/profiles); default: the server's.")]
AsOf = Annotated[
    str | None, Query(description="Evaluation date, YYYY-MM-DD; default: the case's own as_of, else today.")
]
EffectiveDate = Annotated[
    str | None,
    Query(description="The measure's commencement (a20; the text gives none), YYYY-MM-DD: earlier conduct is flagged."),
]
CASE_RECORD = schema.CASE
Outcome = Annotated[str | None, Query(description="An outcome: " + ", ".join(schema.OUTCOMES))]


class Results(JSONResponse):
    """Results as starlette's JSONResponse writes them (compact, UTF-8, no key but a string, no float), byte for
    byte, written by orjson: 0.6 µs a result, not 7."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def _ask(request: Request, profile: str | None, as_of: str | None, effective_date: str | None) -> tuple[Service, Ask]:
    service: Service = request.app.state.service
    return service, service.ask(profile, inputs.day(as_of), inputs.day(effective_date, "effective_date"))


def _asked(request: Request) -> tuple[Service, Ask]:
    """The Ask of the three query parameters, read as FastAPI would (the last of a repeated one), without its
    dependency solving per request: a fifth of the event loop's work on /v1/evaluate."""
    query = request.query_params
    return _ask(request, query.get("profile"), query.get("as_of"), query.get("effective_date"))


def _documented(name: str, kind: Any) -> dict:
    """The OpenAPI entry FastAPI writes of an optional text query parameter (tests/test_service.py compares)."""
    description = kind.__metadata__[0].description
    text = {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": description,
        "title": name.replace("_", " ").title(),
    }
    return {"name": name, "in": "query", "required": False, "schema": text, "description": description}


ASKED = [_documented("profile", Profile), _documented("as_of", AsOf), _documented("effective_date", EffectiveDate)]


@router.post(
    "/evaluate",
    summary="Evaluate one case or a list of cases",
    openapi_extra=schema.body(schema.CASE_OR_LIST) | {"parameters": ASKED},
    responses=schema.answers(schema.RESULT_OR_LIST),
)
async def evaluate(request: Request) -> JSONResponse:
    """One result per case, as `rongcuo evaluate --format json` prints it; a list in, a list out."""
    service, ask = _asked(request)
    data = inputs.decode(await request.body())
    async with service.gate.slot(request):
        out = await service.evaluate(ask, inputs.cases_of(data, service.limits.max_cases))
    return Results(out if isinstance(data, list) else out[0])


@router.post(
    "/explain",
    summary="Why each outcome holds",
    openapi_extra=schema.body(schema.CASE),
    responses=schema.answers({"type": "object"}),
)
async def explain(
    request: Request,
    outcome: Outcome = None,
    profile: Profile = None,
    as_of: AsOf = None,
    effective_date: EffectiveDate = None,
) -> JSONResponse:
    """The result with a derivation tree per outcome (``why``), as `rongcuo explain --format json`."""
    service, ask = _ask(request, profile, as_of, effective_date)
    case = inputs.one_case(inputs.decode(await request.body()))
    async with service.gate.slot(request):
        found = await service.explain(ask, case, inputs.outcome(outcome, "outcome"))
    return JSONResponse(explanation_json(found))


OPINION_TYPES = {  # as present.opinion.FORMATS (not imported here: it is only needed when asked)
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


@router.post(
    "/opinion",
    summary="The draft 认定意见 of a case (Word, HTML or Markdown)",
    openapi_extra=schema.body(schema.CASE),
    responses={200: {"content": {t: {} for t in OPINION_TYPES.values()}}},
)
async def opinion(
    request: Request,
    format: Annotated[str, Query(pattern="^(docx|html|md)$", description="docx, html or md.")] = "docx",
    lang: Annotated[str, Query(pattern="^(zh|en)$", description="zh or en.")] = "zh",
    profile: Profile = None,
    as_of: AsOf = None,
    effective_date: EffectiveDate = None,
) -> Response:
    """The document `rongcuo opinion` writes: 基本情况, 认定依据, 认定意见, 后续事项, as an attachment."""
    service, ask = _ask(request, profile, as_of, effective_date)
    case = inputs.one_case(inputs.decode(await request.body()))
    async with service.gate.slot(request):
        body = await service.opinion(ask, case, format, lang)
    return Response(
        body, media_type=OPINION_TYPES[format], headers={"Content-Disposition": attachment(case.id, format)}
    )


def attachment(case_id: str, format: str) -> str:
    """A download's Content-Disposition: an ASCII name, and the case's own id (RFC 5987) for those who read it."""
    from urllib.parse import quote

    return f"attachment; filename=\"opinion.{format}\"; filename*=UTF-8''{quote(case_id, safe='')}.opinion.{format}"


@router.post(
    "/whynot",
    summary="Why outcomes do not hold",
    openapi_extra=schema.body(schema.CASE),
    responses=schema.answers({"type": "object"}),
)
async def whynot(
    request: Request,
    outcome: Annotated[list[str], Query(description="One or more outcomes.")],
    profile: Profile = None,
    as_of: AsOf = None,
    effective_date: EffectiveDate = None,
) -> JSONResponse:
    """Every rule that could derive each OUTCOME, with what stops it (``why_not``), as `rongcuo whynot`."""
    service, ask = _ask(request, profile, as_of, effective_date)
    case = inputs.one_case(inputs.decode(await request.body()))
    names = tuple(inputs.outcome(name, "outcome") or name for name in outcome)
    async with service.gate.slot(request):
        found = await service.explain(ask, case, outcome="", why_not_of=names)
    return JSONResponse(explanation_json(found))


@router.post(
    "/whatif",
    summary="The smallest changes that reach a disposition",
    openapi_extra=schema.body(schema.CASE),
    responses=schema.answers({"type": "object"}),
)
async def whatif(
    request: Request,
    to: Outcome = None,
    avoid: Outcome = None,
    fixed: Annotated[list[str] | None, Query(description="Facts that may not change.")] = None,
    free: Annotated[
        list[str] | None,
        Query(description="Facts that may change though held fixed by default (enforcement_personnel)."),
    ] = None,
    actionable: Annotated[bool, Query(description="Only actionable facts not yet true.")] = False,
    max_changes: Annotated[int | None, Query(ge=0, le=len(schema.FACTS))] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    profile: Profile = None,
    as_of: AsOf = None,
    effective_date: EffectiveDate = None,
) -> JSONResponse:
    """Each smallest set of fact changes making TO the disposition (or avoiding AVOID), verified by evaluation."""
    service, ask = _ask(request, profile, as_of, effective_date)
    case = inputs.one_case(inputs.decode(await request.body()))
    to, avoid = inputs.outcome(to, "to"), inputs.outcome(avoid, "avoid")
    async with service.gate.slot(request):
        ask, applied = await service.applied(ask, case)  # under a timeline: the version the case applies
        found = await service.whatif(
            ask,
            case,
            to=to,
            avoid=avoid,
            fixed=inputs.facts(fixed or [], "fixed"),
            free=inputs.facts(free or [], "free"),
            actionable=actionable,
            max_changes=max_changes,
            limit=limit,
        )
    return JSONResponse(
        {
            "case": case.id,
            "to": to,
            "avoid": avoid,
            "actionable": actionable,
            "held_fixed": list(held_fixed(to, tuple(fixed or ()), tuple(free or ()))),
            "freed": sorted(free or ()),
            "alternatives": [alternative_json(a) for a in found],
            **versioned(applied),
        }
    )


def versioned(applied: Result | None) -> dict:
    """Under a timeline, the version whose rule set a what-if searched, and why it applies (else nothing)."""
    if applied is None:
        return {}
    return {"version": applied.version, "version_reason": applied.version_reason}


@router.post(
    "/batch",
    summary="Evaluate a JSONL body, streaming JSONL back",
    response_class=StreamingResponse,
    openapi_extra=schema.body({"type": "string"}, "application/x-ndjson") | {"parameters": ASKED},
    responses=schema.answers({"type": "string"}, "application/x-ndjson"),
)
async def batch(request: Request) -> StreamingResponse:
    """One case per line in; one line per case out, in order: its result, or why it was rejected."""
    service, ask = _asked(request)
    lines = numbered(await request.body(), service.limits.max_batch_cases)
    client = client_of(request)
    service.gate.check(client)  # the stream holds one of its client's share while it lasts
    lang = language(request)
    return StreamingResponse(batch_lines(service, ask, lines, lang, client), media_type="application/x-ndjson")


EXTRACT_BODY = {
    "type": "object",
    "required": ["narrative"],
    "properties": {"narrative": {"type": "string"}, "id": {"type": "string"}},
}
CONFIRM_BODY = {
    "type": "object",
    "required": ["case", "answers"],
    "properties": {
        "case": CASE_RECORD,
        "answers": {
            "type": "object",
            "additionalProperties": {"enum": ["accept", "reject", "true", "false", "unknown"]},
        },
    },
}


@router.post(
    "/extract",
    summary="Propose the facts and dates of a narrative (prose report), with their evidence",
    openapi_extra=schema.body(EXTRACT_BODY),
    responses=schema.answers({"type": "object"}),
)
async def extract(request: Request) -> JSONResponse:
    """The proposed case record, as `rongcuo extract` writes it: every fact and date with its evidence
    (``needs_confirmation: true``) and the ranked candidates; ``bank`` says whether confirmations are kept."""
    service: Service = request.app.state.service
    data = inputs.decode(await request.body())
    data = data if isinstance(data, dict) else {}
    async with service.gate.slot(request):
        record = await service.extract(data.get("narrative"), data.get("id", "WEB-1"))
    return JSONResponse({"case": record, "bank": service.bank is not None})


@router.post(
    "/confirm",
    summary="Confirm, reject or correct the proposed facts of an extracted case",
    openapi_extra=schema.body(CONFIRM_BODY),
    responses=schema.answers({"type": "object"}),
)
async def confirm(request: Request) -> JSONResponse:
    """The case after the analyst's answers (fact → accept, reject, true, false or unknown; a fact not
    answered stays as proposed). Facts confirmed true give their evidence sentence to the bank when the
    server has one (``serve --bank``): ``banked`` lists them."""
    service: Service = request.app.state.service
    data = inputs.decode(await request.body())
    data = data if isinstance(data, dict) else {}
    async with service.gate.slot(request):
        record, confirmed = await service.confirm(data.get("case"), data.get("answers", {}))
    kept = service.bank is not None
    return JSONResponse({"case": record, "banked": confirmed if kept else [], "bank": kept})


@router.get("/clauses", summary="The clause ledger, with the measure's text")
async def clauses() -> JSONResponse:
    return JSONResponse(_ledger())


@router.get("/vocabulary", summary="The fact ids a case may use, with their labels and clauses")
async def vocabulary() -> JSONResponse:
    return JSONResponse(schema.vocabulary_json())


@router.get("/profiles", summary="The rule sets this server answers with")
async def profiles(request: Request) -> JSONResponse:
    service: Service = request.app.state.service
    return JSONResponse(
        [
            {"name": name, "profile": rules.profile, "rules": rules.digest, "default": name == service.default}
            | ({"timeline": service.timelines[name].digest} if name in service.timelines else {})
            for name, rules in service.rulesets.items()
        ]
    )


@cache
def _ledger() -> list[dict]:
    """`rongcuo clauses --format json`, with each clause's citation and text."""
    entries = ledger([RuleSet.load(p, corpus=True) for p in bundled_profiles()])
    return [
        {
            "clause": e.clause,
            "citation": {"zh": measure.cite(e.clause), "en": measure.cite(e.clause, "en")},
            "text": measure.text(e.clause),
            "status": e.status,
            "reason": e.reason,
            "rules": [f"{r.file}:{r.line}" for r in e.rules],
        }
        for e in entries
    ]
