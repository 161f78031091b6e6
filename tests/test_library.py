"""rongcuo as a library (issue 19.5): only the public names, the README's example run as written."""

from __future__ import annotations

import re
import subprocess
import sys

import rongcuo

from .conftest import ROOT


def test_the_readmes_example_runs():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("### As a library") :]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:1]
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "容错免责" in run.stdout and "第十一条第一款第（六）项" in run.stdout


def test_every_public_name_resolves_and_nothing_else_is_promised():
    for name in rongcuo.__all__:
        assert getattr(rongcuo, name) is not None, name
    assert set(dir(rongcuo)) == set(rongcuo.__all__)
    try:
        rongcuo.internal_thing  # noqa: B018
    except AttributeError as e:
        assert "internal_thing" in str(e)
    else:
        raise AssertionError("an unknown name resolved")


def test_importing_rongcuo_loads_nothing_heavy():
    code = "import sys, rongcuo; print(sorted(m for m in ('clingo', 'pydantic', 'jinja2') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stdout + run.stderr


def test_the_library_gives_the_command_lines_answers(tmp_path):
    cases = [rongcuo.load_case(p) for p in sorted((ROOT / "measure" / "golden").glob("g-a1[01]*.yaml"))]
    answers = rongcuo.evaluate(cases)
    assert [a.result.disposition for a in answers] == [rongcuo.evaluate([c])[0].result.disposition for c in cases]
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted((ROOT / "measure" / "golden").glob("g-a10*.yaml"))[:3]:
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    summary = rongcuo.batch([folder], tmp_path / "out", as_of="2024-12-31")
    assert summary.records == 3 and (tmp_path / "out" / "results.jsonl").is_file()
    report = rongcuo.check()
    assert not report.conflicts
    bad = rongcuo.parse_case.__doc__
    assert bad and "mapping" in bad
