"""`rongcuo test`: the golden cases under every profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import Lang, LangOpt, app, fail, load_rules


@app.command()
def test(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Golden case files or folders.")] = None,
    profile: Annotated[Optional[list[str]], typer.Option("--profile", help="Only these profiles.")] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Run the golden cases under every profile they state expectations for."""
    from .. import golden
    from ..engine import profiles
    from ..model import measure
    from ..model.case import CaseError
    from ..present.render import render

    rulesets = [load_rules(p, None, False) for p in (profile or profiles())]
    try:
        checks = golden.run(paths or [measure.root() / "golden"], rulesets)
    except CaseError as e:
        fail(str(e))
    typer.echo(render("reference/golden.txt.j2", lang.value, checks=checks), nl=False)
    if not checks or not all(c.passed for c in checks):
        raise typer.Exit(1)
