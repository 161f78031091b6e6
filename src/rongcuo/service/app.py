"""The ASGI application: the JSON API, the page, the limits and the problem responses."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from . import api, page, problems, schema
from .answers import Service
from .headers import SecurityHeaders
from .limits import BodyLimit, Forgetting

DESCRIPTION = """容错 — the 奈曼旗市场监督管理局行政执法容错纠错实施办法 as Answer Set Programming.

Request bodies are case files as JSON (the schema of `rongcuo evaluate`); responses are the CLI's JSON.
Errors are RFC 9457 problem details carrying the CLI's messages. Every result is an eligibility
finding: the determination is the party group's (第十四条)."""


def create_app(service: Service) -> FastAPI:
    app = FastAPI(title="rongcuo", version="0.1.0", description=DESCRIPTION, docs_url=None, redoc_url=None)
    app.state.service = service
    problems.install(app)
    app.add_middleware(BodyLimit, limits=service.limits)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Forgetting, limits=service.limits)
    app.include_router(api.router)
    app.include_router(page.router)
    app.add_api_route("/healthz", _healthz, methods=["GET"], summary="Liveness", include_in_schema=True)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]  # FastAPI's documented way to extend it
    return app


async def _healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _openapi(app: FastAPI) -> dict:
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        document.setdefault("components", {}).setdefault("schemas", {}).update(schema.components())
        app.openapi_schema = document
    return app.openapi_schema
