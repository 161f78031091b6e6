"""`rongcuo test`: the golden cases under every profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import Lang, LangOpt, RulesOpt, TrustOpt, app, fail, load_rules, rule_root


@app.command()
def test(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Golden case files or folders.")] = None,
    profile: Annotated[Optional[list[str]], typer.Option("--profile", help="Only these profiles.")] = None,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    lang: LangOpt = Lang.zh,
) -> None:
    """Run the golden cases under every profile they state expectations for (with --rules, that
    rule directory's or draft's profiles: a draft takes the bundled ones)."""
    from .. import golden
    from ..engine import profiles
    from ..model import measure
    from ..model.case import CaseError
    from ..present.render import render

    rulesets = [load_rules(p, rules, trust) for p in (profile or profiles(rule_root(rules)))]
    try:
        checks = golden.run(paths or [measure.root() / "golden"], rulesets)
    except CaseError as e:
        fail(str(e))
    typer.echo(render("reference/golden.txt.j2", lang.value, checks=checks), nl=False)
    if not checks or not all(c.passed for c in checks):
        raise typer.Exit(1)
