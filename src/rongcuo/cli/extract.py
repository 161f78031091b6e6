"""`rongcuo extract`: narratives in, proposed case files out — or a labelled set scored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import Lang, LangOpt, ProfileOpt, app, fail, load_rules, said, warn, writing
from .words import h

if TYPE_CHECKING:
    from ..extract import Lexicon, Proposal
    from ..extract.semantic import Bank

REPORT_DIR = Path("reports/extraction")


@dataclass(frozen=True)
class Extracted:
    case_id: str
    encoding: str
    proposal: Proposal
    target: Path | None


class CaseFormat(StrEnum):
    yaml = "yaml"
    json = "json"


@app.command(help=h("extract"))
def extract(
    narratives: Annotated[
        Optional[list[Path]],
        typer.Argument(help=h("extract.narratives"), show_default=False),
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            help=h("extract.out"),
        ),
    ] = None,
    evaluate: Annotated[
        Optional[Path],
        typer.Option("--evaluate", help=h("extract.evaluate")),
    ] = None,
    lexicon: Annotated[Optional[Path], typer.Option("--lexicon", help=h("extract.lexicon"))] = None,
    bank: Annotated[
        Optional[Path],
        typer.Option(
            "--bank",
            help=h("extract.bank"),
        ),
    ] = None,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help=h("extract.review"),
        ),
    ] = False,
    semantic: Annotated[bool, typer.Option("--semantic/--no-semantic", help=h("extract.semantic"))] = True,
    format: Annotated[CaseFormat, typer.Option("--format", help=h("extract.format"))] = CaseFormat.yaml,
    profile: ProfileOpt = "default",
    lang: LangOpt = Lang.zh,
) -> None:
    from ..extract import Lexicon
    from ..extract.source import narrative_files
    from ..model.case import CaseError

    try:
        lex = Lexicon.load(lexicon)
        sentences = _bank(bank) if semantic else None
        if evaluate:
            _evaluate(evaluate, out or REPORT_DIR, lex, profile, lang.value, sentences)
            return
        if not narratives:
            fail("errors.cli_no_narrative")
        paths = narrative_files(narratives)
    except CaseError as e:
        fail(e)
    _extract(paths, out, lex, lang.value, sentences, bank if review else None, review, format)


def _bank(path: Path | None) -> Bank:
    from ..extract import semantic

    return semantic.load([path] if path else [])


def _extract(
    paths: list[Path],
    out: Path | None,
    lex: Lexicon,
    lang: str,
    bank: Bank | None,
    learn: Path | None = None,
    review: bool = False,
    format: CaseFormat = CaseFormat.yaml,
) -> None:
    """Each narrative's case file with its evidence: YAML documents, or JSON lines that `rongcuo batch`
    reads as they are (``--format json``); into ``out``, one file each, with a summary."""
    from ..extract import case_record, dump, propose, to_case
    from ..extract.source import read_narrative
    from ..model.case import CaseError
    from ..present.render import render

    done: list[Extracted] = []
    errors: list[str] = []
    documents: list[tuple[Path | None, str]] = []
    for path in paths:
        try:
            text, encoding = read_narrative(path)
            proposal = propose(text.strip(), lex, bank)
            record = case_record(path.stem, proposal, path, encoding, lex)
            if review:
                record = _review(record, learn, lang)
            to_case(record, str(path))
            target = out / f"{path.stem}.{format.value}" if out else None
            if any(d.case_id == path.stem for d in done):
                raise CaseError(str(path), "id", "errors.narrative_twice", name=repr(path.stem))
        except CaseError as e:
            errors.append(said(e))
            continue
        done.append(Extracted(path.stem, encoding, proposal, target))
        text = json.dumps(record, ensure_ascii=False, default=str) + "\n" if format == CaseFormat.json else dump(record)
        documents.append((target, text))
    if out:
        with writing(out):
            out.mkdir(parents=True, exist_ok=True)
            for target, text in documents:
                assert target is not None  # every document has its file when there is an --out
                target.write_text(text, encoding="utf-8")
        typer.echo(render("extract/proposals.txt.j2", lang, items=done, rejected=errors), nl=False)
    else:
        joint = "" if format == CaseFormat.json else "---\n"  # JSON lines, or YAML documents
        typer.echo(joint.join(text for _, text in documents), nl=False)
    for line in errors:
        warn(line)
    if errors:
        raise typer.Exit(2)


def _review(record: dict, learn: Path | None, lang: str) -> dict:
    from ..extract.review import ANSWERS, Item, review
    from ..model import vocabulary as vocab

    def ask(item: Item) -> str:
        value = "candidate" if item.candidate else str(item.value).lower()
        typer.echo(f"\n[{value}] {vocab.label('facts', item.fact, lang)} ({item.fact})", err=True)
        typer.echo(f"  {item.evidence['text']}", err=True)
        if item.evidence.get("support"):
            typer.echo(f"  ≈ {item.evidence['support']}", err=True)
        answer: str = typer.prompt("  y/n/t/f/u/s", default="s", err=True)
        return answer.strip().lower()[:1] if answer.strip().lower()[:1] in ANSWERS else "s"

    reviewed, _ = review(record, ask, learn)
    return reviewed


def _evaluate(folder: Path, report_dir: Path, lex: Lexicon, profile: str, lang: str, bank: Bank | None) -> None:
    from ..extract.evaluate import evaluate as score
    from ..extract.evaluate import load_labelled
    from ..present.render import render

    if not folder.is_dir():
        fail("errors.cli_evaluate_not_folder", folder=str(folder))
    items = load_labelled(folder, lex, bank)
    if not items:
        fail("errors.cli_evaluate_empty", folder=str(folder))
    evaluation = score(folder, items, load_rules(profile, None, False), lex)
    report_dir.mkdir(parents=True, exist_ok=True)
    report = report_dir / "report.md"
    report.write_text(render("extract/report.md.j2", lang, ev=evaluation), encoding="utf-8")
    typer.echo(render("extract/evaluation.txt.j2", lang, ev=evaluation, report=report), nl=False)
