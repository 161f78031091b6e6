"""--help in Chinese (--lang zh, or a locale that is not en*) and in English (LANG=en*, --lang en)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from rongcuo.cli.words import TYPER_ZH, catalogue, language

from .conftest import ROOT

HAN = re.compile(r"[\u4e00-\u9fff]")
HAN_WORDS = re.compile(r"[\u4e00-\u9fff]+")
DUMP = """
import json
from typer.main import get_command
from typer.testing import CliRunner
from rongcuo.cli import app
names = sorted(get_command(app).commands)
runner = CliRunner()
out = {n: runner.invoke(app, [n, "--help"], prog_name="rongcuo", env={"COLUMNS": "200"}).output for n in names}
out[""] = runner.invoke(app, ["--help"], prog_name="rongcuo", env={"COLUMNS": "200"}).output
print(json.dumps(out))
"""


def helps(locale: str, *argv: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")} | {"LANG": locale}
    run = subprocess.run([sys.executable, "-c", DUMP, *argv], capture_output=True, text=True, cwd=ROOT, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def zh():
    return helps("zh_CN.UTF-8")


def test_every_command_has_chinese_help_and_no_english_option_help(zh):
    english = {entry["en"] for entry in catalogue().values()} | set(TYPER_ZH)
    assert len(zh) > 10
    for name, text in zh.items():
        assert HAN.search(text) and "用法：" in text, name
        flat = " ".join(text.split())
        left = [e for e in english if len(e) > 12 and " ".join(e.split())[:40] in flat]
        assert not left, (name, left)


def test_english_under_an_english_locale_or_lang_en(zh):
    for found in (helps("en_US.UTF-8"), helps("zh_CN.UTF-8", "--lang", "en")):
        assert found.keys() == zh.keys()
        for name, text in found.items():
            for words in {w for e in catalogue().values() for w in HAN_WORDS.findall(e["en"])}:
                text = text.replace(words, "")  # the English help names some Chinese terms (opinion)
            assert "Usage:" in text and not HAN.search(text), name


def test_the_language_chosen():
    assert language(["rongcuo", "--help"], {}) == "zh"
    assert language(["rongcuo"], {"LANG": "C.UTF-8"}) == "zh"
    assert language(["rongcuo"], {"LANG": "en_GB.UTF-8"}) == "en"
    assert language(["rongcuo"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US"}) == "zh"
    assert language(["rongcuo", "check", "--lang", "en"], {"LANG": "zh_CN"}) == "en"
    assert language(["rongcuo", "check", "--lang=zh"], {"LANG": "en_US"}) == "zh"


def test_the_catalogue_has_both_languages_and_every_key_is_used():
    entries = catalogue()
    assert all(set(e) == {"zh", "en"} and HAN.search(e["zh"]) and e["en"] for e in entries.values())
    source = "".join(p.read_text("utf-8") for p in (ROOT / "src" / "rongcuo" / "cli").glob("*.py"))
    used = set(re.findall(r'\bh\("([^"]+)"\)', source))
    assert used == set(entries)
