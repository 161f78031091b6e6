"""`rongcuo replay LOG`: re-derive the decisions of a decision log and certify them (rongcuo.replay)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import Lang, LangOpt, TextFormat, TrustOpt, app, fail, load_rules, warn
from .words import h


@app.command(help=h("replay"))
def replay(
    log: Annotated[Path, typer.Argument(help=h("replay.log"))],
    store: Annotated[Optional[Path], typer.Option("--store", help=h("replay.store"), metavar="DIR")] = None,
    under: Annotated[Optional[Path], typer.Option("--under", help=h("replay.under"))] = None,
    trust: TrustOpt = False,
    format: Annotated[TextFormat, typer.Option("--format", help=h("replay.format"))] = TextFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    from dataclasses import asdict

    from ..model.coded import os_reason
    from ..present.render import render
    from ..replay import CERTIFIED, MISSING_INPUT, Store, default_store, read_log
    from ..replay import replay as replayed
    from ..replay import under as asked_under

    try:
        entries, bad = read_log(log)
    except OSError as e:
        fail("errors.replay_no_log", log=str(log), reason=os_reason(e))
    for b in bad:
        warn(b.code, log=str(log), line=b.line, **b.values)
    found = Store(store or default_store(log))
    if under is not None:
        loaded: dict = {}

        def rules_of(profile: str):
            if profile not in loaded:
                loaded[profile] = load_rules(profile, under, trust)
            return loaded[profile]

        changed = asked_under(entries, found, rules_of)
        missing = [r for r in changed if r.status == MISSING_INPUT]
        changed = [r for r in changed if r.status != MISSING_INPUT]
        if format == TextFormat.json:
            out = {"log": str(log), "under": str(under), "decisions": len(entries), "unreadable": len(bad)}
            out |= {"missing_input": [asdict(r) for r in missing], "changed": [asdict(r) for r in changed]}
            typer.echo(json.dumps(out, ensure_ascii=False))
        else:
            names = ", ".join(f"{r.digest} {p}" for p, r in sorted(loaded.items()))
            from ..drafting.words import Words

            text = render(
                "replay/under.txt.j2",
                lang.value,
                n=Words(lang.value),
                log=str(log),
                rules=str(under),
                profiles=names or "-",
                total=len(entries),
                changed=changed,
                missing=len(missing),
                unreadable=len(bad),
            )
            typer.echo(text, nl=False)
        raise typer.Exit(2 if bad else 0)
    results = replayed(entries, found)
    differ = [r for r in results if r.status != CERTIFIED]
    certified = len(results) - len(differ)
    if format == TextFormat.json:
        out = {"log": str(log), "decisions": len(entries), "certified": certified, "unreadable": len(bad)}
        out |= {"differ": [asdict(r) for r in differ]}
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        text = render(
            "replay/replay.txt.j2",
            lang.value,
            log=str(log),
            total=len(entries),
            certified=certified,
            differ=differ,
            unreadable=len(bad),
        )
        typer.echo(text, nl=False)
    raise typer.Exit(2 if bad else 1 if differ else 0)
