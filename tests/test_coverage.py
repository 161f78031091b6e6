"""Legal coverage (issue 17.5): which cases fire each clause, rule and condition, which make it decisive,
and the cases the solver writes for the gaps."""

import json
import shutil

import pytest
import yaml

from rongcuo import golden
from rongcuo.coverage import coverage, missing
from rongcuo.engine import RuleSet, bundled_root

from .conftest import rongcuo

TINY = """\
% [a2] in scope, or not
in_scope(C) :- case(C), fact(C, enforcement_personnel).
grant(C, out_of_scope, a2, a2) :- case(C), not fact(C, enforcement_personnel).
% [a3] nothing else stands
ground(C, none, a3, a3) :- in_scope(C), not stands(C, _, _, _).
% [a11.p2] exemption on concealment with a remedy
modality(a11_p2, may). modality(a12_p1, may). modality(a13, shall_not).
grant(C, exempt, a11_p2, a11_p1_i6) :- in_scope(C), fact(C, inspection_target_concealed), fact(C, remedied_actively).
% [a12.p1] mitigation on cooperation: no case below has it
grant(C, mitigated, a12_p1, a12_p1_i2) :- in_scope(C), fact(C, cooperated_with_investigation).
% [a13] a major loss excludes, and blocks the exemption
grant(C, excluded, a13, a13) :- in_scope(C), fact(C, major_loss).
blocks(a13, a11_p2).
"""


def case(id, **facts):
    return {"id": id, "title": id, "facts": {"enforcement_personnel": True, **facts}, "as_of": "2024-06-30"}


@pytest.fixture
def tiny(tmp_path):
    root = tmp_path / "tiny"
    shutil.copytree(bundled_root() / "rules" / "_mechanism", root / "rules" / "_mechanism")
    (root / "rules" / "tiny.lp").write_text(TINY, "utf-8")
    (root / "profiles").mkdir()
    (root / "profiles" / "default.lp").write_text("% the tiny rule set has no readings\n", "utf-8")
    cases = tmp_path / "golden"
    cases.mkdir()
    for data, disposition in [
        (case("T-1", inspection_target_concealed=True, remedied_actively=True), "exempt"),
        (case("T-2", inspection_target_concealed=True), "none"),
        (case("T-3", major_loss=True, inspection_target_concealed=True, remedied_actively=True), "excluded"),
    ]:
        data["expect"] = {"all": {"disposition": disposition}}
        (cases / f"{data['id'].lower()}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return root, cases


def _cases(cases):
    return [golden.load_golden(p).case for p in sorted(cases.glob("*.yaml"))]


def test_coverage_counts_fired_blocked_and_decisive(tiny):
    root, cases = tiny
    cov = coverage(RuleSet.load("default", root), _cases(cases))
    by = {(i.kind, i.key.split(" ", 1)[-1] if i.kind == "condition" else i.key): i for i in cov.items}
    rule = {i.text.split(":-")[0].strip(): i for i in cov.of_kind("rule")}
    exempt = rule["grant(C,exempt,a11_p2,a11_p1_i6)"]
    assert exempt.fired == {"T-1", "T-3"} and exempt.decisive == {"T-1", "T-2"}  # T-3 stays excluded
    mitigation = rule["grant(C,mitigated,a12_p1,a12_p1_i2)"]
    assert not mitigation.fired and not mitigation.covered  # no case fires it: a gap
    assert by[("condition", "fact(C,remedied_actively)")].decisive == {"T-1", "T-2"}
    assert not by[("clause", "a12.p1")].fired and by[("clause", "a11.p2")].blocked == {"T-3"}
    assert by[("edge", "a13>a11.p2")].fired == {"T-3"} and by[("edge", "a13>a11.p2")].decisive == {"T-1", "T-3"}
    assert 0 < cov.percent() < 100 and cov.percent("edge") == 100


def test_test_coverage_reports_fails_under_and_writes_the_missing_cases(tiny, tmp_path):
    root, cases = tiny
    out = tmp_path / "missing"
    run = rongcuo("test", str(cases), "--rules", str(root), "--coverage", "--write-missing", str(out))
    assert run.returncode == 0, run.stderr
    assert "第十二条" in run.stdout and "%" in run.stdout
    low = rongcuo("test", str(cases), "--rules", str(root), "--coverage", "--fail-under", "99")
    assert low.returncode == 1 and "99" in low.stderr
    assert rongcuo("test", str(cases), "--rules", str(root), "--coverage", "--fail-under", "10").returncode == 0
    written = sorted(out.glob("*.yaml"))
    assert written  # the mitigation rule no case fires
    rules = RuleSet.load("default", root)
    checks = golden.run(written, [rules])
    assert checks and all(c.passed for c in checks), [c.problems for c in checks]
    facts = [golden.load_golden(p).case.true_facts() for p in written]
    assert any("cooperated_with_investigation" in f for f in facts)
    after = coverage(rules, _cases(cases) + [golden.load_golden(p).case for p in written])
    assert all(i.covered for i in after.items if i.kind == "rule")


def test_coverage_formats(tiny, tmp_path):
    root, cases = tiny
    for fmt in ("json", "md", "html"):
        target = tmp_path / f"coverage.{fmt}"
        args = ("test", str(cases), "--rules", str(root), "--coverage", "--coverage-format", fmt)
        run = rongcuo(*args, "--coverage-output", str(target))
        assert run.returncode == 0, run.stderr
        text = target.read_text("utf-8")
        if fmt == "json":
            (report,) = json.loads(text)["coverage"]
            assert report["percent"]["rule"] < 100 and any(not i["covered"] for i in report["items"])
        if fmt == "html":
            assert "第十二条" in text and "uncovered" in text and "<html" in text


def test_missing_finds_nothing_for_a_gap_that_never_decides(tiny):
    root, cases = tiny
    rules = RuleSet.load("default", root)
    found, none = missing(coverage(rules, _cases(cases)))
    # the a2 rule (no case is out of scope) and the mitigation rule no case fires; the mitigation's
    # condition is decisive already (T-2 with cooperation: mitigated)
    assert [m.item.kind for m in found] == ["rule", "rule"] and not none
    assert sorted(m.case.true_facts() for m in found) == [
        [],
        ["enforcement_personnel", "cooperated_with_investigation"],
    ]
