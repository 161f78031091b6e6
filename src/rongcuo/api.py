"""rongcuo as a library: the functions the command line is made of, with their types.

Every function here calls the application layer (rongcuo.ask) or the package the matching command
calls, so a program gets exactly the answers `rongcuo evaluate`, `explain`, `whatif`, `batch`, `check`
and `diff` give. The names exported by ``rongcuo`` (``rongcuo.evaluate`` …) are this module's, and
they are the stable surface: everything else is internal and may change.

    import rongcuo

    case = rongcuo.load_case("measure/golden/g-a11-p1-i6.yaml")
    (answer,) = rongcuo.evaluate([case])
    print(answer.result.disposition)              # exempt
    (why,) = rongcuo.explain([case])
    print(rongcuo.render(why, lang="zh"))         # the tree `rongcuo explain` prints

Errors are the command line's: :class:`CaseError` for a bad case (its ``text(lang)`` is the one line the
CLI prints), :class:`RuleError` for a rule set that cannot be used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ask import Answer, Ask
    from .batch.run import Summary
    from .drafting.check import Report
    from .drafting.diff import DiffReport
    from .engine import RuleSet
    from .explain import Alternative, Explanation
    from .model.case import Case


def rules(profile: str = "default", root: Path | str | None = None, *, trusted: bool = False) -> RuleSet:
    """The rule set of ``profile`` (measure/profiles/), from the bundled measure or a rule directory
    ``root``; ``trusted`` admits #script and #include outside the rule base. Loaded once, reused by every
    call that is given it."""
    from .engine import RuleSet

    return RuleSet.load(profile, Path(root) if root is not None else None, trusted=trusted)


def load_case(path: Path | str) -> Case:
    """A case file (YAML or JSON), validated against the vocabulary; CaseError if it is not a case."""
    from .model.files import load_case as load

    return load(Path(path))


def parse_case(data: dict[str, Any], source: str = "<data>") -> Case:
    """A case from a mapping as a case file holds it (``source`` names it in errors)."""
    from .model.case import parse_case as parse

    return parse(data, source)


def question(
    profile: str = "default",
    *,
    rule_set: RuleSet | None = None,
    as_of: dt.date | str | None = None,
    effective_date: dt.date | str | None = None,
) -> Ask:
    """What every evaluation names: the rules, the evaluation date (else each case's own ``as_of``, else
    today) and the measure's commencement (a20)."""
    from .ask import Ask

    return Ask(rule_set or rules(profile), _date(as_of), _date(effective_date))


def evaluate(cases: Sequence[Case], asked: Ask | None = None) -> list[Answer]:
    """Each case's answer, in order: ``Evaluated`` (its result, and the open world of its unknown facts)
    or ``Rejected`` (a contradictory case, with the error). Many cases in one grounding."""
    from .ask import evaluate as answers

    return answers(asked or question(), list(cases))


def explain(
    cases: Sequence[Case],
    asked: Ask | None = None,
    *,
    outcome: str | None = None,
    why_not: Iterable[str] = (),
) -> list[Explanation]:
    """Why each outcome holds (or only ``outcome``, an outcome or a consequence such as
    ``notification_late``), down to the facts; why the outcomes named in ``why_not`` do not."""
    from .explain import explain as explanations

    return explanations(asked or question(), list(cases), outcome, tuple(why_not))


def whatif(
    case: Case,
    asked: Ask | None = None,
    *,
    to: str | None = None,
    avoid: str | None = None,
    actionable: bool = False,
    limit: int = 10,
) -> list[Alternative]:
    """The smallest sets of fact changes that make ``to`` the disposition (or avoid ``avoid``), each
    re-evaluated; with ``actionable`` only what can still be done."""
    from .explain import whatif as alternatives

    return alternatives(asked or question(), case, to=to, avoid=avoid, actionable=actionable, limit=limit)


def render(explanation: Explanation, lang: str = "zh", format: str = "text", asked: Ask | None = None) -> str:
    """An explanation as `rongcuo explain` prints it: text, md or html. Give the Ask it was explained
    under (its rules, its dates); without one, its profile's rules are loaded again."""
    from .explain.serialize import explanation_text

    return explanation_text([explanation], asked or question(explanation.result.profile), format, lang)


def batch(
    inputs: Sequence[Path | str],
    out: Path | str,
    *,
    profile: str = "default",
    as_of: dt.date | str | None = None,
    workers: int = 1,
    lang: str = "zh",
) -> Summary:
    """`rongcuo batch`: every record of the inputs (folders, JSONL, CSV, Excel) re-evaluated, written to
    ``out`` as results.jsonl, results.xlsx and the report; returns the summary."""
    from .batch.columns import load_layout
    from .batch.run import Batch, run
    from .batch.worker import Settings
    from .cli.batch import CHUNK_SIZE, RECURRENCE_THRESHOLD, RECURRENCE_WINDOW  # the command's defaults

    day = _date(as_of) or dt.date.today()
    settings = Settings(profile, None, False, None, day, load_layout(None), None, lang)
    paths = [Path(p) for p in inputs]
    job = Batch(paths, Path(out), settings, workers, CHUNK_SIZE, False, RECURRENCE_THRESHOLD, RECURRENCE_WINDOW, lang)
    summary, _ = run(job, _silent)
    return summary


def check(rule_dir: Path | str | None = None, profile: str = "default", *, trusted: bool = False) -> Report:
    """`rongcuo check`: conflicts, gaps and dead rules of a rule set, exhaustively over the scenario space."""
    from . import drafting
    from .drafting.check import check as checked

    return checked(drafting.load(str(rule_dir) if rule_dir else f"profile:{profile}", profile, trusted=trusted))


def diff(old: str, new: str, profile: str = "default", *, trusted: bool = False) -> DiffReport:
    """`rongcuo diff`: every class of situations whose answer differs between two rule sets (a folder, a
    draft, or ``profile:NAME``)."""
    from . import drafting
    from .drafting.diff import diff as differ

    return differ(drafting.load(old, profile, trusted=trusted), drafting.load(new, profile, trusted=trusted))


def _date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    from .model import days

    return days.parse(value, "as_of")


class _silent:
    """No progress display (a library call)."""

    def __init__(self, total: int):
        pass

    def __enter__(self):
        return lambda records, size: None

    def __exit__(self, *exc: object) -> None:
        return None
