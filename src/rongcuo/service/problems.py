"""Errors as RFC 9457 problem details (application/problem+json), never a stack trace.

Each kind of problem has a ``type`` URI (``urn:rongcuo:problem:KIND``), a fixed
title and a status; the ``detail`` carries the same message the CLI prints, in
the request's language (:func:`language`: its ``lang``, else Accept-Language,
else zh), and ``code`` its catalogue key (present/messages/errors.yaml) when it
has one.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from ..ask import CONTRADICTION
from ..engine import RuleError
from ..model.case import CaseError
from ..model.coded import Coded, Msg, OptionError, msg, render, text

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("rongcuo.service")

KINDS = {
    "invalid-case": (422, "The case is not valid"),
    "contradiction": (422, "The case's facts contradict each other"),
    "invalid-parameter": (422, "A parameter is not valid"),
    "not-well-formed": (400, "The body is not well-formed"),
    "body-too-large": (413, "The request body is too large"),
    "too-many-cases": (413, "Too many cases in one request"),
    "time-limit": (422, "Solving took longer than the time limit"),
    "busy": (503, "The service is busy"),
    "request-timeout": (408, "The request did not arrive in time"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "rules-failed": (500, "The rule set gave no usable answer"),
    "internal": (500, "Internal error"),
}
STATUS_KIND = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}


Detail = str | Coded | Msg  # a line as it is (pydantic's, FastAPI's), a coded error, or a catalogue key and values


class Problem(Exception):
    """A request answered with a problem: its kind, the detail (rendered in the request's language when
    it is coded), the rejected cases (``errors``), and extra members."""

    def __init__(
        self,
        kind: str,
        detail: Detail,
        headers: dict[str, str] | None = None,
        cases: list[CaseError] | None = None,
        **extra,
    ):
        super().__init__(detail_text(detail, "en"))
        self.kind, self.problem, self.headers, self.cases, self.extra = kind, detail, headers, cases, extra

    @property
    def status(self) -> int:
        return KINDS[self.kind][0]

    @property
    def code(self) -> str | None:
        """The catalogue key of the detail, when it has one."""
        found = self.problem
        return found.code if isinstance(found, Coded) else found.key if isinstance(found, Msg) else None

    def detail(self, lang: str = "zh") -> str:
        return detail_text(self.problem, lang)

    def body(self, instance: str, lang: str = "zh") -> dict:
        status, title = KINDS[self.kind]
        listed = {}
        if self.cases is not None:
            listed["errors"] = [
                {"source": e.source, "field": e.field, "code": e.code, "detail": e.text(lang)} for e in self.cases
            ]
        return {
            "type": f"urn:rongcuo:problem:{self.kind}",
            "title": title,
            "status": status,
            "detail": self.detail(lang),
            **({"code": self.code} if self.code else {}),
            "instance": instance,
            **listed,
            **self.extra,
        }


def detail_text(detail: Detail, lang: str) -> str:
    if isinstance(detail, Msg):
        return render(detail.key, lang, detail.values)
    return text(detail, lang) if isinstance(detail, Coded) else detail


def invalid(errors: list[CaseError]) -> Problem:
    """Rejected cases: the first message as detail, all of them under ``errors``; a contradiction when
    every one is two facts that cannot hold together (by its key)."""
    kind = "contradiction" if all(e.code == CONTRADICTION for e in errors) else "invalid-case"
    return Problem(kind, errors[0], cases=errors)


def language(request: Request) -> str:
    """The language of a request's messages: its ``lang`` parameter, else the first of zh and en its
    Accept-Language prefers (by q), else zh."""
    asked = request.query_params.get("lang")
    if asked in ("zh", "en"):
        return asked
    return accepted(request.headers.get("accept-language", ""))


def accepted(header: str) -> str:
    """zh or en, whichever an Accept-Language header prefers (zh when it names neither)."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and q > 0:
            ranked.append((-q, position, primary))
    return min(ranked)[2] if ranked else "zh"


def response(problem: Problem, request: Request) -> JSONResponse:
    return JSONResponse(
        problem.body(request.url.path, language(request)),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=problem.headers,
    )


async def _problem(request: Request, exc: Problem) -> JSONResponse:
    return response(exc, request)


# Starlette's own answers (an unknown path, a method a path does not take), by the catalogue key that says them.
STATUS_KEYS = {404: "errors.no_such_path", 405: "errors.method_not_allowed"}


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    kind = STATUS_KIND.get(exc.status_code, "invalid-parameter" if exc.status_code < 500 else "internal")
    key = STATUS_KEYS.get(exc.status_code)
    detail: Detail = Msg(key, {"method": request.method}) if key else str(exc.detail)
    return response(Problem(kind, detail, headers=getattr(exc, "headers", None)), request)


# FastAPI's checks of query parameters (pydantic's error types), by the catalogue key that says them.
_PARAMETER_KEYS = {
    "missing": "errors.required",
    "int_parsing": "errors.int_type",
    "int_type": "errors.int_type",
    "int_from_float": "errors.int_type",
    "greater_than_equal": "errors.at_least",
    "less_than_equal": "errors.at_most",
    "string_pattern_mismatch": "errors.not_allowed",
}
_CHOICES = re.compile(r"^\^\((?P<choices>[\w|]+)\)\$$")


def parameter_error(error: dict) -> OptionError:
    """One of FastAPI's errors as a coded one: the parameter (``max_changes``; ``query.`` left off, as the
    other parameter errors name it) and what is wrong, from the catalogue where pydantic's type has a key."""
    loc = [str(part) for part in error.get("loc", ())]
    field = ".".join(loc[1:] if len(loc) > 1 and loc[0] == "query" else loc) or "(request)"
    key, ctx = _PARAMETER_KEYS.get(error.get("type", "")), error.get("ctx") or {}
    value = repr(error.get("input"))
    if key == "errors.not_allowed":
        found = _CHOICES.match(str(ctx.get("pattern", "")))
        if found is None:
            key = None
        else:
            hint = msg("errors.use_one_of", choices=found["choices"].split("|"))
            return OptionError(field, key, value=value, hint=hint)
    if key == "errors.at_least" and "ge" in ctx:
        return OptionError(field, key, value=value, min=ctx["ge"])
    if key == "errors.at_most" and "le" in ctx:
        return OptionError(field, key, value=value, max=ctx["le"])
    if key in ("errors.required", "errors.int_type"):
        return OptionError(field, key, value=value)
    return OptionError(field, "errors.invalid", detail=str(error.get("msg", "")))


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own checks of query parameters, in one line each in the request's language: where, and
    what is wrong, with the catalogue key."""
    lang = language(request)
    errors = [parameter_error(e) for e in exc.errors()] or [OptionError("(request)", "errors.invalid", detail="")]
    listed = [{"field": e.option, "code": e.code, "detail": e.text(lang)} for e in errors]
    return response(Problem("invalid-parameter", errors[0], errors=listed), request)


async def _rules(request: Request, exc: RuleError) -> JSONResponse:
    return response(Problem("rules-failed", exc), request)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    # One line per failure; the traceback only when debugging (a flood of failures must not fill the disk).
    log.error(
        "internal error on %s: %s: %s",
        request.url.path,
        type(exc).__name__,
        exc,
        exc_info=log.isEnabledFor(logging.DEBUG),
    )
    return response(Problem("internal", Msg("errors.internal", {})), request)


async def _gone(request: Request, exc: ClientDisconnect) -> Response:
    # The client left (or service.connections closed it, too slow) before its body was read: nobody to
    # answer, and nothing failed here.
    log.debug("client gone on %s", request.url.path)
    return Response(status_code=499)


class Contained:
    """ASGI middleware, inside the security headers: an exception no handler took is answered with the
    internal problem and logged in one line (:func:`_internal`) — never raised on to the server, whose
    log would add a full traceback for every failure and whose own 500 would go out without the
    security headers. Once the answer has begun there is nothing left to send: the line is logged."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def sending(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            answer = await _internal(Request(scope), exc)
            if not started:
                await answer(scope, receive, send)


def install(app: FastAPI) -> None:
    # Starlette types a handler as taking any Exception; each of these takes the one it is registered for.
    app.add_exception_handler(Problem, _problem)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(RuleError, _rules)  # type: ignore[arg-type]
    app.add_exception_handler(ClientDisconnect, _gone)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _internal)  # what fails outside Contained (the middlewares)
    app.add_middleware(Contained)  # the innermost of the app's middlewares: the headers go on its answer
