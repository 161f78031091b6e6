"""The drafters' reports (check, diff) read in Chinese: labels and the measure's numbering, not ids.

Ids appear only in code spans (`…` in text and Markdown, <code> in HTML): the names a drafter writes
(sources, rule text, check names, case ids) and, under --ids, the id after each label. The
explanation trees of Markdown and HTML are rongcuo.explain's, which name a fact's id after its label:
they are left out here (tests/test_explain.py holds them).
"""

from __future__ import annotations

import re

import pytest

from rongcuo import drafting
from rongcuo.drafting.check import check
from rongcuo.drafting.diff import corpus, diff
from rongcuo.drafting.report import rendered
from rongcuo.model import vocabulary as vocab
from rongcuo.model.files import case_files, load_case

from .conftest import ROOT, rongcuo

DRAFTS = sorted(p for p in (ROOT / "measure" / "drafts").iterdir() if p.is_dir())
IDS = {
    name for kind in ("facts", "dates", "outcomes", "modalities", "consequences") for name in vocab.vocabulary()[kind]
}
CLAUSE = re.compile(r"(?<![\w./-])a\d+(?:\.[pi]\d+)*(?![\w/-])")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@pytest.fixture(scope="module")
def reports():
    """check of the bundled rules and of every draft; diff of the bundled rules against every draft
    (the corpus of golden cases beside the first)."""
    versions = {str(d): drafting.load(str(d)) for d in DRAFTS}
    default = drafting.load("profile:default")
    found = [check(default), *(check(v) for v in versions.values())]
    for n, v in enumerate(versions.values()):
        report = diff(default, v)
        if n == 0:
            corpus(report, [load_case(p) for p in case_files([ROOT / "measure" / "golden"])])
        found.append(report)
    return found


def _drafters_text(report) -> list[str]:
    versions = [report.version] if hasattr(report, "version") else [report.old, report.new]
    return [v.draft for v in versions if v.draft]


def leaks(text: str, fmt: str, free: list[str]) -> list[str]:
    """The ids and clause ids a report shows outside code spans (and outside explanation trees)."""
    for words in free:
        text = text.replace(words, "")
    if fmt == "html":
        text = re.sub(r"<details>.*?</details>", "", text, flags=re.S)
        text = re.sub(r"<code>.*?</code>", "", text, flags=re.S)
        text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text)
    else:
        text = _without_trees(text)
        text = re.sub(r"`[^`\n]*`", "", text)
    found = [w for w in WORD.findall(text) if w in IDS]
    return found + CLAUSE.findall(text)


def _without_trees(text: str) -> str:
    """Markdown: each `- 为什么成立：…` item and everything nested under it."""
    kept, depth = [], None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if depth is not None and (indent > depth or not line.strip()):
            continue
        depth = None
        if line.lstrip().startswith(("- 为什么成立", "- Why it holds")):
            depth = indent
            continue
        kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_zh_reports_name_things_by_their_labels(reports, fmt):
    for report in reports:
        text = rendered(report, fmt, "zh", {})
        assert not leaks(text, fmt, _drafters_text(report)), (fmt, sorted(set(leaks(text, fmt, []))))


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_ids_on_request_in_code_spans(reports, fmt):
    report = reports[-2]  # diff against a12-cooperation-suffices: outcomes, facts and clauses change
    text = rendered(report, fmt, "zh", {}, ids=True)
    quoted = "<code>{}</code>" if fmt == "html" else "`{}`"
    for name in ("mitigated", "cooperated_with_investigation", "enforcement_personnel", "a12.p1.i2"):
        assert quoted.format(name) in text
    assert "从轻、减轻处理" in text and "第十二条第（二）项" in text


def test_en_reports_stay_english(reports):
    for report in reports:
        text = rendered(report, "text", "en", {})
        assert not re.search(r"[\u4e00-\u9fff]", _without_drafters(text, report)), text[:400]
    text = rendered(reports[-2], "text", "en", {})
    assert "mitigated" in text and "cooperated with the accountability investigation" in text
    assert "Art. 12(ii)" in text or "Art. 12" in text


def _without_drafters(text: str, report) -> str:
    for words in _drafters_text(report):
        text = text.replace(words, "")
    return text


def test_the_cli_passes_ids_through(tmp_path):
    draft = ROOT / "measure" / "drafts" / "a12-cooperation-suffices"
    plain = rongcuo("diff", "profile:default", draft)
    assert plain.returncode == 1 and "从轻、减轻处理" in plain.stdout and "`mitigated`" not in plain.stdout
    detailed = rongcuo("diff", "profile:default", draft, "--ids")
    assert detailed.returncode == 1 and "`mitigated`" in detailed.stdout
