"""Decision provenance (issue 17.6): a full sha256 over everything that decides an answer, a short form
for display, and `rongcuo rules show HASH` to resolve it."""

import json
import shutil

from rongcuo.engine import RuleSet, bundled_root
from rongcuo.model import calendar
from rongcuo.model import vocabulary as vocab

from .conftest import rongcuo


def test_the_hash_is_a_full_sha256_and_results_show_its_short_form(default_rules):
    assert len(default_rules.sha256) == 64 and default_rules.digest == default_rules.sha256[:16]
    kinds = {f.kind for f in default_rules.provenance.files}
    assert {"mechanism", "rule", "reading", "profile", "vocabulary"} <= kinds
    out = json.loads(rongcuo("evaluate", "measure/golden/g-a11-p1-i6.yaml", "--format", "json").stdout)
    assert out["rules"] == default_rules.digest and out["rules_sha256"] == default_rules.sha256


def test_rules_show_lists_the_vocabulary_the_profile_and_the_versions(default_rules):
    for given in (default_rules.digest, default_rules.sha256):
        run = rongcuo("rules", "show", given)
        assert run.returncode == 0, run.stderr
        assert "vocabulary.yaml" in run.stdout and "profiles/default.lp" in run.stdout
        assert "readings/q01_either.lp" in run.stdout and calendar.version() in run.stdout
        assert default_rules.sha256 in run.stdout and "clingo" in run.stdout
    shown = json.loads(rongcuo("rules", "show", default_rules.digest, "--format", "json").stdout)
    (entry,) = shown
    assert entry["sha256"] == default_rules.sha256 and entry["profile"] == "default"
    paths = {f["path"]: f["sha256"] for f in entry["files"]}
    assert paths["vocabulary.yaml"] == next(f.sha256 for f in default_rules.provenance.files if f.kind == "vocabulary")
    assert entry["calendar"]["data_sha256"] == calendar.data_sha256()


def test_rules_show_resolves_a_rule_directory_and_refuses_an_unknown_hash(tmp_path):
    root = tmp_path / "asp"
    shutil.copytree(bundled_root(), root)
    rule = root / "rules" / "a12_mitigation.lp"
    rule.write_text(rule.read_text("utf-8") + "\n% a drafter's comment\n", "utf-8")
    mine = RuleSet.load("strict", root)
    assert mine.digest not in {RuleSet.load(p).digest for p in ("default", "literal", "strict")}
    assert rongcuo("rules", "show", mine.digest).returncode == 2  # not a bundled set
    run = rongcuo("rules", "show", mine.digest, "--rules", str(root))
    assert run.returncode == 0 and "profiles/strict.lp" in run.stdout and str(root) in run.stdout
    bad = rongcuo("rules", "show", "not-a-hash")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_the_digest_changes_when_any_covered_file_changes(tmp_path, monkeypatch):
    root = tmp_path / "measure"
    shutil.copytree(bundled_root(), root)
    before = RuleSet.load("default", root)
    assert before.sha256 == RuleSet.load("default").sha256  # content, not location
    for path in ("rules/a13_exclusion.lp", "readings/q01_either.lp", "profiles/default.lp"):
        copy = tmp_path / path.replace("/", "_")
        shutil.copytree(root, copy)
        edited = copy / path
        edited.write_text(edited.read_text("utf-8") + "\n% edited\n", "utf-8")
        assert RuleSet.load("default", copy).sha256 != before.sha256, path
    # The vocabulary the engine reads is the measure folder's: point it at the copy, edit it there.
    monkeypatch.setattr(vocab, "root", lambda: root)
    assert RuleSet.load("default", root).sha256 == before.sha256
    words = root / "vocabulary.yaml"
    words.write_text(words.read_text("utf-8").replace("执法人员", "执法工作人员", 1), "utf-8")
    edited = RuleSet.load("default", root).sha256
    assert edited != before.sha256
    # The calendar's data is covered too.
    monkeypatch.setattr(calendar, "data_sha256", lambda: "0" * 64)
    assert RuleSet.load("default", root).sha256 not in (edited, before.sha256)
