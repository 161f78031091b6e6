"""`rongcuo serve --timeline` (issue 18): the service judges each case under the version its Q12 reading
applies, as `rongcuo evaluate --timeline` does, logs it as `evaluate --timeline --log` does, and refuses a
timeline that does not load before it starts."""

import importlib
import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from rongcuo import timeline as versions

from .conftest import rongcuo

serving = importlib.import_module("rongcuo.cli.serve")  # the module, not the command it defines

AS_OF = "2025-09-30"  # under the illustrative amendment (v2025_illustrative, from 2025-07-01)
COOPERATED = {"enforcement_personnel": True, "cooperated_with_investigation": True}
CASES = {  # conduct before the switch with the decision after it, and conduct after it
    "T-ACROSS": {"conduct": "2025-03-01", "decision": "2025-09-01"},
    "T-AFTER": {"conduct": "2025-08-01", "decision": "2025-08-15"},
}
TIMELINE_KEYS = ("version", "version_reason", "timeline", "timeline_sha256", "q12", "rules_sha256", "answer")


def case(case_id: str, facts: dict | None = None) -> dict:
    return {"id": case_id, "facts": facts or COOPERATED, "dates": CASES[case_id]}


def case_file(folder: Path, data: dict) -> Path:
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def cli_json(*args) -> list[dict]:
    run = rongcuo(*args, "--timeline", "illustrative", "--as-of", AS_OF, "--format", "json")
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def served(*args) -> TestClient:
    """A client of the application `rongcuo serve --timeline illustrative ARGS` builds (uvicorn not run)."""
    import uvicorn

    given = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uvicorn, "run", lambda app, **config: given.update(app=app))
        patch.setattr(serving, "_listenable", lambda host, port: None)  # nothing is bound: the port may be taken
        run = rongcuo("serve", "--timeline", "illustrative", *args)
    assert run.returncode == 0, run.stderr
    return TestClient(given["app"], raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return served()


def test_evaluate_names_the_version_evaluate_timeline_names(tmp_path, client):
    for case_id in CASES:
        (expected,) = cli_json("evaluate", case_file(tmp_path, case(case_id)))
        answer = client.post("/v1/evaluate", json=case(case_id), params={"as_of": AS_OF})
        assert answer.status_code == 200, answer.text
        assert answer.json() == expected  # version, version_reason, versions_consulted and all the rest
    found = client.post("/v1/evaluate", json=[case(k) for k in CASES], params={"as_of": AS_OF}).json()
    assert [(r["version"], r["version_reason"]) for r in found] == [
        ("v2025_illustrative", "later_more_favourable"),
        ("v2025_illustrative", "one_version_in_force"),
    ]
    assert found[0]["versions_consulted"] == [
        {"version": "v2021", "disposition": "none"},
        {"version": "v2025_illustrative", "disposition": "mitigated"},
    ]


def test_batch_lines_carry_the_version(client):
    body = "\n".join(json.dumps(case(k)) for k in CASES)
    answer = client.post("/v1/batch", content=body, params={"as_of": AS_OF})
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert [(x["line"], x["version"], x["version_reason"]) for x in lines] == [
        (1, "v2025_illustrative", "later_more_favourable"),
        (2, "v2025_illustrative", "one_version_in_force"),
    ]
    assert all(x["disposition"] == "mitigated" for x in lines)


def test_explain_and_whatif_use_the_version_the_case_applies(tmp_path, client):
    (expected,) = cli_json("explain", case_file(tmp_path, case("T-ACROSS")))
    assert client.post("/v1/explain", json=case("T-ACROSS"), params={"as_of": AS_OF}).json() == expected
    # Cooperation alone mitigates under the amendment (v2021 also asks accepted_responsibility): the what-if
    # searches the rule set of the version applied.
    alone = case("T-AFTER", {"enforcement_personnel": True})
    found = client.post("/v1/whatif", json=alone, params={"as_of": AS_OF, "to": "mitigated", "limit": 50}).json()
    assert found["version"] == "v2025_illustrative"
    assert ["cooperated_with_investigation"] in [a["set_true"] for a in found["alternatives"]]
    # The page's what-if too: asked of v2021 (the timeline's first version), the case is no mitigation
    # already and the empty change "verified" under the timeline as mitigated — a 500.
    address = {"id": "T-AFTER", **dict.fromkeys(COOPERATED, "true"), **CASES["T-AFTER"], "as_of": AS_OF}
    page = client.get("/", params={**address, "avoid": "mitigated"})
    assert page.status_code == 200, page.text
    assert 'id="version"' in page.text and "v2025_illustrative" in page.text
    assert page.text.split('<section id="whatif">')[1].count('class="alternative"') == 5  # WHATIF_LIMIT


def test_the_services_decisions_are_logged_as_evaluate_logs_them_and_replay(tmp_path):
    log = tmp_path / "served.jsonl"
    client = served("--decision-log", log)
    assert client.post("/v1/evaluate", json=case("T-ACROSS"), params={"as_of": AS_OF}).status_code == 200
    body = json.dumps(case("T-AFTER"))
    assert client.post("/v1/batch", content=body, params={"as_of": AS_OF}).status_code == 200
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    cli_log = tmp_path / "evaluate.jsonl"
    cli_json("evaluate", *(case_file(tmp_path, case(k)) for k in CASES), "--log", cli_log)
    written = [json.loads(line) for line in cli_log.read_text().splitlines()]
    assert [{k: x[k] for k in TIMELINE_KEYS} for x in logged] == [{k: x[k] for k in TIMELINE_KEYS} for x in written]
    run = rongcuo("replay", log, "--format", "json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["decisions"] == out["certified"] == 2
    # Under the bundled rules alone (v2021's), cooperation without accepted_responsibility mitigates no more.
    under = rongcuo("replay", log, "--under", versions.bundled_timeline().parent, "--format", "json")
    assert under.returncode == 0, under.stderr
    changed = json.loads(under.stdout)["changed"]
    assert [(c["case"], c["old"], c["new"]) for c in changed] == [(k, "mitigated", "none") for k in CASES]
    assert all(c["diff"]["old"] == "mitigated" for c in changed)


def test_a_timeline_that_does_not_load_stops_serve_before_it_starts(tmp_path):
    bad = tmp_path / "versions.yaml"
    bad.write_text("versions:\n  - id: a\n    rules: drafts/nowhere\n", encoding="utf-8")
    # A process: the server must not start (uvicorn would run for ever) and nothing passes click's streams.
    run = rongcuo("serve", "--timeline", bad, "--port", "0", process=True)
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert str(bad) in run.stderr and "drafts/nowhere" in run.stderr
    both = rongcuo("serve", "--timeline", "illustrative", "--rules", tmp_path)
    assert both.returncode == 2 and "--timeline" in both.stderr


def test_the_opinion_is_the_one_opinion_timeline_writes(tmp_path, client):
    from .test_opinion import LENIENT, golden_body, paragraphs

    body = golden_body(LENIENT.name)
    for format, lang in (("md", "zh"), ("html", "en")):
        expected = rongcuo("opinion", LENIENT, "--timeline", "illustrative", "--format", format, "--lang", lang)
        assert expected.returncode == 0, expected.stderr
        answer = client.post("/v1/opinion", json=body, params={"format": format, "lang": lang})
        assert answer.status_code == 200, answer.text
        assert answer.text == expected.stdout
    out = tmp_path / "o.docx"
    assert rongcuo("opinion", LENIENT, "--timeline", "illustrative", "--out", out).returncode == 0
    answer = client.post("/v1/opinion", json=body)
    assert answer.status_code == 200 and answer.headers["content-type"].endswith("wordprocessingml.document")
    assert paragraphs(answer.content) == paragraphs(out.read_bytes())
    assert any(text.startswith("本案适用本办法2025年7月1日") for _, text in paragraphs(answer.content))


def test_serve_says_what_it_serves_in_chinese_and_on_which_timeline(monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **config: None)
    monkeypatch.setattr(serving, "_listenable", lambda host, port: None)
    plain = rongcuo("serve", "--port", "8001")
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr == "rongcuo: 在 http://127.0.0.1:8001/ 提供服务，规则集：default、literal、strict\n"
    on = rongcuo("serve", "--timeline", "illustrative")
    assert on.returncode == 0, on.stderr
    assert on.stderr == (
        "rongcuo: 在 http://127.0.0.1:8000/ 提供服务，规则集：default、literal、strict；"
        f"按规则版本时间线 {versions.illustrative_timeline()} 求值（各案适用 Q12 所选的版本）\n"
    )
