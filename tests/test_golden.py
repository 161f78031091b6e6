"""The golden cases: measure/analysis.md's answer for every case under every profile."""

import pytest

from rongcuo import golden
from rongcuo.model.files import case_files

from .conftest import ROOT

GOLDEN = sorted(case_files([ROOT / "measure" / "golden"]))


def test_every_bundled_profile_is_covered(rulesets):
    assert set(rulesets) == {"default", "literal", "strict"}


@pytest.fixture(scope="module")
def checks(rulesets):
    return {(c.golden.source, c.profile): c for c in golden.run(GOLDEN, list(rulesets.values()))}


@pytest.mark.parametrize("profile", ["default", "literal", "strict"])
@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden(checks, path, profile):
    check = checks.get((str(path), profile))
    assert check is not None, f"{path.name} states no expectation for {profile}"
    assert check.passed, "\n".join(check.problems)


def test_compare_reports_each_kind_of_difference(default_rules):
    case = golden.load_golden(ROOT / "measure/golden/g-a11-p1-i6.yaml")
    result = default_rules.evaluate([case.case], as_of=case.as_of)[0]
    wrong = {
        "disposition": "mitigated",
        "outcomes": ["mitigated"],
        "grounds": {"exempt": ["a4"]},
        "modality": {"exempt": "shall"},
        "consequences": {"present": ["no_liability"], "absent": ["not_recorded_as_error"]},
    }
    problems = golden.compare(wrong, result)
    assert [p.split(":")[0].split(" ")[0] for p in problems] == [
        "disposition",
        "outcomes",
        "grounds",
        "modality",
        "consequence",
        "consequence",
    ]


def test_golden_coverage_of_the_items():
    """Every item of a10.p1, a11.p1 and a12.p1 is cited by some golden case."""
    from rongcuo.model import measure

    cited = set()
    for path in GOLDEN:
        for block in golden.load_golden(path).expect.values():
            for grounds in (block.get("grounds") or {}).values():
                cited |= set(grounds)
    items = [c for c in measure.clauses() if c.startswith(("a10.p1.", "a11.p1.", "a12.p1."))]
    assert [c for c in items if c not in cited] == []
