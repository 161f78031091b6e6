"""`rongcuo batch`: re-evaluate every case of a corpus and write the results and a report."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import (
    AsOfOpt,
    EffectiveDateOpt,
    Lang,
    LangOpt,
    LogOpt,
    ProfileOpt,
    RulesOpt,
    StoreOpt,
    TimelineOpt,
    TrustOpt,
    app,
    fail,
    logged,
    parse_day,
    said,
)
from .words import h

if TYPE_CHECKING:
    import sqlite3

    from ..model.coded import Msg

PROGRESS_EVERY = 5.0  # seconds between two progress lines off a terminal (cron, nohup, a CI log)
WORKERS_PER_CPU = 4  # --workers beyond this many per CPU only wait and hold memory
CHUNK_SIZE = 5_000  # cases per grounding: large enough to amortise a grounding, small enough to keep workers even
RECURRENCE_THRESHOLD, RECURRENCE_WINDOW = 3, 365  # a18: reports of the same kind, within days


@app.command(help=h("batch"))
def batch(
    inputs: Annotated[list[Path], typer.Argument(help=h("batch.inputs"))],
    out: Annotated[Path, typer.Option("--out", help=h("batch.out"))],
    profile: ProfileOpt = "default",
    compare_profile: Annotated[
        Optional[str],
        typer.Option("--compare-profile", help=h("batch.compare-profile")),
    ] = None,
    compare_rules: Annotated[
        Optional[Path],
        typer.Option("--compare-rules", help=h("batch.compare-rules")),
    ] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help=h("batch.workers"))] = None,
    resume: Annotated[bool, typer.Option("--resume", help=h("batch.resume"))] = False,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    recurrence_threshold: Annotated[
        int,
        typer.Option("--recurrence-threshold", min=1, help=h("batch.recurrence-threshold")),
    ] = RECURRENCE_THRESHOLD,
    recurrence_window: Annotated[
        int, typer.Option("--recurrence-window", min=1, help=h("batch.recurrence-window"))
    ] = RECURRENCE_WINDOW,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help=h("batch.mapping"))] = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help=h("batch.chunk-size"))] = CHUNK_SIZE,
    coverage: Annotated[bool, typer.Option("--coverage", help=h("batch.coverage"))] = False,
    log: LogOpt = None,
    store: StoreOpt = None,
    timeline: TimelineOpt = None,
    at_date: Annotated[Optional[str], typer.Option("--at-date", help=h("batch.at-date"), metavar="DATE")] = None,
) -> None:
    from ..batch.columns import load_layout
    from ..batch.run import Batch, run
    from ..batch.workdir import OutError, ResumeError, WorkDir
    from ..batch.worker import Settings
    from ..engine import RuleError
    from ..model.case import CaseError
    from ..model.coded import os_reason

    if compare_profile and compare_rules:
        fail("errors.cli_compare_both")
    if workers is not None and workers > (most := WORKERS_PER_CPU * _cpus()):
        # each worker loads the rule sets (~200 MiB) before its first chunk: 100,000 of them never started
        fail("errors.too_many_workers", n=workers, most=most, cpus=_cpus())
    if timeline is not None and rules is not None:  # one rule set per version, as evaluate
        fail("errors.timeline_with_rules")
    if at_date is not None and rules is not None:
        fail("errors.at_date_with_rules")
    if at_date is not None:  # every record under the version in force on that day, as one rule set
        rules, timeline = _version_on(timeline, parse_day(at_date, "--at-date")), None
    elif rules is None and timeline is None:  # the law's timeline: each record under the version Q12 applies
        timeline = "bundled"
    compare = (compare_profile, rules) if compare_profile else (profile, compare_rules) if compare_rules else None
    day = parse_day(as_of, "--as-of") or (resume and WorkDir(out).started_as_of()) or dt.date.today()
    started = time.perf_counter()
    import sqlite3  # the work dir's index (batch.workdir): its errors are a write that failed too

    try:
        effective = parse_day(effective_date, "--effective-date")
        settings = Settings(profile, rules, trust, compare, day, load_layout(mapping), effective, lang.value, timeline)
        job = Batch(
            inputs,
            out,
            settings,
            workers or _cpus(),
            chunk_size,
            resume,
            recurrence_threshold,
            recurrence_window,
            lang.value,
        )
        phases: dict[str, float] = {}
        summary, reader = run(job, partial(_progress, lang=lang.value, phases=phases))
        _reported(phases, lang.value)
    except (CaseError, RuleError, ResumeError, OutError) as e:
        fail(e)
    except OSError as e:  # the disk filled, the folder went read-only: what is done is kept
        fail("errors.cli_batch_write", out=str(out), reason=os_reason(e))
    except sqlite3.Error as e:  # the same, met by the work dir's index of ids (batch.workdir.Ids)
        fail("errors.cli_batch_write", out=str(out), reason=_sqlite_reason(e))
    except KeyboardInterrupt:
        typer.echo(f"rongcuo: {said('batch.interrupted', out=str(out))}", err=True)
        raise typer.Exit(130) from None
    seconds = time.perf_counter() - started
    blank = message("batch.blank_skipped", lang.value, n=f"{reader.blank:,}") if reader.blank else ""
    speed = f"{summary.records / max(seconds, 1e-9):,.0f}"
    typer.echo(
        message(
            "batch.done",
            lang.value,
            count=summary.records,
            records=f"{summary.records:,}",
            evaluated=f"{summary.evaluated:,}",
            rejected=f"{summary.rejected:,}",
            blank=blank,
            out=str(out),
            speed=speed,
        )
    )
    if not summary.records:
        fail("errors.cli_no_records", inputs=[str(i) for i in inputs])
    if log is not None:
        logged(partial(_log, job, log, store), log, store)
    if coverage:
        _coverage(inputs, out, profile, rules, trust, effective, lang.value)
    if summary.rejected:  # everything is written; the exit code says that some records were not evaluated
        raise typer.Exit(1)


def _version_on(timeline: str | None, day: dt.date | None) -> Path | None:
    """``--at-date``: the rule set of the version of the timeline (the law's by default) in force on
    ``day`` — None for the bundled rules, else its draft folder."""
    from .. import timeline as versions
    from ..engine import RuleError

    assert day is not None  # parse_day of a given option: a date, or the command has failed
    path = versions.named(timeline)
    try:
        found = versions.in_force(path, day)
    except RuleError as e:
        fail(e)
    if found is None:
        fail("errors.timeline_none_on", path=str(path), date=day.isoformat())
    return versions.folder(path, found)


def message(key: str, lang: str, **values) -> str:
    """A line's words (present/messages/batch.yaml), imported when the run needs them."""
    from ..present.render import message as words

    return words(key, lang, **values)


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def _progress(total: int, lang: str = "zh", phases: dict | None = None) -> Iterator[Callable[[int, int], None]]:
    """A progress bar over the input's bytes, counting records and cases per second, on a terminal; off
    one, a log line every PROGRESS_EVERY seconds (records, share of the input, cases/s, time left). Then,
    either way, a line for the report's phase, which takes a while on a large batch."""
    import logging

    from rich.console import Console

    log = logging.getLogger("rongcuo.batch")
    console = Console(stderr=True)
    started = time.perf_counter()
    count = [0]
    with _bar(total, console, lang) if console.is_terminal else _lines(total, log, started, lang) as advance:

        def counted(records: int, size: int) -> None:
            count[0] += records
            advance(records, size)

        yield counted
    seconds = time.perf_counter() - started
    log.info("%s", message("batch.reporting", lang, records=f"{count[0]:,}", seconds=f"{seconds:.0f}"))
    if phases is not None:
        phases["report"] = time.perf_counter()


def _reported(phases: dict[str, float], lang: str) -> None:
    """The report phase's end, with how long it took (a million records' report takes a while)."""
    import logging

    if "report" in phases:
        seconds = time.perf_counter() - phases["report"]
        logging.getLogger("rongcuo.batch").info("%s", message("batch.reported", lang, seconds=f"{seconds:.1f}"))


@contextmanager
def _lines(total: int, log, started: float, lang: str) -> Iterator[Callable[[int, int], None]]:
    """Progress as a log line now and then: for a run whose stderr is a file."""
    state = {"records": 0, "done": 0, "said": started}

    def advance(records: int, size: int) -> None:
        state["records"] += records
        state["done"] += size
        now = time.perf_counter()
        if now - state["said"] < PROGRESS_EVERY:
            return
        state["said"] = now
        elapsed = max(now - started, 1e-9)
        share = min(state["done"] / total, 1.0) if total else 0.0
        left = elapsed * (1 - share) / share if share else None
        values = {
            "records": f"{state['records']:,}",
            "share": f"{100 * share:.0f}",
            "speed": f"{state['records'] / elapsed:,.0f}",
            "left": "?" if left is None else f"{left:.0f}",
        }
        log.info("%s", message("batch.progress", lang, **values))

    yield advance


@contextmanager
def _bar(total: int, console, lang: str) -> Iterator[Callable[[int, int], None]]:
    """rich's progress bar, on a terminal."""
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        Task,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class _CasesPerSecond(ProgressColumn):
        def render(self, task: Task) -> Text:
            elapsed = task.elapsed or 0
            speed = (
                message("batch.bar_speed", lang, speed=f"{task.fields['records'] / elapsed:,.0f}") if elapsed else ""
            )
            return Text(speed, style="progress.data.speed")

    columns = (
        TextColumn("[bold]" + message("batch.bar_title", lang)),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn(message("batch.bar_records", lang)),
        _CasesPerSecond(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("batch", total=total or 1, records=0)

        def advance(records: int, size: int) -> None:
            progress.update(task, advance=size, records=progress.tasks[task].fields["records"] + records)

        yield advance


def _coverage(
    inputs: list[Path], out: Path, profile: str, rules: Path | None, trust: bool, effective, lang: str
) -> None:
    """The corpus's legal coverage (rongcuo.coverage) as coverage.txt, .md, .html and .json in ``out``;
    the text on standard output. The case files of ``inputs`` (a corpus of JSONL or CSV: not yet)."""
    import json

    from ..coverage import coverage
    from ..engine import RuleError
    from ..model import measure
    from ..present.render import render
    from .app import load_rules, read_cases

    cases, _ = read_cases([p for p in inputs if p.is_dir() or p.suffix in (".yaml", ".yml", ".json")])
    loaded = load_rules(profile, rules, trust)
    try:
        report = coverage(loaded, [c for _, c in cases], effective)
    except RuleError as e:
        fail(str(e))
    for ext in ("txt", "md", "html"):
        text = render(f"coverage/report.{ext}.j2", lang, reports=[report], clauses=measure.clauses())
        (out / f"coverage.{ext}").write_text(text, "utf-8")
        if ext == "txt":
            typer.echo(text, nl=False)
    (out / "coverage.json").write_text(json.dumps({"coverage": [report.to_json()]}, ensure_ascii=False), "utf-8")


def _log(job, log: Path, store: Path | None) -> int:
    """The run's decisions into the decision log, from results.jsonl once the run is done (the workers
    are left as they are): each record read again for its case, the answer taken from its line."""
    import logging

    from ..batch.inputs import Reader
    from ..batch.worker import _read
    from ..model.case import Case
    from ..replay import DecisionLog, log_batch

    started = time.perf_counter()
    layout = job.settings.layout

    def cases() -> Iterator[tuple[dict, Case]]:
        for chunk in Reader(job.inputs, layout).chunks(job.chunk_size):
            for record in chunk.records():
                if isinstance(case := _read(record, layout), Case):
                    yield record.position(), case

    ask, _ = job.settings.asks()  # under a timeline, each decision names the version it applied
    decisions = DecisionLog.at(log, store, "batch")
    n = log_batch(job.out, decisions, ask.rules, job.settings.effective_date, cases, ask.timeline)
    seconds = time.perf_counter() - started
    logging.getLogger("rongcuo.batch").info(
        "%s", message("replay.batch_logged", job.lang, n=f"{n:,}", log=str(log), seconds=f"{seconds:.1f}")
    )
    return n


def _sqlite_reason(e: sqlite3.Error) -> Msg:
    """Why SQLite could not write, in the words os_reason has for the same causes."""
    import errno
    import sqlite3

    from ..model.coded import msg, os_reason

    code = getattr(e, "sqlite_errorcode", None)
    if code is not None and code & 0xFF == sqlite3.SQLITE_FULL:
        return os_reason(OSError(errno.ENOSPC, "no space"))
    if code is not None and code & 0xFF == sqlite3.SQLITE_READONLY:
        return os_reason(OSError(errno.EROFS, "read-only"))
    return msg("errors.parser_said", problem=str(e))  # "disk I/O error" (a full disk, as often as not)
