import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from rongcuo.engine import RuleSet, profiles

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2024, 12, 31)

# measure/analysis.md §5: date L may not precede date K (False), or must follow it (True) — in an order
# where each K comes before its L.
DATE_ORDER = [
    ("conduct", "decision", False),
    ("decision", "notified", False),
    ("decision", "correction_deadline", False),
    ("correction_deadline", "extended_deadline", True),
]


def in_order(found: dict[str, dt.date]) -> dict[str, dt.date]:
    """Dates as a valid case has them: where they break §5's order, the later one moved to the first day
    the order allows (for strategies drawing dates one by one)."""
    out = dict(found)
    for k, later, strict in DATE_ORDER:
        if k in out and later in out and (out[later] <= out[k] if strict else out[later] < out[k]):
            out[later] = out[k] + dt.timedelta(days=int(strict))
    return out


@pytest.fixture(scope="session")
def rulesets() -> dict[str, RuleSet]:
    return {p: RuleSet.load(p) for p in profiles()}


@pytest.fixture(scope="session")
def default_rules(rulesets) -> RuleSet:
    return rulesets["default"]


def write_draft(folder: Path, files: dict[str, str], title: str = "# A draft") -> Path:
    """A draft folder as a drafter makes one (drafting.sources): a DRAFT.md whose first line is its
    title, and ``files`` (a path under the rule base, as measure/ lays it out, to its text) — each
    replacing the bundled file of that path or added beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "DRAFT.md").write_text(title + "\n", encoding="utf-8")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def draft(tmp_path):
    """``draft(files, title)``: a draft folder under the test's tmp_path (write_draft)."""
    made = iter(range(1_000))
    return lambda files, title="# A draft": write_draft(tmp_path / f"draft{next(made)}", files, title)


@dataclass(frozen=True)
class Run:
    """What a command gave, named as subprocess.run names it."""

    returncode: int
    stdout: str
    stderr: str


def rongcuo(*args, cwd=ROOT, process=False) -> Run:
    """`rongcuo ARGS` run in `cwd` (None: where the tests run), in this process (typer's CliRunner, stdout
    and stderr apart) or, with process=True, as a user runs it: `python -m rongcuo` in a process of its own.

    In-process is the default: a process costs a second of start-up. An exception the command does not turn
    into a message is raised here (it would be a traceback on the real stderr), so the test fails on it. What
    only a process shows — that `-m rongcuo` starts, its exit status, its real stderr (anything written past
    click's streams), signals — the few tests that need it ask for process=True, and say why: in test_cli.py
    the start-up (--help), one evaluate and one refused case; in test_extract.py the case piped to stdout; in
    test_batch.py the run killed and resumed.
    """
    args = [str(a) for a in args]
    if process:
        run = subprocess.run([sys.executable, "-m", "rongcuo", *args], capture_output=True, text=True, cwd=cwd)
        return Run(run.returncode, run.stdout, run.stderr)
    from typer.testing import CliRunner

    from rongcuo.cli import app

    here = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, args, catch_exceptions=False, prog_name="rongcuo")
    finally:
        os.chdir(here)
    return Run(result.exit_code, result.stdout, result.stderr)
