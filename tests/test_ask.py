"""The application layer: one way to ask, the same answer through every entry point."""

import datetime as dt
import json
import shutil

import pytest
import yaml
from fastapi.testclient import TestClient

from rongcuo import ask
from rongcuo.ask import Ask, Evaluated, Rejected
from rongcuo.engine import RuleSet, bundled_root
from rongcuo.model.case import parse_case
from rongcuo.model.files import load_case
from rongcuo.service import Service, create_app

from .conftest import AS_OF, ROOT, rongcuo

GOLDEN = ROOT / "measure" / "golden"
EFFECTIVE = dt.date(2022, 1, 1)
# Conduct before the measure's commencement (a20), an unknown fact, a contradiction: what the layer adds.
OLD = {"id": "OLD", "facts": {"enforcement_personnel": True}, "dates": {"conduct": "2021-06-01"}}
OPEN = {
    "id": "OPEN",
    "facts": {
        "enforcement_personnel": True,
        "inspection_target_concealed": True,
        "not_prohibited_by_law": True,
        "remedied_actively": True,
        "major_loss": "unknown",
    },
}
BAD = {
    "id": "BAD",
    "facts": {"enforcement_personnel": True, "performed_per_statutory_duty": True, "exceeded_statutory_scope": True},
}


def predates(result: dict) -> bool:
    return any(c["consequence"] == "predates_measure" for c in result["consequences"])


def test_one_answer_for_each_kind_of_case(default_rules):
    cases = [parse_case(data, "t") for data in (OLD, OPEN, BAD)]
    old, open_, bad = ask.evaluate(Ask(default_rules, AS_OF, EFFECTIVE), cases, ["a.yaml", "b.yaml", "c.yaml"])
    assert isinstance(old, Evaluated) and predates(old.to_json()) and old.world is None
    assert isinstance(open_, Evaluated) and open_.dispositions() == {"exempt", "mitigated"}
    assert isinstance(bad, Rejected) and str(bad.error).startswith("c.yaml: facts: performed_per_statutory_duty and")
    assert [predates(a.to_json()) for a in ask.evaluate(Ask(default_rules, AS_OF), cases[:1])] == [False]


def test_agreement_is_one_rule():
    assert ask.agreement(None, {"exempt"}) is None
    assert ask.agreement("exempt", {"exempt"}) == "agree"
    assert ask.agreement("none", {"exempt"}) == "disagree"
    assert ask.agreement("exempt", {"exempt", "mitigated"}) == "undetermined"


def test_batch_honours_the_effective_date(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "old.yaml").write_text(yaml.safe_dump(OLD))
    out = tmp_path / "out"
    run = rongcuo("batch", folder, "--out", out, "--workers", "1", "--as-of", AS_OF, "--effective-date", EFFECTIVE)
    assert run.returncode == 0, run.stderr
    (line,) = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert predates(line)
    assert EFFECTIVE.isoformat() in (out / "report.md").read_text()
    again = rongcuo("batch", folder, "--out", tmp_path / "plain", "--workers", "1", "--as-of", AS_OF)
    assert again.returncode == 0 and not predates(json.loads((tmp_path / "plain" / "results.jsonl").read_text()))


@pytest.fixture(scope="module")
def client(rulesets):
    return TestClient(create_app(Service(rulesets, "default")), headers={"Accept-Language": "en"})


def test_the_api_honours_the_effective_date(client):
    query = {"as_of": AS_OF.isoformat(), "effective_date": EFFECTIVE.isoformat()}
    assert predates(client.post("/v1/evaluate", params=query, json=OLD).json())
    assert not predates(client.post("/v1/evaluate", params={"as_of": AS_OF.isoformat()}, json=OLD).json())
    assert predates(client.post("/v1/explain", params=query, json=OLD).json())
    streamed = client.post("/v1/batch", params=query, content=json.dumps(OLD)).text
    assert predates(json.loads(streamed))
    bad = client.post("/v1/evaluate", params={"effective_date": "2022-13-01"}, json=OLD)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("effective_date: '2022-13-01' is not a date")


def test_every_entry_point_gives_the_same_result(client, tmp_path, default_rules):
    """evaluate --format json, the API, /v1/batch and rongcuo batch: one layer, one answer."""
    path = GOLDEN / "g-a11-p1-i6.yaml"
    case = load_case(path)
    (direct,) = ask.evaluate(Ask(default_rules, AS_OF), [case])
    expected = direct.to_json()
    run = rongcuo("evaluate", path, "--format", "json", "--as-of", AS_OF)
    assert json.loads(run.stdout) == expected
    assert (
        client.post("/v1/evaluate", params={"as_of": AS_OF.isoformat()}, json=case.model_dump(mode="json")).json()
        == expected
    )
    body = json.dumps(case.model_dump(mode="json"), ensure_ascii=False)
    line = json.loads(client.post("/v1/batch", params={"as_of": AS_OF.isoformat()}, content=body).text)
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(path, folder)
    assert rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "1", "--as-of", AS_OF).returncode == 0
    batched = json.loads((tmp_path / "out" / "results.jsonl").read_text())
    for got in (line, batched):
        assert got["status"] == "evaluated" and got["agreement"] == ask.agreement(case.recorded_decision, {"exempt"})
    assert {k: line[k] for k in expected} == expected
    # rongcuo batch applies the law's timeline by default: evaluate --timeline bundled's answer, which is the
    # rule set's own but for the version it names and the timeline's digest
    timed = json.loads(rongcuo("evaluate", path, "--format", "json", "--as-of", AS_OF, "--timeline", "bundled").stdout)
    assert {k: batched[k] for k in timed} == timed
    assert (timed["version"], timed["version_reason"]) == ("v2021", "one_version_in_force")
    provenance = {"rules", "rules_sha256", "version", "version_reason", "versions_consulted"}
    assert {k: v for k, v in timed.items() if k not in provenance} == {
        k: v for k, v in expected.items() if k not in provenance
    }


def test_the_contradiction_is_worded_once(client, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(BAD))
    message = "facts: performed_per_statutory_duty and exceeded_statutory_scope contradict each other"
    run = rongcuo("evaluate", path, "--lang", "en")
    assert run.returncode == 2 and f"{path}: {message}" in run.stderr
    problem = client.post("/v1/evaluate", json=BAD).json()
    assert problem["detail"] == f"case: {message} — set one of them to false"
    streamed = json.loads(client.post("/v1/batch", content=json.dumps(BAD)).text)
    assert streamed["status"] == "rejected" and streamed["reason"] == f"line 1: {message} — set one of them to false"


def test_the_disposition_modality_comes_from_the_rules(tmp_path):
    """A draft that only reorders precedes/2: mitigated (a12, may) before excluded (a13, shall not)."""
    root = tmp_path / "measure"
    shutil.copytree(bundled_root(), root)
    outcomes = root / "rules" / "_mechanism" / "outcomes.lp"
    text = outcomes.read_text()
    order = "precedes(exempt, excluded). precedes(excluded, mitigated). precedes(mitigated, none)."
    assert order in text
    outcomes.write_text(
        text.replace(order, "precedes(exempt, mitigated). precedes(mitigated, excluded). precedes(excluded, none).")
    )
    case = load_case(GOLDEN / "g-q2-a12-after-exclusion.yaml")
    (result,) = RuleSet.load("default", root).evaluate([case], AS_OF)
    assert (result.disposition, result.disposition_modality) == ("mitigated", "may")
    assert result.outcomes[0].outcome == "excluded"  # what the templates used to read the modality from
    run = rongcuo("explain", GOLDEN / "g-q2-a12-after-exclusion.yaml", "--rules", root, "--as-of", AS_OF)
    assert run.returncode == 0, run.stderr
    disposition_line = next(line for line in run.stdout.splitlines() if "从轻、减轻处理" in line)
    assert "可以" in disposition_line and "不予" not in disposition_line
