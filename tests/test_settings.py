"""Defaults from rongcuo.toml and RONGCUO_* (issue 19.3): the command line over the environment over the
file; a bad file or value is one line naming where it was set."""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT, rongcuo

CASE = ROOT / "measure" / "golden" / "g-a11-p1-i1.yaml"


def first_line(run) -> str:
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()[0]


def test_the_file_gives_defaults_and_the_command_line_overrides_them(tmp_path):
    (tmp_path / "rongcuo.toml").write_text('profile = "strict"\nlang = "en"\n[evaluate]\nas_of = "2024-03-01"\n')
    line = first_line(rongcuo("evaluate", CASE, cwd=tmp_path))
    assert line.startswith("Case G-A11-P1-I1 (profile strict")
    assert "as of: 2024-03-01" in rongcuo("evaluate", CASE, cwd=tmp_path).stdout
    over = first_line(rongcuo("evaluate", CASE, "--profile", "literal", "--lang", "zh", cwd=tmp_path))
    assert over.startswith("案件 G-A11-P1-I1（口径 literal")
    # A command's own table applies to it alone: explain keeps the case's own date.
    assert "2024-03-31" in rongcuo("explain", CASE, cwd=tmp_path).stdout


def test_the_environment_overrides_the_file(tmp_path, monkeypatch):
    (tmp_path / "rongcuo.toml").write_text('profile = "strict"\n')
    monkeypatch.setenv("RONGCUO_PROFILE", "literal")
    assert "（口径 literal" in first_line(rongcuo("evaluate", CASE, cwd=tmp_path))
    settings = json.loads(rongcuo("config", "--format", "json", cwd=tmp_path).stdout)["settings"]
    (profile,) = [s for s in settings if s["option"] == "profile"]
    assert (
        profile["value"] == "literal" and profile["source"] == "RONGCUO_PROFILE" and "evaluate" in profile["commands"]
    )


def test_config_names_the_file_it_read(tmp_path):
    other = tmp_path / "elsewhere.toml"
    other.write_text("[batch]\nworkers = 1\n")
    run = rongcuo("--config", other, "config", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "workers = 1" in run.stdout and f"{other} [batch]" in run.stdout and "适用于：batch" in run.stdout
    assert "没有设置" in rongcuo("config", cwd=tmp_path).stdout


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("profle = 1\n", ["rongcuo.toml: profle", "--profle"]),
        ("[evaluat]\nprofile = 'x'\n", ["[evaluat]", "没有这个命令"]),
        ("[batch]\nworkers = 'two'\n", ["rongcuo.toml [batch]", "--workers 的值不可用"]),
        ('lang = "fr"\n', ["rongcuo.toml", "--lang 的值不可用"]),
        ("lang = [\n", ["不是有效的 TOML 配置文件"]),
    ],
)
def test_a_bad_setting_is_one_line_naming_where(tmp_path, text, words):
    (tmp_path / "rongcuo.toml").write_text(text)
    run = rongcuo("evaluate", CASE, cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("rongcuo: ") and run.stderr.count("\n") == 1, run.stderr
    assert all(w in run.stderr for w in words), run.stderr


def test_an_unknown_variable_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("RONGCUO_PROFLE", "strict")
    run = rongcuo("evaluate", CASE, cwd=tmp_path)
    assert run.returncode == 2 and "RONGCUO_PROFLE" in run.stderr and "--profle" in run.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["evaluate", "--prof", "x.yaml"], ["rongcuo evaluate：没有选项 --prof", "是否指", "--profile"]),
        (["evaluat"], ["没有命令 evaluat", "是否指 evaluate"]),
        (["evaluate"], ["缺少 'cases'", "rongcuo evaluate --help"]),
        (["evaluate", "x.yaml", "--format", "pdf"], ["'--format' 的值无效"]),
        (["evaluate", "--prof", "x.yaml", "--lang", "en"], ["no such option --prof", "did you mean"]),
    ],
)
def test_a_usage_error_is_one_line_in_the_runs_language(args, words):
    """As a user runs it (a process: the `rongcuo` entry point), not click's usage block or typer's panel."""
    run = rongcuo(*args, process=True)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("rongcuo: ") and run.stderr.count("\n") == 1, run.stderr
    assert all(w in run.stderr for w in words), run.stderr
