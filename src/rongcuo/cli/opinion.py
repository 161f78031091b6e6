"""`rongcuo opinion`: the draft 认定意见 of one case, in Word, HTML or Markdown."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import (
    AsOfOpt,
    EffectiveDateOpt,
    Lang,
    LangOpt,
    ProfileOpt,
    RulesOpt,
    TimelineOpt,
    TrustOpt,
    app,
    ask_of,
    fail,
    writing,
)
from .words import h


class DocFormat(StrEnum):
    docx = "docx"
    html = "html"
    md = "md"


@app.command(help=h("opinion"))
def opinion(
    case: Annotated[Path, typer.Argument(help=h("opinion.case"))],
    format: Annotated[
        Optional[DocFormat],
        typer.Option("--format", help=h("opinion.format")),
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", help=h("opinion.out")),
    ] = None,
    template: Annotated[Optional[Path], typer.Option("--template", help=h("opinion.template"))] = None,
    profile: ProfileOpt = "default",
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    timeline: TimelineOpt = None,
) -> None:
    from ..ask import Rejected
    from ..ask import evaluate as evaluate_cases
    from ..model.case import CaseError
    from ..model.files import load_case
    from ..present import opinion as documents

    if format is None:
        suffix = out.suffix.lstrip(".").lower() if out else ""
        format = DocFormat(suffix) if suffix in DocFormat.__members__ else DocFormat.md
    if template is not None and not template.is_file():
        fail("errors.cli_template_missing", template=str(template))
    asked = ask_of(profile, rules, trust, as_of, effective_date, timeline)
    try:
        the_case = load_case(case)
    except CaseError as e:
        fail(e)
    (answer,) = evaluate_cases(asked, [the_case], [str(case)])
    if isinstance(answer, Rejected):
        fail(answer.error)
    d = documents.draft(the_case, answer.result, asked, lang.value)
    if format == DocFormat.docx:
        try:
            data = documents.docx(d, template)
        except Exception as e:  # a template python-docx cannot open: say so, no traceback
            if template is None:
                raise
            fail("errors.cli_template_unreadable", template=str(template), detail=str(e))
        target = out or Path(f"{the_case.id}.opinion.docx")
        _write(target, data)
        typer.echo(str(target))
        return
    text = documents.text(d, format.value)
    if out is None:
        typer.echo(text, nl=False)
    else:
        _write(out, text.encode("utf-8"))
        typer.echo(str(out))


def _write(path: Path, data: bytes) -> None:
    with writing(path):
        path.write_bytes(data)
