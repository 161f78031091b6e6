"""What the command line imports before it works: each command only its own stack (no timing here —
the speed lives in benchmarks/startup.py)."""

import os
import subprocess
import sys

import pytest

from .conftest import ROOT

CASE = ROOT / "measure" / "golden" / "g-a11-p1-i6.yaml"
COMMANDS = ["batch", "check", "clauses", "diff", "evaluate", "explain", "extract", "serve", "test", "vocabulary"]
NOT_FOR_EVALUATE = [
    "numpy",  # the compiled evaluation, for many cases: a case or two are ground whole
    "fastapi",
    "uvicorn",
    "jieba",
    "pkg_resources",
    "rich.progress",
    "rongcuo.batch",
    "rongcuo.drafting",
    "rongcuo.service",
    "rongcuo.extract",
]
# typer (0.29) itself imports pydantic to coerce the parameters of the command it runs: only --help is without it.
NOT_FOR_VOCABULARY = [*NOT_FOR_EVALUATE, "clingo", "rongcuo.engine", "rongcuo.model.case", "rongcuo.explain"]
NOT_FOR_HELP = [*NOT_FOR_VOCABULARY, "pydantic", "yaml", "jinja2"]


def imported(*args: str) -> set[str]:
    """The modules a whole `python -m rongcuo ARGS` process imports (from -X importtime)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rongcuo", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [line.split("|") for line in run.stderr.splitlines() if line.startswith("import time:")]
    return {parts[2].strip() for parts in lines if len(parts) == 3}


def among(modules: set[str], packages: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_help_imports_no_stack_of_any_command():
    modules = imported("--help")
    assert "typer" in modules  # the check sees the imports at all
    assert among(modules, NOT_FOR_HELP) == []


@pytest.mark.parametrize("args", [("vocabulary",), ("vocabulary", "--lang", "en")])
def test_vocabulary_imports_no_engine_web_or_batch_stack(args):
    modules = imported(*args)
    assert {"yaml", "jinja2"} <= modules
    assert among(modules, NOT_FOR_VOCABULARY) == []


def test_evaluate_imports_the_engine_only():
    modules = imported("evaluate", str(CASE), "--as-of", "2024-12-31")
    assert {"clingo", "pydantic", "rongcuo.engine"} <= modules
    assert among(modules, [*NOT_FOR_EVALUATE, "rongcuo.explain"]) == []  # text output: no explanation stack


def test_importing_the_cli_imports_no_command_stack():
    run = subprocess.run(
        [sys.executable, "-c", "import sys, rongcuo.cli; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert among(set(run.stdout.split()), NOT_FOR_HELP) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_still_resolves_its_options(command):
    """Deferred imports must not leave an option's type unresolvable: each command's --help works."""
    run = subprocess.run([sys.executable, "-m", "rongcuo", command, "--help"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "用法：" in run.stdout or "Usage:" in run.stdout  # Chinese unless the locale is en* (cli.words)


def test_the_days_default_is_the_drafting_one():
    """cli.drafting repeats drafting.size.DAYS so that building the app does not import drafting."""
    from rongcuo.cli import drafting as cli
    from rongcuo.drafting import size

    assert cli.DAYS == size.DAYS


def test_jieba_waits_for_the_first_segmentation():
    code = (
        "import sys; from rongcuo.extract.segment import Span, words; before = 'jieba' in sys.modules; "
        "words('尚未发现', Span(0, 4), ['尚未']); print(before, 'jieba' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("write", [True, False])
def test_compiled_templates_are_kept_where_python_keeps_bytecode(tmp_path, write):
    """Templates compiled once are reused (jinja2's cache in the temporary folder), the text unchanged;
    under PYTHONDONTWRITEBYTECODE nothing is written."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TMPDIR"] = str(tmp_path)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = [sys.executable, "-m", "rongcuo", "evaluate", str(CASE), "--as-of", "2024-12-31"]
    first, second = (subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env) for _ in range(2))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    cached = list(tmp_path.glob("_jinja2-cache-*/*.cache"))
    assert len(cached) == (3 if write else 0)  # explain/evaluate.txt.j2, the macros it imports and their words
