"""`rongcuo serve`: the JSON API and the analysts' web page (rongcuo.service)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .app import StoreOpt, TimelineOpt, TrustOpt, app, command_lang, fail, load_rules, load_timeline, rule_root, warn
from .words import h

if TYPE_CHECKING:
    from ..engine import RuleSet, Timeline


@app.command(help=h("serve"))
def serve(
    host: Annotated[str, typer.Option("--host", help=h("serve.host"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=h("serve.port"))] = 8000,
    rules: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--rules",
            help=h("serve.rules"),
        ),
    ] = None,
    profile: Annotated[str, typer.Option("--profile", help=h("serve.profile"))] = "default",
    trust: TrustOpt = False,
    max_body: Annotated[int, typer.Option("--max-body", help=h("serve.max-body"))] = 1_000_000,
    max_cases: Annotated[int, typer.Option("--max-cases", help=h("serve.max-cases"))] = 100,
    time_limit: Annotated[float, typer.Option("--time-limit", help=h("serve.time-limit"))] = 10.0,
    concurrency: Annotated[int, typer.Option("--concurrency", help=h("serve.concurrency"))] = 32,
    workers: Annotated[int, typer.Option("--workers", min=1, help=h("serve.workers"))] = 1,
    access_log: Annotated[bool, typer.Option("--access-log", help=h("serve.access-log"))] = False,
    bank: Annotated[Optional[Path], typer.Option("--bank", help=h("serve.bank"))] = None,
    decision_log: Annotated[
        Optional[Path], typer.Option("--decision-log", help=h("serve.decision-log"), metavar="FILE")
    ] = None,
    store: StoreOpt = None,
    timeline: TimelineOpt = None,
) -> None:
    # Imported here: the other commands start without the web stack.
    import uvicorn

    from ..model.case import CaseError
    from ..service import Limits, Service, create_app
    from ..service.connections import guarded

    timelines = _timelines(timeline, rules or [], trust)
    # Under a timeline, a profile's rule set is its first version's (as ask_of's): not loaded a second time.
    served = {name: t.rules_of(None) for name, t in timelines.items()} or _rulesets(rules or [], trust)
    limits = Limits(max_body=max_body, max_cases=max_cases, time_limit=time_limit, concurrency=concurrency)
    try:
        log = None
        if decision_log is not None:
            from ..replay import DecisionLog

            log = DecisionLog.at(decision_log, store, "serve")
        service = Service(served, profile, limits, bank, log, timelines)
        if bank is not None:
            from ..extract.semantic import read_bank

            read_bank(bank)  # a bank that cannot be read is named now, not at the first review
    except ValueError as e:
        fail(e)
    except CaseError as e:
        fail(e)
    _listenable(host, port)
    warn(_serving(list(served), f"http://{host}:{port}/", timeline))
    gc.freeze()  # the rule sets live as long as the server: the collector need not scan them again
    connections = max(64, 8 * concurrency)
    asgi = create_app(service)
    settings: dict[str, Any] = dict(
        host=host,
        port=port,
        log_level="warning",
        access_log=access_log,
        # uvicorn's own bounds: open connections beyond these get its 503 (the gate answers the solving
        # ones); an idle keep-alive connection is closed after 5 s; a request head is at most 16 KiB (h11).
        limit_concurrency=connections,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
        # and the slow clients' (service.connections): a head within 10 s, a body at 64 KiB/s, a
        # quarter of the connections for one address — else 1,100 slow connections refuse everyone else.
        http=guarded(limits, connections),
    )
    if workers == 1:
        uvicorn.run(asgi, **settings)
        return
    from ..service import prefork

    raise typer.Exit(prefork.run(uvicorn.Config(asgi, **settings), workers))


def _serving(names: list[str], url: str, timeline: str | None) -> str:
    """The line serve starts with, in the command's language: what it serves, where, and on which timeline."""
    from .. import timeline as versions
    from ..present.render import message

    lang = command_lang()
    served = ("、" if lang == "zh" else ", ").join(names)
    if timeline is None:
        return message("serve.serving", lang, names=served, url=url)
    return message("serve.serving_timeline", lang, names=served, url=url, timeline=versions.named(timeline))


def _listenable(host: str, port: int) -> None:
    """The address bound once, as uvicorn binds it (SO_REUSEADDR), and let go: one that is taken or not this
    machine's is said in one line (exit 2) before the server claims to serve — uvicorn says it in English."""
    import socket

    from ..model.coded import os_reason

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as e:
        fail("errors.cli_serve_bind", address=f"{host}:{port}", reason=os_reason(e))


def _rulesets(dirs: list[Path], trust: bool) -> dict[str, RuleSet]:
    """The bundled profiles by name, and each --rules directory's as DIRNAME/PROFILE."""
    from ..engine import RuleError, profiles

    served = {p: load_rules(p, None, False) for p in profiles()}
    for root in dirs:
        try:
            found = profiles(rule_root(root))
        except RuleError as e:
            fail(e)
        if not found:
            fail("errors.cli_serve_no_profiles", root=str(root))
        for p in found:
            name = f"{root.resolve().name}/{p}"
            if name in served:
                fail("errors.cli_serve_twice", root=str(root), name=name)
            served[name] = load_rules(p, root, trust)
    return served


def _timelines(timeline: str | None, dirs: list[Path], trust: bool) -> dict[str, Timeline]:
    """With ``--timeline``, each bundled profile's timeline, loaded at start as the rule sets are: a
    timeline that does not load ends the command before the server starts; not with --rules, as evaluate."""
    from ..engine import profiles

    if timeline is None:
        return {}
    if dirs:
        fail("errors.timeline_with_rules")
    return {name: load_timeline(timeline, name, trust) for name in profiles()}
