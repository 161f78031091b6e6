"""`rongcuo rules show HASH`: what a rule-set hash covers, so that a drafter can resolve one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import Lang, LangOpt, RulesOpt, TextFormat, TrustOpt, app, fail, load_rules, rule_root
from .words import h

if TYPE_CHECKING:
    from ..engine import RuleSet

rules_app = typer.Typer(no_args_is_help=True, help=h("rules"))
app.add_typer(rules_app, name="rules")


@rules_app.command("show", help=h("rules.show"))
def show(
    digest: Annotated[str, typer.Argument(help=h("rules.show.hash"))],
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    format: Annotated[TextFormat, typer.Option("--format", help=h("rules.show.format"))] = TextFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    from ..present.render import render

    wanted = digest.strip().lower()
    if len(wanted) < 8 or any(c not in "0123456789abcdef" for c in wanted):
        fail("errors.not_a_hash", digest=repr(digest))
    candidates = known(rules, trust)
    found = [r for r in candidates if r.sha256.startswith(wanted)]
    if not found:
        listed = ", ".join(f"{r.digest} ({r.profile})" for r in candidates)
        if rules:
            fail("errors.unknown_hash_in", digest=digest, rules=str(rules), known=listed)
        fail("errors.unknown_hash", digest=digest, known=listed)
    if format == TextFormat.json:
        typer.echo(json.dumps([provenance_json(r) for r in found], ensure_ascii=False))
        return
    typer.echo(render("coverage/provenance.txt.j2", lang.value, found=found), nl=False)


def known(rules: Path | None, trust: bool) -> list[RuleSet]:
    """The rule sets a hash may name: every profile of the bundled rule base, and of ``--rules``."""
    from ..engine import profiles

    found = [load_rules(p, None, trust) for p in profiles()]
    if rules is not None:
        found += [load_rules(p, rules, trust, evaluated=False) for p in profiles(rule_root(rules))]
    return found


def provenance_json(r: RuleSet) -> dict:
    return {**r.provenance_json(), "root": str(r.root)}
