"""The analysts' page at /: tick what happened, read what the measure says and why.

The page is a function of its URL: the case's id, its true and unknown facts
and its dates are the query string (``?id=…&inspection_target_concealed=true
&conduct=2024-03-01``), so the address reproduces the case. A pasted case
file is posted and answered with a redirect to its address. Everything is
rendered by jinja2 (templates/page.html) — no external assets, no script
needed beyond one line that leaves the false facts out of the address.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, replace
from functools import cache
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..engine import RuleError
from ..explain.serialize import derivers
from ..model import measure
from ..model import vocabulary as vocab
from ..model.case import Case, CaseError
from ..model.coded import OptionError, msg, suggest
from ..model.decode import DecodeError, decode_yaml
from ..present.render import render
from . import inputs
from .answers import Service
from .headers import page_policy
from .problems import Problem, invalid

router = APIRouter(include_in_schema=False)

OPTIONS = ("lang", "profile", "as_of", "id", "to", "avoid")
FACTS = vocab.fact_ids()
DATES = vocab.date_keys()
WHATIF_LIMIT = 5


@dataclass(frozen=True)
class Form:
    """The page's state, as its query string holds it."""

    lang: str = "zh"
    profile: str = ""
    as_of: str = ""
    case_id: str | None = None
    facts: dict[str, str] = field(default_factory=dict)  # fact → "true" | "unknown" (false is left out)
    dates: dict[str, str] = field(default_factory=dict)
    to: str = ""
    avoid: str = ""
    stray: tuple[str, ...] = ()  # parameters the page does not know

    @classmethod
    def read(cls, params) -> Form:
        get = params.get
        return cls(
            lang="en" if get("lang") == "en" else "zh",
            profile=get("profile") or "",
            as_of=get("as_of") or "",
            case_id=get("id"),
            facts={f: get(f) for f in FACTS if get(f) not in (None, "false")},
            dates={d: get(d) for d in DATES if get(d)},
            to=get("to") or "",
            avoid=get("avoid") or "",
            stray=tuple(k for k in params if k not in OPTIONS and k not in FACTS and k not in DATES),
        )

    @classmethod
    def of_case(cls, case: Case, lang: str, profile: str, as_of: str) -> Form:
        facts = {f: "true" for f in case.true_facts()} | {f: "unknown" for f in case.unknown_facts()}
        return cls(
            lang,
            profile,
            as_of,
            case.id,
            {f: facts[f] for f in FACTS if f in facts},
            {d: v.isoformat() for d, v in case.dates.items()},
        )

    def case_data(self) -> dict:
        values = {"true": True, "unknown": "unknown"}
        return {"id": self.case_id, "facts": {f: values.get(v, v) for f, v in self.facts.items()}, "dates": self.dates}

    def url(self, **change) -> str:
        form = replace(self, **change)
        pairs = [
            ("lang", form.lang),
            ("profile", form.profile),
            ("as_of", form.as_of),
            ("id", form.case_id),
            *form.facts.items(),
            *form.dates.items(),
            ("to", form.to),
            ("avoid", form.avoid),
        ]
        return "/?" + urlencode([(k, v) for k, v in pairs if v])

    def opinion_url(self, format: str = "docx") -> str:
        """The address of the case's draft 认定意见 (page.opinion)."""
        return "/opinion" + self.url(to="", avoid="")[1:] + "&format=" + format

    def applied(self, alternative) -> str:
        """The address of the case with an alternative's changes made."""
        facts = {f: v for f, v in self.facts.items() if f not in alternative.changes.false}
        facts |= {f: "true" for f in alternative.changes.true}
        return self.url(facts={f: facts[f] for f in FACTS if f in facts}, to="", avoid="")


@router.get("/", response_class=HTMLResponse)
async def page(request: Request) -> HTMLResponse:
    form = Form.read(request.query_params)
    answer = await _answer(request.app.state.service, form, request) if form.case_id is not None or form.stray else {}
    return _page(request.app.state.service, form, **answer)


@router.get("/opinion")
async def opinion(request: Request) -> Response:
    """The page's case (its address) as a draft 认定意见: the download link of the result."""
    from .api import OPINION_TYPES, attachment

    form = Form.read({k: v for k, v in request.query_params.items() if k != "format"})
    format = request.query_params.get("format", "docx")
    service = request.app.state.service
    try:
        if format not in OPINION_TYPES:
            raise Problem("invalid-parameter", OptionError("format", "errors.page_format", value=repr(format)))
        ask = service.ask(form.profile or None, inputs.day(form.as_of or None))
        case = inputs.one_case(form.case_data())
        async with service.gate.slot(request):
            body = await service.opinion(ask, case, format, form.lang)
    except Problem as p:
        return _page(service, form, error=p.detail(form.lang), status=p.status)
    return Response(
        body, media_type=OPINION_TYPES[format], headers={"Content-Disposition": attachment(case.id, format)}
    )


@router.post("/", response_class=HTMLResponse)
async def paste(request: Request) -> Response:
    """A pasted case file (YAML or JSON): answered with a redirect to the case's address."""
    fields = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
    form = Form.read({k: v for k, v in fields.items() if k in ("lang", "profile", "as_of")})
    text = fields.get("case_text", "")
    try:
        case = inputs.one_case(_pasted(text))
    except Problem as p:
        return _page(request.app.state.service, form, error=p.detail(form.lang), status=p.status, pasted=text)
    return RedirectResponse(Form.of_case(case, form.lang, form.profile, form.as_of).url(), status_code=303)


def _pasted(text: str):
    try:
        return decode_yaml(text)  # JSON is YAML: one bounded loader for both
    except DecodeError as e:
        code = "errors.not_yaml_or_json" if e.code == "errors.not_yaml" else e.code  # the box takes either
        raise invalid([CaseError("pasted case", e.where, code, **e.values)]) from None


async def _answer(service: Service, form: Form, request: Request) -> dict:
    """The explanation of the case (why, why not), and the what-if alternatives when asked."""
    try:
        if form.stray:
            name = form.stray[0]
            hint = suggest(name, [*FACTS, *DATES, *OPTIONS], "", msg("errors.see_vocabulary_api"))
            raise Problem("invalid-parameter", OptionError(name, "errors.page_stray", hint=hint))
        ask = service.ask(form.profile or None, inputs.day(form.as_of or None))
        case = inputs.one_case(form.case_data())
        to, avoid = inputs.outcome(form.to or None, "to"), inputs.outcome(form.avoid or None, "avoid")
        async with service.gate.slot(request):
            explanation = await service.explain(ask, case, why_not_of=tuple(vocab.outcome_names()))
            ask = ask.applying(explanation.result)  # under a timeline, the version the case applies
            alternatives = (
                await service.whatif(ask, case, to=to, avoid=avoid, limit=WHATIF_LIMIT) if to or avoid else None
            )
    except Problem as p:
        return {"error": p.detail(form.lang), "status": p.status}
    except RuleError as e:
        return {"error": e.text(form.lang), "status": 500}
    return {"explanation": explanation, "alternatives": alternatives, "derivers": derivers(ask.rules)}


# The review view: a narrative's proposals confirmed against their evidence -------------------------


def _fields(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}


@router.get("/review", response_class=HTMLResponse)
async def review_page(request: Request) -> HTMLResponse:
    lang = "en" if request.query_params.get("lang") == "en" else "zh"
    return _review(request.app.state.service, lang)


@router.post("/review", response_class=HTMLResponse)
async def review_extract(request: Request) -> HTMLResponse:
    """A pasted narrative: its proposed facts, each with its evidence marked in the text."""
    fields = _fields(await request.body())
    lang = "en" if fields.get("lang") == "en" else "zh"
    service: Service = request.app.state.service
    narrative, case_id = fields.get("narrative", ""), fields.get("id") or "WEB-1"
    try:
        async with service.gate.slot(request):
            record = await service.extract(narrative, case_id)
    except Problem as p:
        return _review(service, lang, narrative=narrative, case_id=case_id, error=p.detail, status=p.status)
    return _review(service, lang, record=record, narrative=narrative, case_id=case_id)


@router.post("/review/confirm", response_class=HTMLResponse)
async def review_confirm(request: Request) -> HTMLResponse:
    """The analyst's answers: the confirmed case evaluated on the page, with its case file to download."""
    fields = _fields(await request.body())
    lang = "en" if fields.get("lang") == "en" else "zh"
    service: Service = request.app.state.service
    record: dict | None = None
    try:
        record = _record(fields.get("record", ""))
        answers = {k.removeprefix("answer."): v for k, v in fields.items() if k.startswith("answer.") and v != "skip"}
        record["dates"] = {k.removeprefix("date."): v for k, v in fields.items() if k.startswith("date.") and v}
        async with service.gate.slot(request):
            confirmed, banked = await service.confirm(record, answers)
        case = inputs.one_case(confirmed)
    except Problem as p:
        return _review(service, lang, record=record, error=p.detail, status=p.status)
    form = Form.of_case(case, lang, "", "")
    answer = await _answer(service, form, request)
    kept = service.bank is not None
    confirmation = {"record": json.dumps(confirmed, ensure_ascii=False), "banked": banked if kept else [], "kept": kept}
    return _page(service, form, confirmation=confirmation, **answer)


@router.post("/review/download")
async def review_download(request: Request) -> Response:
    """The confirmed case file (YAML), as `rongcuo extract --review` writes it."""
    from ..extract import dump

    fields = _fields(await request.body())
    service: Service = request.app.state.service
    try:
        record = _record(fields.get("record", ""))
        inputs.one_case(record)
    except Problem as p:
        return _review(service, "zh", error=p.detail, status=p.status)
    return Response(
        dump(record),
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="case.yaml"; '
            f"filename*=UTF-8''{quote(str(record['id']), safe='')}.yaml"
        },
    )


def _record(text: str) -> dict:
    data = inputs.decode(text.encode("utf-8"))
    if not isinstance(data, dict):
        raise invalid([CaseError("request", "record", "errors.review_form_record")])
    return data


def _review(service: Service, lang: str, *, record: dict | None = None, status: int = 200, **context) -> HTMLResponse:
    from ..extract.review import items as proposed

    nonce = secrets.token_urlsafe(16)
    shown = []
    if record is not None:
        scored = {c["fact"]: c for c in record.get("extraction", {}).get("candidates", [])}
        for i, item in enumerate(proposed(record)):
            extra = scored.get(item.fact, {}) if item.candidate else {}
            shown.append(
                {
                    "index": i,
                    "fact": item.fact,
                    "value": item.value,
                    "candidate": item.candidate,
                    "evidence": item.evidence,
                    "score": extra.get("score"),
                    "reason": extra.get("reason"),
                }
            )
    html = render(
        "page/review.html",
        lang,
        nonce=nonce,
        record=record,
        record_json=json.dumps(record, ensure_ascii=False) if record else "",
        items=shown,
        segments=segments(record.get("narrative", "") if record else "", shown),
        date_keys=DATES,
        bank=service.bank is not None,
        narrative=context.get("narrative", record.get("narrative", "") if record else ""),
        case_id=context.get("case_id", record.get("id", "WEB-1") if record else "WEB-1"),
        error=context.get("error"),
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": page_policy(nonce)})


def segments(narrative: str, shown: list[dict]) -> list[tuple[str, list[int], list[int]]]:
    """The narrative cut where an evidence span starts or ends: each piece, the items whose evidence
    covers it, and the items whose evidence starts there (their anchors)."""
    spans = [(s["index"], s["evidence"].get("start", 0), s["evidence"].get("end", 0)) for s in shown]
    cuts = sorted({0, len(narrative), *(a for _, a, _ in spans), *(b for _, _, b in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [i for i, s, e in spans if s <= a and b <= e]
        out.append((narrative[a:b], covering, [i for i, s, _ in spans if s == a]))
    return out


def _page(service: Service, form: Form, *, status: int = 200, **answer) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)  # the page's one script runs; nothing a case put on it does
    html = render(
        "page/page.html",
        form.lang,
        nonce=nonce,
        form=form,
        groups=groups(),
        dates=DATES,
        profiles=list(service.rulesets),
        default_profile=service.default,
        outcome_names=vocab.outcome_names(),
        error=answer.get("error"),
        explanation=answer.get("explanation"),
        alternatives=answer.get("alternatives"),
        derivers=answer.get("derivers", {}),
        pasted=answer.get("pasted", ""),
        confirmation=answer.get("confirmation"),
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": page_policy(nonce)})


@cache
def groups() -> list[tuple[str, list[str], list[str]]]:
    """Each fact group with its facts and the clauses they cite, in the measure's order."""
    facts = vocab.vocabulary()["facts"]
    out = []
    for group in vocab.vocabulary()["groups"]:
        members = [f for f, d in facts.items() if d["group"] == group]
        clauses = sorted({facts[f]["clause"] for f in members}, key=measure.order)
        out.append((group, members, clauses))
    return out
