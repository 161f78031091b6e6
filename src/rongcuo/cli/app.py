"""The typer app and what every command shares: options, errors, reading cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional, TypeVar

import typer

from .words import h

if TYPE_CHECKING:  # imported where used: the engine (clingo) and the case model (pydantic) are slow to import
    from ..ask import Ask
    from ..engine import RuleSet, Timeline
    from ..model.case import Case

T = TypeVar("T")


def _flag_without_placeholder() -> None:
    """A plain flag (or a counted one, -v) shown without a value placeholder in --help: typer 0.29's rich
    help prints `<bool>` beside a flag such as --trust, as if it took a value (its plain help leaves it out)."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "rongcuo", False):
        return

    def display_type_rich(self: TyperOption, ctx: typer.Context) -> str | None:
        return None if (self.is_flag or self.count) and self.metavar is None else shown(self, ctx)

    display_type_rich.rongcuo = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign,assignment]


_flag_without_placeholder()

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help=h("app"),
)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


# Each command's --format offers exactly what it renders (typer refuses any other value, exit 2).
class Format(StrEnum):
    """explain, whynot, whatif, check, diff."""

    text = "text"
    json = "json"
    md = "md"
    html = "html"


class LedgerFormat(StrEnum):
    """clauses."""

    text = "text"
    json = "json"
    md = "md"


class TextFormat(StrEnum):
    """evaluate, test, vocabulary."""

    text = "text"
    json = "json"


DEFAULT_LANG = "zh"  # of a command's error lines before (or without) its --lang
_language = [DEFAULT_LANG]  # the running command's --lang: its error lines are in it (zh for a command without one)


def _remember_lang(ctx: typer.Context, param: typer.CallbackParam, value: Lang | None) -> Lang | None:
    """--lang as it is parsed, for the command's error lines (fail, warn): parsed before the command runs.
    Not given, the lines are in DEFAULT_LANG (zh, as --lang's own default)."""
    given = getattr(ctx.get_parameter_source(param.name or "lang"), "name", "DEFAULT") != "DEFAULT"
    _language[0] = str(value) if given and value in ("zh", "en") else DEFAULT_LANG
    return value


LangOpt = Annotated[Lang, typer.Option("--lang", help=h("opt.lang"), callback=_remember_lang)]
ProfileOpt = Annotated[str, typer.Option("--profile", help=h("opt.profile"))]
RulesOpt = Annotated[Optional[Path], typer.Option("--rules", help=h("opt.rules"))]
TimelineOpt = Annotated[Optional[str], typer.Option("--timeline", help=h("opt.timeline"))]
TrustOpt = Annotated[bool, typer.Option("--trust", help=h("opt.trust"))]
FormatOpt = Annotated[TextFormat, typer.Option("--format", help=h("opt.format"))]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help=h("opt.as-of"))]
LogOpt = Annotated[Optional[Path], typer.Option("--log", help=h("opt.log"), metavar="FILE")]
StoreOpt = Annotated[Optional[Path], typer.Option("--store", help=h("opt.store"), metavar="DIR")]
EffectiveDateOpt = Annotated[
    Optional[str],
    typer.Option("--effective-date", help=h("opt.effective-date")),
]


def version_line() -> str:
    """rongcuo's version, clingo's and the digest of the bundled default profile's rule set (loads the rules)."""
    import clingo

    from .. import __version__
    from ..engine import RuleSet

    return f"rongcuo {__version__} (clingo {clingo.__version__}; rules {RuleSet.load('default').digest} default)"


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_version,
            help=h("main.version"),
        ),
    ] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help=h("main.verbose"))] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=h("main.quiet"))] = False,
    config: Annotated[
        Optional[Path], typer.Option("--config", envvar="RONGCUO_CONFIG", help=h("main.config"), metavar="FILE")
    ] = None,
) -> None:
    _language[0] = DEFAULT_LANG  # until the command's --lang is parsed (in-process runs share this module)
    configure_logging(verbose, quiet)
    _defaults(ctx, config)


def _defaults(ctx: typer.Context, config: Path | None) -> None:
    """The configuration file's and RONGCUO_* defaults, as click's default_map of the commands (the
    command line still overrides them); kept on the context for `rongcuo config`."""
    from . import settings

    try:
        found = settings.read(config, ctx.command)
        ctx.default_map = settings.default_map(found, ctx.command, ctx)
    except settings.ConfigError as e:
        fail(e.key, **e.values)
    ctx.obj = found


def configure_logging(verbose: int, quiet: bool) -> None:
    """The standard library's logging for the ``rongcuo`` loggers: one line each on stderr as
    ``rongcuo: …``, like every other line there; INFO by default (a batch's progress off a terminal),
    DEBUG with -v, WARNING with -q. Set again by every command (in-process runs share the logger)."""
    import logging

    class Echo(logging.Handler):
        rongcuo = True

        def emit(self, record: logging.LogRecord) -> None:
            try:
                typer.echo(f"rongcuo: {one_line(self.format(record))}", err=True)
            except Exception:  # a closed stderr must not end the command
                self.handleError(record)

    log = logging.getLogger("rongcuo")
    for handler in [x for x in log.handlers if getattr(x, "rongcuo", False)]:
        log.removeHandler(handler)
    log.addHandler(Echo())
    log.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)


def fail(problem: str | BaseException, **values) -> NoReturn:
    """The command ends with one line on stderr (exit 2): an error, or a catalogue key and its values."""
    warn(problem, **values)
    raise typer.Exit(2)


def warn(problem: str | BaseException, **values) -> None:
    """One line on stderr in the command's language (its --lang, zh without one): a case's text in it
    cannot break the line or steer the terminal."""
    typer.echo(f"rongcuo: {one_line(said(problem, **values))}", err=True)


def said(problem: str | BaseException, **values) -> str:
    """An error (rendered in the command's language when it is coded), a catalogue key (``errors.…``)
    with its values, or a line as it is."""
    from ..model.coded import render, text

    if isinstance(problem, BaseException):
        return text(problem, command_lang())
    if problem.startswith("errors."):
        return render(problem, command_lang(), values)
    return problem


def command_lang() -> str:
    """The running command's --lang; zh when it has none (as every --lang defaults to zh)."""
    return _language[0]


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)} | {
    c: f"\\u{c:04x}" for c in (*range(0x80, 0xA0), 0x2028, 0x2029)
}


def one_line(text: str) -> str:
    """Control characters (line breaks, escapes) written out, so the text stays one inert line."""
    return text.translate(_CONTROL)


def answered(call: Callable[..., T], *args, **kwargs) -> T:
    """``call(...)``, a rule set without a single answer for the case said in one line (exit 2)."""
    from ..engine import RuleError

    try:
        return call(*args, **kwargs)
    except RuleError as e:
        fail(e)


def load_rules(profile: str, rules: Path | None, trust: bool, corpus: bool = False, evaluated: bool = True) -> RuleSet:
    """The rules of ``profile`` in the bundled rule base, a rule directory or a draft (merged over
    the bundled rule base, drafting.sources: the bundled profiles apply to it); rules from outside the
    bundle linted, and, when they are to be ``evaluated``, tried under the grounding budget."""
    from ..engine import RuleError, RuleSet

    try:
        loaded = RuleSet.load(profile, rule_root(rules), trusted=trust, corpus=corpus)
    except RuleError as e:
        fail(e)
    if rules is not None:  # the bundled rules are held lint-free and within budget by the tests
        linted(loaded, refuse=not trust)
    if rules is not None and evaluated:
        from ..engine.budget import within_budget

        try:
            within_budget(loaded, str(rules))
        except RuleError as e:
            fail(e)
    import logging

    logging.getLogger("rongcuo.rules").debug(
        "rules: profile %s, rule set %s, %d files under %s", profile, loaded.digest, len(loaded.files), loaded.root
    )
    return loaded


def linted(rules: RuleSet, refuse: bool = False, extra: tuple = ()) -> list:
    """The rule lint's findings (engine.lint), one line each on stderr before any solving; with
    ``refuse``, a fact id the vocabulary lacks ends the command (--trust runs it anyway)."""
    from ..engine.lint import lint

    findings = lint(rules, extra)
    for finding in findings:
        typer.echo(f"rongcuo: {finding.text(command_lang())}", err=True)
    if refuse and any(f.error for f in findings):
        fail("errors.cli_lint_refused")
    return findings


def rule_root(rules: Path | None) -> Path | None:
    """The rule tree of --rules: a draft's merged tree, any other directory as it is."""
    if rules is None:
        return None
    from ..drafting.sources import merged

    return merged(rules)


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    from ..model import days

    try:
        return days.parse(value, option)
    except ValueError as e:
        fail(e)


def read_cases(paths: list[Path]) -> tuple[list[tuple[str, Case]], list[str]]:
    """The valid cases with their files, and one error line per rejected file."""
    from ..model.case import CaseError
    from ..model.files import case_files, load_case

    cases: list[tuple[str, Case]] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    try:
        found = list(case_files(paths))
    except CaseError as e:
        fail(e)
    for path in found:
        try:
            case = load_case(path)
            if case.id in seen:
                raise CaseError(str(path), "id", "errors.duplicate_id", id=repr(case.id), first=seen[case.id])
        except CaseError as e:
            errors.append(said(e))
            continue
        seen[case.id] = str(path)
        cases.append((str(path), case))
    return cases, errors


def ask_of(
    profile: str,
    rules: Path | None,
    trust: bool,
    as_of: str | None,
    effective_date: str | None,
    timeline: str | None = None,
) -> Ask:
    """The application layer's Ask from the options every evaluating command shares; with ``--timeline``
    (a versions file; ``bundled``: the law's, measure/versions.yaml; ``illustrative``:
    measure/versions.illustrative.yaml), every version of it."""
    from ..ask import Ask

    days = parse_day(as_of, "--as-of"), parse_day(effective_date, "--effective-date")
    if timeline is None:
        return Ask(load_rules(profile, rules, trust), *days)
    if rules is not None:
        fail("errors.timeline_with_rules")
    loaded = load_timeline(timeline, profile, trust)
    return Ask.on(loaded, *days)


def load_timeline(timeline: str, profile: str, trust: bool) -> Timeline:
    """The timeline ``--timeline`` names (:func:`rongcuo.timeline.named`) under ``profile``; one that does
    not load said in one line (exit 2)."""
    from .. import timeline as versions
    from ..engine import RuleError

    try:
        return versions.load(timeline, profile, trusted=trust)
    except RuleError as e:
        fail(e)


@contextmanager
def writing(path: Path | None) -> Iterator[None]:
    """Writing a command's output: an --out that is a file, read-only or full is one line (exit 2), naming
    the file that failed (else ``path``), not a traceback."""
    try:
        yield
    except OSError as e:
        from ..model.coded import os_reason

        fail("errors.cannot_write", path=str(e.filename or path), reason=os_reason(e))


def logged(write: Callable[[], T], log: Path, store: Path | None) -> T:
    """``write()`` of the decision log, a disk that refuses it said in one line (exit 2)."""
    from ..model.coded import os_reason
    from ..replay import default_store

    try:
        return write()
    except OSError as e:
        fail("errors.log_write", log=str(log), store=str(store or default_store(log)), reason=os_reason(e))
