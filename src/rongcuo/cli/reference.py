"""`rongcuo clauses` and `rongcuo vocabulary`: the measure and the input contract."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import Lang, LangOpt, LedgerFormat, RulesOpt, TextFormat, TrustOpt, app, load_rules, rule_root
from .words import h

if TYPE_CHECKING:
    from ..model.shapes import ClauseJSON, VocabularyJSON


@app.command(help=h("clauses"))
def clauses(
    format: Annotated[LedgerFormat, typer.Option("--format", help=h("clauses.format"))] = (LedgerFormat.text),
    rules: RulesOpt = None,
    profile: Annotated[Optional[list[str]], typer.Option("--profile", help=h("clauses.profile"))] = None,
    trust: TrustOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    from .. import ledger as ledger_mod
    from ..engine import profiles
    from ..present.render import render

    rulesets = [
        load_rules(p, rules, trust, corpus=True, evaluated=False) for p in (profile or profiles(rule_root(rules)))
    ]
    entries = ledger_mod.ledger(rulesets)
    if format == LedgerFormat.json:
        for e in entries:
            line: ClauseJSON = {
                "clause": e.clause,
                "status": e.status,
                "reason": e.reason,
                "rules": [f"{r.file}:{r.line}" for r in e.rules],
            }
            typer.echo(json.dumps(line, ensure_ascii=False))
        return
    template = "reference/clauses.md.j2" if format == LedgerFormat.md else "reference/clauses.txt.j2"
    typer.echo(render(template, lang.value, entries=entries), nl=False)


@app.command(help=h("vocabulary"))
def vocabulary(
    format: Annotated[TextFormat, typer.Option("--format", help=h("vocabulary.format"))] = TextFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    from ..model import vocabulary as vocab
    from ..present.render import render

    facts = vocab.vocabulary()["facts"]
    groups = [(g, [(i, f) for i, f in facts.items() if f["group"] == g]) for g in vocab.vocabulary()["groups"]]
    if format == TextFormat.json:
        names = vocab.vocabulary()["groups"]
        shown: VocabularyJSON = {
            "lang": lang.value,
            "groups": [
                {
                    "group": g,
                    "label": names[g][lang.value],
                    "facts": [{"fact": i, "clause": f["clause"], "label": f[lang.value]} for i, f in entries],
                }
                for g, entries in groups
            ],
        }
        typer.echo(json.dumps(shown, ensure_ascii=False))
        return
    typer.echo(render("reference/vocabulary.txt.j2", lang.value, groups=groups), nl=False)


@app.command("config", help=h("config"))
def config(
    ctx: typer.Context,
    format: Annotated[TextFormat, typer.Option("--format", help=h("opt.format"))] = TextFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    from ..present.render import render
    from . import settings

    root = ctx.find_root()
    found = settings.resolved(root.obj or [], root.command)
    if format == TextFormat.json:
        rows = [
            {"option": s.name, "value": s.value, "source": s.source, "table": s.command, "commands": commands}
            for s, commands in found
        ]
        typer.echo(json.dumps({"file": settings.FILE, "settings": rows}, ensure_ascii=False, default=str))
        return
    typer.echo(render("reference/config.txt.j2", lang.value, settings=found, file=settings.FILE), nl=False)


class SchemaName(StrEnum):
    case = "case"
    result = "result"
    clause = "clause"
    vocabulary = "vocabulary"
    test_report = "test-report"
    check_report = "check-report"
    diff_report = "diff-report"


@app.command("schema", help=h("schema"))
def schema(name: Annotated[SchemaName, typer.Argument(help=h("schema.name"))]) -> None:
    from ..model.shapes import schemas

    typer.echo(json.dumps(schemas()[name.value], ensure_ascii=False, indent=2))
