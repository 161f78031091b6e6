"""Errors as RFC 9457 problem details (application/problem+json), never a stack trace.

Each kind of problem has a ``type`` URI (``urn:rongcuo:problem:KIND``), a fixed
title and a status; the ``detail`` carries the same message the CLI prints.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..engine import RuleError
from ..model.case import CaseError

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
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "rules-failed": (500, "The rule set gave no usable answer"),
    "internal": (500, "Internal error"),
}
STATUS_KIND = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}


class Problem(Exception):
    """A request answered with a problem: its kind, the detail, and extra members."""

    def __init__(self, kind: str, detail: str, headers: dict[str, str] | None = None, **extra):
        super().__init__(detail)
        self.kind, self.detail, self.headers, self.extra = kind, detail, headers, extra

    @property
    def status(self) -> int:
        return KINDS[self.kind][0]

    def body(self, instance: str) -> dict:
        status, title = KINDS[self.kind]
        return {
            "type": f"urn:rongcuo:problem:{self.kind}",
            "title": title,
            "status": status,
            "detail": self.detail,
            "instance": instance,
            **self.extra,
        }


def invalid(errors: list[CaseError]) -> Problem:
    """Rejected cases: the first message as detail, all of them under ``errors``."""
    listed = [{"source": e.source, "field": e.field, "detail": str(e)} for e in errors]
    kind = "contradiction" if all(" contradict each other" in e.message for e in errors) else "invalid-case"
    return Problem(kind, str(errors[0]), errors=listed)


def response(problem: Problem, request: Request) -> JSONResponse:
    return JSONResponse(
        problem.body(request.url.path), status_code=problem.status, media_type=MEDIA_TYPE, headers=problem.headers
    )


async def _problem(request: Request, exc: Problem) -> JSONResponse:
    return response(exc, request)


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    kind = STATUS_KIND.get(exc.status_code, "invalid-parameter" if exc.status_code < 500 else "internal")
    return response(Problem(kind, str(exc.detail), headers=getattr(exc, "headers", None)), request)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own checks of query parameters, in one line each: where, and what is wrong."""
    errors = [{"field": ".".join(str(p) for p in e["loc"]), "detail": e["msg"]} for e in exc.errors()]
    first = errors[0] if errors else {"field": "(request)", "detail": "not valid"}
    return response(Problem("invalid-parameter", f"{first['field']}: {first['detail']}", errors=errors), request)


async def _rules(request: Request, exc: RuleError) -> JSONResponse:
    return response(Problem("rules-failed", str(exc)), request)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    # One line per failure; the traceback only when debugging (a flood of failures must not fill the disk).
    log.error(
        "internal error on %s: %s: %s",
        request.url.path,
        type(exc).__name__,
        exc,
        exc_info=log.isEnabledFor(logging.DEBUG),
    )
    return response(Problem("internal", "the service failed on this request; it is logged on the server"), request)


def install(app: FastAPI) -> None:
    # Starlette types a handler as taking any Exception; each of these takes the one it is registered for.
    app.add_exception_handler(Problem, _problem)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(RuleError, _rules)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _internal)
