"""The JSON shapes are documented (issue 19.2): schemas/ holds the JSON Schemas generated from the models
(`rongcuo schema`), and real inputs and outputs validate against them."""

from __future__ import annotations

import json
from functools import cache

import jsonschema
import pytest
import yaml

from rongcuo.model.shapes import schemas

from .conftest import ROOT, rongcuo

GOLDEN = sorted((ROOT / "measure" / "golden").glob("*.yaml"))


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize(
    "name", ["case", "result", "clause", "vocabulary", "test-report", "check-report", "diff-report"]
)
def test_the_committed_schemas_are_the_generated_ones(name):
    committed = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    assert committed == schemas()[name], f"schemas/{name}.schema.json is stale: rongcuo schema {name} > it"
    assert rongcuo("schema", name).stdout.strip() == json.dumps(committed, ensure_ascii=False, indent=2)


def test_every_golden_case_file_is_a_case_by_the_schema():
    for path in GOLDEN:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))  # dates as ISO text
        data.pop("expect", None)  # the golden expectation is not part of a case (measure/golden/README.md)
        validator("case").validate(data)


def test_every_evaluated_golden_result_is_a_result_by_the_schema(tmp_path):
    run = rongcuo("evaluate", *GOLDEN, "--format", "json", "--as-of", "2024-12-31")
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == len(GOLDEN) - sum(1 for p in GOLDEN if p.stem.startswith("g-contra")), run.stderr
    # and one with unknown facts: its open world
    case = tmp_path / "u.yaml"
    case.write_text(yaml.safe_dump({"id": "U", "facts": {"enforcement_personnel": True, "major_loss": "unknown"}}))
    (open_world,) = [json.loads(rongcuo("evaluate", case, "--format", "json").stdout)]
    assert "open_world" in open_world
    for line in [*lines, open_world]:
        validator("result").validate(line)


def test_the_schemas_refuse_what_is_not_one():
    with pytest.raises(jsonschema.ValidationError):
        validator("case").validate({"id": "X", "facts": {"enforcement_personnel": "perhaps"}})
    with pytest.raises(jsonschema.ValidationError):
        validator("result").validate({"case": "X", "outcomes": "exempt"})


def test_extract_writes_json_lines_a_batch_reads(tmp_path):
    """`extract --format json` writes one case per line (issue 19.2), each a case by the schema, and
    `rongcuo batch` evaluates the file as it is."""
    narratives = sorted((ROOT / "cases" / "narratives" / "dev").glob("*.txt"))[:3]
    run = rongcuo("extract", *narratives, "--format", "json")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["id"] for line in lines] == [p.stem for p in narratives]
    for line in lines:
        validator("case").validate(line)
    cases = tmp_path / "cases.jsonl"
    cases.write_text(run.stdout, "utf-8")
    batch = rongcuo("batch", cases, "--out", tmp_path / "out", "--workers", "1", cwd=None)
    assert batch.returncode == 0, batch.stderr
    assert batch.stdout.startswith("3 条记录：已评估 3 条")


def test_the_reference_outputs_are_what_their_schemas_say():
    for line in rongcuo("clauses", "--format", "json").stdout.splitlines():
        validator("clause").validate(json.loads(line))
    for lang in ("zh", "en"):
        validator("vocabulary").validate(json.loads(rongcuo("vocabulary", "--format", "json", "--lang", lang).stdout))
    one = ROOT / "measure" / "golden" / "g-a11-p1-i6.yaml"
    report = json.loads(rongcuo("test", one, "--format", "json").stdout)
    validator("test-report").validate(report)
    assert report["total"] >= 1 and report["checks"][0]["case"] == "G-A11-P1-I6"


def test_the_drafters_reports_are_what_their_schemas_say(tmp_path):
    """check (with a conflict and its witness), diff (classes with witnesses, and a corpus) and diff across a
    transition."""
    drafts = ROOT / "measure" / "drafts"
    check = rongcuo("check", "--rules", drafts / "a12-exemption-ignores-a13", "--format", "json")
    assert check.returncode == 1, check.stderr  # the draft's conflict
    report = json.loads(check.stdout)
    validator("check-report").validate(report)
    assert any(c["status"] == "conflict" and c["witness"] for c in report["conflicts"])
    diff = rongcuo(
        "diff",
        "profile:default",
        drafts / "a12-cooperation-suffices",
        "--format",
        "json",
        "--cases",
        ROOT / "measure" / "golden",
    )
    assert diff.returncode in (0, 1), diff.stderr
    report = json.loads(diff.stdout)
    validator("diff-report").validate(report)
    assert report["classes"] and report["cases"] is not None
    across = rongcuo(
        "diff",
        "version:v2021",
        "version:v2025_illustrative",
        "--transition",
        "--format",
        "json",
        "--timeline",
        "illustrative",
    )
    report = json.loads(across.stdout)  # the same shape, with the transition and each class's segment
    validator("diff-report").validate(report)
    assert report["transition"]["switch"] == "2025-07-01"
    assert {c["baseline"] for c in report["classes"]} == {"old", "new"}
