"""`rongcuo serve` through FastAPI's test client: every endpoint, every kind of error, the limits,
injection attempts in every string field, and the page's escaping."""

import json
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from fastapi.testclient import TestClient

from rongcuo.engine import RuleSet
from rongcuo.model import measure
from rongcuo.model import vocabulary as vocab
from rongcuo.model.case import parse_case
from rongcuo.service import Limits, Service, create_app

from .conftest import AS_OF, ROOT, rongcuo

GOLDEN = ROOT / "measure" / "golden"
DAY = AS_OF.isoformat()
PROBLEM = "application/problem+json"


def golden(name: str) -> dict:
    """A golden case file as the JSON body of a request (dates as strings), without its expectations."""
    data = yaml.safe_load((GOLDEN / name).read_text())
    return json.loads(json.dumps({k: v for k, v in data.items() if k not in ("expect", "as_of")}, default=str))


EXEMPT = golden("g-a11-p1-i6.yaml")  # 容错免责 on a11.p1.i6 and a11.p2


def client_for(rulesets: dict[str, RuleSet], accept_language: str | None = "en", **limits) -> TestClient:
    """A client of a service with these limits; it sends ``Accept-Language: en`` (the messages most tests here
    read are the English ones), or, with ``accept_language=None``, no such header: what a user gets by default."""
    app = create_app(Service(rulesets, "default", Limits(**limits)))
    headers = {"Accept-Language": accept_language} if accept_language else {}
    return TestClient(app, raise_server_exceptions=False, headers=headers)


@pytest.fixture(scope="module")
def client(rulesets) -> TestClient:
    with client_for(rulesets) as c:
        yield c


@pytest.fixture(scope="module")
def plain(rulesets) -> TestClient:
    """A client that names no language: the problem details are zh."""
    with client_for(rulesets, accept_language=None) as c:
        yield c


@pytest.fixture(scope="module")
def tight(rulesets) -> TestClient:
    with client_for(rulesets, max_body=4_000, max_batch_body=8_000, max_cases=3, max_batch_cases=4) as c:
        yield c


def rule_base(root: Path, program: str, *, bundled: bool = False) -> RuleSet:
    """A rule base in ``root``: the program alone, or the bundled rule base with the program added."""
    if bundled:
        shutil.copytree(RuleSet.load("default").root, root, dirs_exist_ok=True)
    for folder in ("rules", "profiles"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "rules" / "zz_added.lp").write_text(program)
    if not bundled:
        (root / "profiles" / "default.lp").write_text("")
    return RuleSet.load("default", root)


def problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:rongcuo:problem:{kind}" and body["status"] == status
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


# -- the endpoints --------------------------------------------------------------------------------


def test_evaluate_gives_the_cli_json(client, tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(EXEMPT, ensure_ascii=False))
    cli = rongcuo("evaluate", path, "--format", "json", "--as-of", DAY)
    response = client.post(f"/v1/evaluate?as_of={DAY}", json=EXEMPT)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == json.loads(cli.stdout)
    assert response.json()["outcomes"][0] == {
        "outcome": "exempt",
        "modality": "may",
        "grounds": ["a11.p1.i6", "a11.p2"],
        "catch_all": False,
    }


def test_evaluate_a_list_answers_each_golden_case_as_the_engine_does(client, rulesets):
    cases = [golden(p.name) for p in sorted(GOLDEN.glob("g-a1[0-2]*.yaml"))]
    for profile in ("default", "literal", "strict"):
        response = client.post(f"/v1/evaluate?as_of={DAY}&profile={profile}", json=cases)
        assert response.status_code == 200, response.text
        got = [r["disposition"] for r in response.json()]
        expected = rulesets[profile].evaluate([parse_case(c, "t") for c in cases], as_of=AS_OF)
        assert got == [r.disposition for r in expected]
        assert [r["case"] for r in response.json()] == [c["id"] for c in cases]


def test_profiles_answer_differently(client):
    case = golden("g-q3-duty-fulfilled-vs-exclusion.yaml")
    got = {
        p: client.post(f"/v1/evaluate?profile={p}", json=case).json()["disposition"]
        for p in ("default", "literal", "strict")
    }
    assert got == {"default": "excluded", "literal": "duty_fulfilled", "strict": "excluded"}


def test_golden_case_files_are_read_as_the_case_they_hold(client):
    data = yaml.safe_load((GOLDEN / "g-a11-p1-i6.yaml").read_text())
    body = json.loads(json.dumps(data, default=str))
    assert client.post("/v1/evaluate", json=body).json()["disposition"] == "exempt"


def test_unknown_facts_give_the_open_world_summary(client):
    case = {
        "id": "U",
        "facts": {
            "enforcement_personnel": True,
            "inspection_target_concealed": True,
            "not_prohibited_by_law": True,
            "remedied_actively": True,
            "major_loss": "unknown",
        },
    }
    world = client.post("/v1/evaluate", json=case).json()["open_world"]
    assert world["possible"] == ["exempt", "mitigated"] and world["certain"] == []
    assert world["dispositions"]["mitigated"] == {"true": ["major_loss"], "false": [], "settles": True}
    assert "open_world" not in client.post("/v1/evaluate", json=EXEMPT).json()


def test_concurrent_requests_share_groundings_and_get_their_own_answers(client, rulesets):
    cases = [golden(p.name) for p in sorted(GOLDEN.glob("g-*.yaml"))[:40]]
    expected = rulesets["default"].evaluate([parse_case(c, "t") for c in cases], as_of=AS_OF)
    valid = {r.case: r.to_json() for r in expected if not r.contradictions}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda c: client.post(f"/v1/evaluate?as_of={DAY}", json=c), cases))
    for case, answer in zip(cases, answers, strict=True):
        if case["id"] in valid:
            assert answer.json() == valid[case["id"]]
        else:
            problem(answer, 422, "contradiction")


def test_explain_has_a_tree_per_outcome(client):
    body = client.post(f"/v1/explain?as_of={DAY}", json=EXEMPT).json()
    assert body["disposition"] == "exempt" and list(body["why"]) == ["exempt"]
    tree = json.dumps(body["why"]["exempt"])
    assert '"a11.p2"' in tree and '"inspection_target_concealed"' in tree
    only = client.post("/v1/explain?outcome=exempt", json=EXEMPT).json()
    assert list(only["why"]) == ["exempt"] and only["why_not"] == {}


def test_a_served_case_is_evaluated_and_explained_without_grounding(monkeypatch, tmp_path):
    """The service prepares its rule sets at start (RuleSet.prepare): a request about one case takes the
    compiled path — no Control grounded for it, so no clingo symbol made for it that would stay."""
    rules = rule_base(tmp_path, "", bundled=True)  # the bundled rules as a set of its own: nothing built before
    served = client_for({"default": rules})

    def grounds(*_):
        raise AssertionError("grounded for a request")

    for module in ("evaluate", "trace"):
        monkeypatch.setattr(f"rongcuo.engine.{module}.control", grounds)
    for route in ("evaluate", "explain"):
        assert served.post(f"/v1/{route}?as_of={DAY}", json=EXEMPT).json()["disposition"] == "exempt"


def test_whynot_names_what_stops_each_outcome(client):
    body = client.post("/v1/whynot?outcome=duty_fulfilled&outcome=exempt", json=EXEMPT).json()
    assert body["why"] == {} and body["why_not"]["exempt"] == []
    candidates = body["why_not"]["duty_fulfilled"]
    assert candidates and all({"rule", "clauses", "conditions", "blocked_by"} <= set(c) for c in candidates)
    assert any("a10.p1.i1" in c["clauses"] for c in candidates)


def test_whatif_finds_verified_smallest_changes(client):
    body = client.post(f"/v1/whatif?avoid=exempt&as_of={DAY}&limit=3", json=EXEMPT).json()
    assert body["case"] == EXEMPT["id"] and body["avoid"] == "exempt" and body["to"] is None
    assert 0 < len(body["alternatives"]) <= 3
    for a in body["alternatives"]:
        assert len(a["set_true"]) + len(a["set_false"]) == 1
        assert a["result"]["disposition"] != "exempt"
    fixed = client.post("/v1/whatif?to=mitigated&fixed=major_loss&fixed=serious_adverse_impact", json=EXEMPT).json()
    for a in fixed["alternatives"]:
        assert not {"major_loss", "serious_adverse_impact"} & set(a["set_true"] + a["set_false"])
        assert a["result"]["disposition"] == "mitigated"
    none = client.post("/v1/whatif?to=out_of_scope&max_changes=0", json=EXEMPT).json()
    assert none["alternatives"] == []


def test_batch_streams_one_line_per_case_in_order(client):
    unknown = {"id": "C", "recorded_decision": "mitigated", "facts": {**EXEMPT["facts"], "major_loss": "unknown"}}
    lines = [
        json.dumps(EXEMPT),
        "",
        json.dumps({"id": "B", "facts": {"major_los": True}}),
        "{not json",
        json.dumps(EXEMPT),
        json.dumps(unknown),
        json.dumps({"id": "D", "facts": {"performed_per_statutory_duty": True, "violated_statutory_procedure": True}}),
        json.dumps({**EXEMPT, "id": "E", "recorded_decision": "none"}),
        json.dumps({**EXEMPT, "id": "F", "recorded_decision": "exempt"}),
    ]
    response = client.post(f"/v1/batch?as_of={DAY}", content="\n".join(lines).encode())
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in response.text.splitlines()]
    assert [(o["line"], o["status"]) for o in out] == [
        (1, "evaluated"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "rejected"),
        (6, "evaluated"),
        (7, "rejected"),
        (8, "evaluated"),
        (9, "evaluated"),
    ]
    assert out[0]["disposition"] == "exempt" and out[0]["agreement"] is None and "open_world" not in out[0]
    assert out[1] == {
        "case": None,
        "status": "rejected",
        "field": "facts.major_los",
        "code": "errors.unknown_fact",
        "line": 3,
        "reason": "line 3: facts.major_los: unknown fact id — did you mean major_loss?",
    }
    assert [o.get("code") for o in out[2:6]] == ["errors.not_json", "errors.duplicate_id", None, "errors.contradiction"]
    assert out[2]["reason"].startswith("line 4: column 2: not well-formed JSON")
    assert out[3]["reason"] == f"line 5: id: {EXEMPT['id']!r} is also the id of line 1 — ids must be unique"
    assert out[4]["open_world"]["possible"] == ["exempt", "mitigated"] and out[4]["agreement"] == "undetermined"
    assert "contradict each other" in out[5]["reason"]
    assert [(o["recorded_decision"], o["agreement"]) for o in out[6:]] == [("none", "disagree"), ("exempt", "agree")]


def test_batch_larger_than_a_chunk_keeps_the_order(client):
    lines = [json.dumps({**EXEMPT, "id": f"N{i}"}) for i in range(1234)]
    response = client.post("/v1/batch", content="\n".join(lines).encode())
    out = [json.loads(line) for line in response.text.splitlines()]
    assert [o["case"] for o in out] == [f"N{i}" for i in range(1234)]
    assert {o["disposition"] for o in out} == {"exempt"}


def test_clauses_give_the_ledger_with_the_text(client):
    rows = client.get("/v1/clauses").json()
    assert [r["clause"] for r in rows] == list(measure.clauses())
    a11 = next(r for r in rows if r["clause"] == "a11.p1.i6")
    assert a11["citation"] == {"zh": "第十一条第一款第（六）项", "en": "Art. 11(1)(vi)"}
    assert a11["text"] == measure.text("a11.p1.i6") and a11["status"] == "encoded"
    assert any(rule.startswith("rules/a11_tolerance.lp:") for rule in a11["rules"])


def test_vocabulary_lists_every_fact_with_labels_and_clause(client):
    body = client.get("/v1/vocabulary").json()
    assert list(body["facts"]) == vocab.fact_ids() and list(body["dates"]) == vocab.date_keys()
    fact = body["facts"]["inspection_target_concealed"]
    assert fact["zh"] and fact["en"] and fact["clause"] == "a11.p1.i6"
    assert fact["citation"]["zh"] == "第十一条第一款第（六）项"
    assert list(body["outcomes"]) == vocab.outcome_names()


def test_profiles_and_health(client, rulesets):
    body = client.get("/v1/profiles").json()
    assert [p["name"] for p in body] == list(rulesets)
    assert [p["name"] for p in body if p["default"]] == ["default"]
    assert body[0]["rules"] == rulesets[body[0]["name"]].digest
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_documents_every_endpoint(client):
    document = client.get("/openapi.json").json()
    paths = set(document["paths"])
    assert {
        "/v1/evaluate",
        "/v1/explain",
        "/v1/whynot",
        "/v1/whatif",
        "/v1/batch",
        "/v1/clauses",
        "/v1/vocabulary",
        "/v1/profiles",
        "/healthz",
    } <= paths
    assert "/" not in paths
    schemas = document["components"]["schemas"]
    assert {"Case", "Result", "Problem"} <= set(schemas) and "facts" in schemas["Case"]["properties"]
    body = document["paths"]["/v1/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["oneOf"][0] == {"$ref": "#/components/schemas/Case"}
    assert client.get("/docs").status_code == 404  # the docs page would load assets from outside


def test_results_are_written_byte_for_byte_as_starlette_writes_json(client):
    """service.api.Results (orjson) writes what JSONResponse (json.dumps) wrote: compact, Chinese as is."""
    odd = {**EXEMPT, "id": '甲"</script>\\😀', "subject": {"name": "张三"}}
    for body in (EXEMPT, odd, [EXEMPT, {**odd, "id": "乙"}]):
        response = client.post(f"/v1/evaluate?as_of={DAY}", json=body)
        written = json.dumps(response.json(), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        assert response.status_code == 200 and response.content == written.encode("utf-8")
    assert response.content.startswith(b'[{"case":"G-A11-P1-I6"') and '"case":"乙"'.encode() in response.content


def test_parameters_read_without_fastapi_are_documented_as_fastapi_would(client):
    """/v1/evaluate and /v1/batch read profile, as_of and effective_date themselves (service.api._asked): the
    document lists them as FastAPI lists the same parameters of /v1/explain, and a repeated one is its last."""
    paths = client.get("/openapi.json").json()["paths"]
    declared = {p["name"]: p for p in paths["/v1/explain"]["post"]["parameters"]}
    for path in ("/v1/evaluate", "/v1/batch"):
        assert paths[path]["post"]["parameters"] == [declared[n] for n in ("profile", "as_of", "effective_date")]
    answer = client.post(f"/v1/evaluate?profile=nope&profile=literal&as_of={DAY}", json=EXEMPT)
    assert answer.status_code == 200 and answer.json()["profile"] == "literal"


# -- errors: the CLI's messages as problem details -------------------------------------------------


@pytest.mark.parametrize(
    "data, field, code, message",
    [
        (
            {"id": "A", "facts": {"major_los": True}},
            "facts.major_los",
            "errors.unknown_fact",
            "unknown fact id — did you mean major_loss?",
        ),
        (
            {"id": "A", "facts": {"inspection_target_conceald": True}},
            "facts.inspection_target_conceald",
            "errors.unknown_fact",
            "unknown fact id — did you mean inspection_target_concealed?",
        ),
        (
            {"id": "A", "dates": {"decision": "2024-13-01"}},
            "dates.decision",
            "errors.not_a_date",
            "'2024-13-01' is not a date — write it as YYYY-MM-DD",
        ),
        (
            {"id": "A", "dates": {"decisoin": "2024-01-01"}},
            "dates.decisoin",
            "errors.unknown_date_key",
            "unknown date key — did you mean decision?",
        ),
        (
            {"id": "A", "facts": {"major_loss": "yes"}},
            "facts.major_loss",
            "errors.not_truth_value",
            "'yes' is not true, false or unknown",
        ),
        (
            {"id": "A", "narative": "x"},
            "narative",
            "errors.extra_forbidden",
            "not a field of a case — did you mean narrative?",
        ),
        ({"facts": {}}, "id", "errors.required", "required — add it"),
        ({"id": " "}, "id", "errors.empty_id", "empty id — give the case a unique id such as NM-2024-017"),
        (
            {"id": "x" * 100_000},  # it was accepted, and written into every output line
            "id",
            "errors.id_too_long",
            "an id of 100,000 characters, over the limit of 200 — use a short case number such as NM-2024-017",
        ),
        (
            {"id": "A", "recorded_decision": "exmpt"},
            "recorded_decision",
            "errors.not_outcome",
            "'exmpt' is not an outcome — did you mean exempt?",
        ),
        ("NM-1", "(case)", "errors.not_a_case", "a case must be a mapping with at least an `id`"),
    ],
)
def test_invalid_cases_carry_the_cli_message(client, data, field, code, message):
    for path in ("/v1/evaluate", "/v1/explain", "/v1/whynot?outcome=none", "/v1/whatif?to=none"):
        body = problem(client.post(path, json=data), 422, "invalid-case")
        assert body["detail"] == f"case: {field}: {message}" and body["code"] == code
        assert body["errors"] == [{"source": "case", "field": field, "code": code, "detail": body["detail"]}]
        assert body["instance"] == path.split("?")[0]


@pytest.mark.parametrize(
    "data, field, code, message",
    [
        (
            {"id": "A", "facts": {"major_los": True}},
            "facts.major_los",
            "errors.unknown_fact",
            "未知的事实编号 — 是否指 major_loss（造成重大损失）？",
        ),
        (
            {"id": "A", "dates": {"decision": "2024-13-01"}},
            "dates.decision",
            "errors.not_a_date",
            "'2024-13-01' 不是日期，请写成 YYYY-MM-DD",
        ),
        ({"facts": {}}, "id", "errors.required", "必填，请补上"),
        ("NM-1", "（案件）", "errors.not_a_case", "案件须为映射，至少含 id"),
    ],
)
def test_invalid_cases_are_said_in_zh_by_default(plain, data, field, code, message):
    body = problem(plain.post("/v1/evaluate", json=data), 422, "invalid-case")
    assert body["detail"] == f"案件: {field}: {message}" and body["code"] == code
    assert [(e["code"], e["detail"]) for e in body["errors"]] == [(code, body["detail"])]
    asked = problem(plain.post("/v1/evaluate?lang=en", json=data), 422, "invalid-case")
    assert asked["code"] == code and asked["detail"].startswith("case: ")


def test_a_list_names_each_rejected_case(client):
    cases = [EXEMPT, {"id": "B", "facts": {"major_los": True}}, {"id": EXEMPT["id"]}]
    body = problem(client.post("/v1/evaluate", json=cases), 422, "invalid-case")
    assert body["detail"] == "cases[1]: facts.major_los: unknown fact id — did you mean major_loss?"
    assert [e["detail"] for e in body["errors"]][
        1
    ] == f"cases[2]: id: {EXEMPT['id']!r} is also the id of cases[0] — ids must be unique"
    problem(client.post("/v1/evaluate", json=[]), 422, "invalid-case")
    body = problem(client.post("/v1/explain", json=[EXEMPT]), 422, "invalid-case")
    assert "one case here, not a list" in body["detail"]


def test_contradictions_are_rejected_with_the_cli_message(client):
    case = {"id": "A", "facts": {"performed_per_statutory_duty": True, "violated_statutory_procedure": True}}
    message = (
        "case: facts: performed_per_statutory_duty and violated_statutory_procedure contradict each other — "
        "set one of them to false"
    )
    for path in ("/v1/evaluate", "/v1/explain", "/v1/whynot?outcome=exempt"):
        assert problem(client.post(path, json=case), 422, "contradiction")["detail"] == message
    body = problem(client.post("/v1/evaluate", json=[EXEMPT, case]), 422, "contradiction")
    assert body["detail"].startswith("cases[1]: facts: ")


def test_dates_out_of_order_are_rejected_with_the_cli_message(client):
    case = {"id": "A", "dates": {"decision": "2024-03-20", "notified": "2024-03-19"}}
    message = (
        "case: dates.notified: notified 2024-03-19 is before decision 2024-03-20 — correct one of the two dates "
        "(notified cannot come before decision)"
    )
    for path in ("/v1/evaluate", "/v1/explain", "/v1/whynot?outcome=exempt"):
        assert problem(client.post(path, json=case), 422, "invalid-case")["detail"] == message


@pytest.mark.parametrize(
    "body, detail",
    [
        (b'{"id": "A",', "line 1 column 12: not well-formed JSON: a quoted key was expected here"),
        (b"", "line 1 column 1: not well-formed JSON: a value was expected here"),
        (b"\xff\xfe{}", "the body is not UTF-8 text"),
    ],
)
def test_bodies_that_are_not_json(client, body, detail):
    assert problem(client.post("/v1/evaluate", content=body), 400, "not-well-formed")["detail"] == detail


@pytest.mark.parametrize(
    "body, code, detail",
    [
        (b'{"id": "A",', "errors.not_json", "第 1 行 第 12 列: 不是格式正确的 JSON：此处缺少带引号的键"),
        (b"", "errors.not_json", "第 1 行 第 1 列: 不是格式正确的 JSON：此处缺少值"),
        (b"\xff\xfe{}", "errors.body_not_utf8", "请求体不是 UTF-8 文本"),
    ],
)
def test_bodies_that_are_not_json_in_zh(plain, body, code, detail):
    found = problem(plain.post("/v1/evaluate", content=body), 400, "not-well-formed")
    assert (found["code"], found["detail"]) == (code, detail)


@pytest.mark.parametrize(
    "query, detail",
    [
        ("/v1/evaluate?profile=lenient", "profile: 'lenient' is not served — served: default, literal, strict"),
        ("/v1/evaluate?profile=literl", "profile: 'literl' is not served — did you mean literal?"),
        ("/v1/evaluate?as_of=tomorrow", "as_of: 'tomorrow' is not a date — write it as YYYY-MM-DD"),
        ("/v1/explain?outcome=exmpt", "outcome: 'exmpt' is not an outcome — did you mean exempt?"),
        (
            "/v1/whynot?outcome=zzz",
            "outcome: 'zzz' is not an outcome — use one of "
            "out_of_scope, duty_fulfilled, exempt, excluded, mitigated, none",
        ),
        ("/v1/whatif", "whatif: give to=OUTCOME or avoid=OUTCOME"),
        ("/v1/whatif?to=mitigatd", "to: 'mitigatd' is not an outcome — did you mean mitigated?"),
        ("/v1/whatif?avoid=exempt&fixed=major_los", "fixed: major_los: unknown fact id — did you mean major_loss?"),
        ("/v1/whatif?avoid=exempt&max_changes=-1", "max_changes: '-1': must be at least 0"),
        ("/v1/whatif?avoid=exempt&limit=many", "limit: 'many': input should be a valid integer"),
        ("/v1/whynot", "outcome: required — add it"),
        ("/v1/opinion?format=pdf", "format: 'pdf' is not an allowed value — use one of docx, html, md"),
    ],
)
def test_bad_parameters(client, query, detail):
    assert problem(client.post(query, json=EXEMPT), 422, "invalid-parameter")["detail"] == detail


@pytest.mark.parametrize(
    "query, code, detail",
    [
        ("/v1/evaluate?profile=literl", "errors.not_served", "profile: 'literl' 不在使用中 — 是否指 literal？"),
        ("/v1/whatif?avoid=exempt&max_changes=-1", "errors.at_least", "max_changes: '-1'：须不小于 0"),
        ("/v1/whatif?avoid=exempt&limit=many", "errors.int_type", "limit: 'many'：须为整数"),
        ("/v1/whynot", "errors.required", "outcome: 必填，请补上"),
        ("/v1/opinion?lang=fr", "errors.not_allowed", "lang: 'fr' 不是可用的值 — 可用：zh、en"),
    ],
)
def test_bad_parameters_in_zh_with_their_key(plain, query, code, detail):
    """FastAPI's own checks (422) as well as rongcuo's: zh without a language asked for, and the key."""
    body = problem(plain.post(query, json=EXEMPT), 422, "invalid-parameter")
    assert (body["code"], body["detail"]) == (code, detail)
    if "errors" in body:  # FastAPI's checks list every parameter that failed
        assert [(e["field"], e["code"]) for e in body["errors"]] == [(detail.split(":")[0], code)]


def test_unknown_paths_and_methods(client, plain):
    assert problem(client.get("/v1/nothing"), 404, "not-found")["instance"] == "/v1/nothing"
    problem(client.get("/v1/evaluate"), 405, "method-not-allowed")
    body = problem(client.put("/v1/clauses"), 405, "method-not-allowed")
    assert body["code"] == "errors.method_not_allowed" and "does not take PUT" in body["detail"]
    body = problem(plain.get("/v1/nothing"), 404, "not-found")
    assert body["code"] == "errors.no_such_path" and body["detail"].startswith("没有这个地址")


def test_an_internal_failure_is_a_problem_without_a_trace(rulesets, monkeypatch):
    with client_for(rulesets) as c:

        def boom(*args, **kwargs):
            raise RuntimeError("secret internals /etc/passwd")

        monkeypatch.setattr(c.app.state.service, "explain", boom)
        body = problem(c.post("/v1/explain", json=EXEMPT), 500, "internal")
        assert "secret" not in json.dumps(body) and "RuntimeError" not in json.dumps(body)


def test_a_rule_set_without_an_answer_fails_only_its_own_requests(tmp_path, rulesets):
    rules = rule_base(tmp_path / "bad", ":- case(C), fact(C, major_loss).\n", bundled=True)
    # A rule base whose constraint leaves no answer set for cases with major_loss: the requests batched
    # together with such a case are answered on their own.
    served = {"default": rulesets["default"], "bad/default": rules}
    app = create_app(Service(served, "bad/default"))
    with TestClient(app, raise_server_exceptions=False, headers={"Accept-Language": "en"}) as c:
        bad = {"id": "X", "facts": {"major_loss": True}}
        with ThreadPoolExecutor(6) as pool:
            answers = list(
                pool.map(lambda i: c.post("/v1/evaluate", json=bad if i == 3 else {"id": f"G{i}"}), range(6))
            )
    for i, answer in enumerate(answers):
        if i == 3:
            assert "has no answer set" in problem(answer, 500, "rules-failed")["detail"]
        else:
            assert answer.status_code == 200, answer.text


# -- limits -----------------------------------------------------------------------------------------


def test_body_size_cap_by_declared_length(tight):
    body = json.dumps({**EXEMPT, "narrative": "长" * 3000}).encode()
    response = tight.post("/v1/evaluate", content=body, headers={"content-type": "application/json"})
    assert "larger than 4,000 bytes" in problem(response, 413, "body-too-large")["detail"]


def test_body_size_cap_without_a_declared_length(tight):
    def chunks():
        for _ in range(10):
            yield b" " * 1000

    response = tight.post("/v1/evaluate", content=chunks())
    problem(response, 413, "body-too-large")


def test_the_batch_has_its_own_body_cap(tight):
    line = json.dumps(EXEMPT).encode()
    assert tight.post("/v1/batch", content=line * 1 + b"\n").status_code == 200
    problem(tight.post("/v1/batch", content=(line + b"\n") * 20), 413, "body-too-large")


def test_cases_per_request_cap(tight):
    cases = [{**EXEMPT, "id": f"C{i}"} for i in range(4)]
    body = problem(tight.post("/v1/evaluate", json=cases), 413, "too-many-cases")
    assert body["detail"].startswith("4 cases in one request, at most 3")
    assert tight.post("/v1/evaluate", json=cases[:3]).status_code == 200
    lines = b"\n".join(json.dumps({"id": f"L{i}"}).encode() for i in range(5))
    problem(tight.post("/v1/batch", content=lines), 413, "too-many-cases")


HARD = """p(1..14). h(1..13).
1 { at(P, H) : h(H) } 1 :- p(P).
:- at(P1, H), at(P2, H), P1 < P2.
"""  # 14 pigeons, 13 holes: a search clingo does not finish in a test's lifetime


def test_solving_time_limit_interrupts_clingo(tmp_path):
    hard = rule_base(tmp_path, HARD)
    with client_for({"default": hard}, time_limit=0.5) as c:
        start = time.monotonic()
        body = problem(c.post("/v1/evaluate", json={"id": "A"}), 422, "time-limit")
        assert time.monotonic() - start < 5
        assert body["detail"].startswith("solving took longer than 0.5 s and was interrupted")
        line = json.loads(c.post("/v1/batch", content=b'{"id": "A"}').text)
        assert line["status"] == "error" and "interrupted" in line["reason"]
        assert body["code"] == "errors.time_limit"
        page = c.get("/?id=A")
        assert page.status_code == 422 and "求解超过 0.5 秒，已中断" in page.text
        page = c.get("/?id=A&lang=en")
        assert page.status_code == 422 and "solving took longer than 0.5 s and was interrupted" in page.text
        assert c.get("/healthz").status_code == 200  # and the service goes on


def test_saturated_service_answers_503(tmp_path):
    hard = rule_base(tmp_path, HARD)
    with client_for({"default": hard}, time_limit=2, concurrency=1) as c:
        service = c.app.state.service
        first = threading.Thread(target=c.post, args=("/v1/evaluate",), kwargs={"json": {"id": "A"}})
        first.start()
        deadline = time.monotonic() + 5
        while not service.gate.full and time.monotonic() < deadline:
            time.sleep(0.01)
        body = problem(c.post("/v1/evaluate", json={"id": "B"}), 503, "busy")
        assert c.post("/v1/evaluate", json={"id": "B"}).headers["retry-after"] == "1"
        assert body["detail"].startswith("1 requests are being answered")
        problem(c.post("/v1/batch", content=b'{"id": "B"}'), 503, "busy")
        assert c.get("/v1/profiles").status_code == 200  # reference data is not gated
        first.join()
        assert not service.gate.full


# -- injection: every string field ------------------------------------------------------------------

PAYLOADS = [
    'x). #script (python)\nimport os\nos.system("touch /tmp/rongcuo-pwned")\n#end.',
    "case(0). fact(0, out_of_scope). :- case(C).",
    '#include "/etc/passwd".',
    '"\'\\"; DROP TABLE cases; --',
    "line one\nline two\r\n:- not x.\t\0",
    "<script>window.pwned = 1</script>",
    '<img src=x onerror="window.pwned = 1">',
    "{{ 7 * 7 }}{% raw %}",
    "%(x)s ${x} $(touch /tmp/rongcuo-pwned)",
]
FREE_TEXT = ["id", "title", "subject.name", "subject.unit", "field", "error_type", "narrative"]
ONE_LINE = {"id", "field", "error_type"}


def with_field(case: dict, path: str, value: str) -> dict:
    out = json.loads(json.dumps(case))
    head, _, tail = path.partition(".")
    if tail:
        out.setdefault(head, {})[tail] = value
    else:
        out[head] = value
    return out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_free_text_never_reaches_the_solver(client, payload):
    clean = client.post(f"/v1/evaluate?as_of={DAY}", json=EXEMPT).json()
    for path in FREE_TEXT:
        case = with_field(EXEMPT, path, payload)
        if path in ONE_LINE and any(c in payload for c in "\n\r\t\0"):  # ids and labels are one line
            refused = client.post(f"/v1/evaluate?as_of={DAY}", json=case)
            assert refused.status_code == 422 and "line break or control character" in refused.json()["detail"]
            continue
        answer = client.post(f"/v1/evaluate?as_of={DAY}", json=case).json()
        assert answer == {**clean, "case": case["id"]}
        assert client.post("/v1/explain", json=case).json()["disposition"] == "exempt"
        line = json.loads(client.post("/v1/batch", content=json.dumps(case).encode()).text)
        assert line["disposition"] == "exempt" and line["case"] == case["id"]
    evidence = {
        **EXEMPT,
        "narrative": payload,
        "evidence": {"inspection_target_concealed": {"text": payload, "start": 0, "end": len(payload)}},
    }
    assert client.post("/v1/explain", json=evidence).json()["disposition"] == "exempt"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_checked_strings_are_refused_with_the_payload_quoted(client, payload):
    cases = [
        {**EXEMPT, "facts": {payload: True}},
        {**EXEMPT, "facts": {"major_loss": payload}},
        {**EXEMPT, "dates": {payload: "2024-01-01"}},
        {**EXEMPT, "dates": {"conduct": payload}},
        {**EXEMPT, "recorded_decision": payload},
        {**EXEMPT, payload: 1},
    ]
    for case in cases:
        body = problem(client.post("/v1/evaluate", json=case), 422, "invalid-case")
        assert body["detail"].startswith("case: ")
    for query in ("profile", "as_of", "outcome"):
        problem(client.post("/v1/explain", params={query: payload}, json=EXEMPT), 422, "invalid-parameter")
    for query in ("to", "avoid", "fixed"):
        params = {query: payload, **({} if query != "fixed" else {"avoid": "exempt"})}
        problem(client.post("/v1/whatif", params=params, json=EXEMPT), 422, "invalid-parameter")


def test_no_payload_ran():
    assert not Path("/tmp/rongcuo-pwned").exists()


# -- the page ---------------------------------------------------------------------------------------


def page_query(case: dict, **options) -> dict:
    params = {"id": case["id"], **options}
    params |= {f: ("true" if v is True else v) for f, v in case.get("facts", {}).items() if v is not False}
    params |= case.get("dates", {})
    return params


def test_the_empty_page_shows_every_group_with_its_clauses(client):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh-CN">' in html and "容错纠错适用分析" in html
    for group in vocab.vocabulary()["groups"]:
        assert f'id="group-{group}"' in html and vocab.label("groups", group) in html
    for fact in vocab.fact_ids():
        assert f'name="{fact}" value="unknown"' in html
    assert measure.cite("a11.p1.i6") in html and measure.text("a11.p1.i6") in html
    assert 'id="disposition"' not in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # no outside assets


def test_the_page_answers_a_case_from_its_address(client):
    html = client.get("/", params=page_query(EXEMPT, as_of=DAY)).text
    assert '<span id="disposition">容错免责</span>' in html
    assert "第十一条第一款第（六）项、第十一条第二款" in html and "为什么成立" in html
    assert 'id="whynot-duty_fulfilled"' in html and 'id="whynot-exempt"' not in html
    assert 'value="true" checked' in html
    english = client.get("/", params=page_query(EXEMPT, lang="en")).text
    assert '<html lang="en">' in english and "exempt (error tolerated)" in english and "Art. 11(1)(vi)" in english


def test_what_if_is_one_click_away(client):
    html = client.get("/", params=page_query(EXEMPT, as_of=DAY)).text
    links = [a.split('"')[0].replace("&amp;", "&") for a in html.split('class="whatif" href="')[1:]]
    assert len(links) == 6 and any("avoid=exempt" in link for link in links)
    avoid = next(link for link in links if "avoid=exempt" in link)
    alternatives = client.get(avoid).text
    assert 'id="whatif"' in alternatives and 'class="apply"' in alternatives
    apply = alternatives.split('class="apply" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "avoid=" not in apply
    assert '<span id="disposition">容错免责</span>' not in client.get(apply).text


def test_unknown_facts_on_the_page(client):
    params = page_query(
        {
            "id": "U",
            "facts": {
                "enforcement_personnel": True,
                "inspection_target_concealed": True,
                "not_prohibited_by_law": True,
                "remedied_actively": True,
                "major_loss": "unknown",
            },
        }
    )
    html = client.get("/", params=params).text
    assert 'id="open-world"' in html and "可能成立" in html and 'value="unknown" checked' in html


def test_pasting_a_case_file_redirects_to_its_address(client):
    text = (GOLDEN / "g-a11-p1-i6.yaml").read_text()
    response = client.post(
        "/", data={"case_text": text, "lang": "en", "profile": "", "as_of": DAY}, follow_redirects=False
    )
    assert response.status_code == 303
    query = dict(parse_qsl(urlsplit(response.headers["location"]).query))
    assert query == {
        "lang": "en",
        "as_of": DAY,
        "id": "G-A11-P1-I6",
        "enforcement_personnel": "true",
        "inspection_target_concealed": "true",
        "not_prohibited_by_law": "true",
        "remedied_actively": "true",
        "conduct": "2024-03-01",
        "decision": "2024-03-20",
        "notified": "2024-03-25",
    }
    json_text = json.dumps(EXEMPT)
    assert client.post("/", data={"case_text": json_text}, follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "text, lang, message",
    [
        (
            "id: A\nfacts: {major_los: true}",
            "zh",
            "案件: facts.major_los: 未知的事实编号 — 是否指 major_loss（造成重大损失）？",
        ),
        ("id: A\nfacts: {major_los: true}", "en", "case: facts.major_los: unknown fact id — did you mean major_loss?"),
        ("id: [unclosed", "zh", "粘贴的案件: 第 1 行: 不是格式正确的 YAML 或 JSON"),
        ("id: [unclosed", "en", "pasted case: line 1: not well-formed YAML or JSON"),
    ],
)
def test_pasting_a_bad_case_shows_the_message(client, text, lang, message):
    # The page speaks its own lang (a form field; zh without one), whatever Accept-Language says.
    data = {"case_text": text, **({"lang": lang} if lang != "zh" else {})}
    response = client.post("/", data=data)
    assert response.status_code in (400, 422) and message in response.text
    assert 'id="error"' in response.text


def test_page_errors_are_shown_not_raised(client):
    html = client.get("/", params={"id": "A", "major_los": "true"}).text
    assert "major_los: 不是事实编号、日期键或页面的选项 — 是否指 major_loss？" in html
    html = client.get("/", params={"id": "A", "major_los": "true", "lang": "en"}).text
    assert "major_los: not a fact id, date key or option of the page — did you mean major_loss?" in html
    contradiction = {"id": "A", "performed_per_statutory_duty": "true", "violated_statutory_procedure": "true"}
    response = client.get("/", params=contradiction)
    assert response.status_code == 422 and "相互矛盾，请将其中一项设为 false" in response.text
    response = client.get("/", params={**contradiction, "lang": "en"})
    assert response.status_code == 422 and "contradict each other" in response.text
    maybe = client.get("/", params={"id": "A", "major_loss": "maybe"}).text
    assert "facts.major_loss: &#39;maybe&#39; 不是 true、false 或 unknown" in maybe
    maybe = client.get("/", params={"id": "A", "major_loss": "maybe", "lang": "en"}).text
    assert "&#39;maybe&#39; is not true, false or unknown" in maybe


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_page_escapes_every_string(client, payload):
    raw = ["<script>window.pwned", "<img src=x", 'onerror="window']
    pages = [
        client.get("/", params={"id": payload, "enforcement_personnel": "true"}),
        client.get("/", params={"id": "A", "major_loss": payload}),
        client.get("/", params={"id": "A", payload: "true"}),
        client.get("/", params={"id": "A", "conduct": payload}),
        client.get("/", params={"id": "A", "profile": payload, "lang": payload, "as_of": DAY}),
        client.get("/", params={"id": "A", "to": payload}),
        client.post("/", data={"case_text": yaml.safe_dump({"id": payload, "narrative": payload}, allow_unicode=True)}),
        client.post("/", data={"case_text": payload}),
    ]
    for response in pages:
        assert response.status_code in (200, 303, 400, 422)
        html = response.text
        assert not any(r in html for r in raw), html
    if "{{" in payload:  # shown as written, never evaluated
        assert "{{ 7 * 7 }}" in pages[0].text


# -- extraction: a narrative proposed, the analyst's answers confirmed ----------------------------

NARRATIVE = (ROOT / "cases" / "narratives" / "dev" / "N-001.txt").read_text(encoding="utf-8")


def test_extract_proposes_the_facts_with_their_evidence_and_confirm_banks_the_true_ones(rulesets, tmp_path):
    bank = tmp_path / "bank.yaml"
    with TestClient(create_app(Service(rulesets, "default", bank=bank))) as c:
        proposed = c.post("/v1/extract", json={"narrative": NARRATIVE, "id": "R-1"}).json()
        case = proposed["case"]
        assert proposed["bank"] is True and case["id"] == "R-1"
        assert case["facts"]["enforcement_personnel"] is True
        evidence = case["evidence"]["enforcement_personnel"]
        assert case["narrative"][evidence["start"] : evidence["end"]] == evidence["text"]
        assert evidence["needs_confirmation"] is True
        answers = {"enforcement_personnel": "accept", "remedied_actively": "false", "major_loss": "reject"}
        confirmed = c.post("/v1/confirm", json={"case": case, "answers": answers}).json()
    facts = confirmed["case"]["facts"]
    assert facts["enforcement_personnel"] is True and facts["remedied_actively"] is False and "major_loss" not in facts
    assert confirmed["case"]["evidence"]["enforcement_personnel"]["needs_confirmation"] is False
    assert confirmed["case"]["evidence"]["inspection_target_concealed"]["needs_confirmation"] is True  # not answered
    assert confirmed["banked"] == ["enforcement_personnel"]
    assert yaml.safe_load(bank.read_text(encoding="utf-8")) == {"enforcement_personnel": [evidence["text"]]}


def test_without_a_bank_confirmations_are_not_kept(client):
    case = client.post("/v1/extract", json={"narrative": NARRATIVE}).json()["case"]
    confirmed = client.post("/v1/confirm", json={"case": case, "answers": {"enforcement_personnel": "true"}}).json()
    assert confirmed["bank"] is False and confirmed["banked"] == []
    assert "bank" in client.get("/review").text and "--bank" in client.get("/review").text


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/v1/extract", {"narrative": ""}, "narrative"),
        ("/v1/extract", {"narrative": 3}, "narrative"),
        ("/v1/extract", {"narrative": "执法人员当即撤销。", "id": ""}, "id"),
        ("/v1/confirm", {"case": {"id": "A"}, "answers": {}}, "case"),
    ],
)
def test_extract_and_confirm_answer_bad_input_with_a_problem_naming_the_field(client, path, body, field):
    found = problem(client.post(path, json=body), 422, "invalid-case")
    assert field in found["detail"]


def test_confirm_refuses_an_answer_it_does_not_know_and_evidence_that_misquotes(client):
    case = client.post("/v1/extract", json={"narrative": NARRATIVE}).json()["case"]
    bad = problem(
        client.post("/v1/confirm", json={"case": case, "answers": {"major_loss": "maybe"}}), 422, "invalid-case"
    )
    assert "answers.major_loss" in bad["detail"]
    forged = dict(case, evidence={**case["evidence"], "major_loss": {**case["evidence"]["major_loss"], "text": "伪造"}})
    problem(client.post("/v1/confirm", json={"case": forged, "answers": {"major_loss": "true"}}), 422, "invalid-case")


def test_extract_keeps_the_body_limit(rulesets):
    with client_for(rulesets, max_body=1000) as c:
        problem(c.post("/v1/extract", json={"narrative": "执法人员。" * 500}), 413, "body-too-large")


def test_one_client_cannot_take_every_solving_slot():
    """The gate's share per client (a quarter of the slots): a client over it gets 503 while another client
    is still admitted, and a slot given back is free again."""
    import asyncio
    from types import SimpleNamespace

    from rongcuo.service.limits import Gate
    from rongcuo.service.problems import Problem

    def request(host: str):
        return SimpleNamespace(client=SimpleNamespace(host=host))

    async def run() -> None:
        gate = Gate(8)
        assert gate.share == 2
        async with gate.slot(request("10.0.0.1")), gate.slot(request("10.0.0.1")):
            try:
                async with gate.slot(request("10.0.0.1")):
                    raise AssertionError("a third slot for the same client")
            except Problem as refused:
                assert refused.kind == "busy" and refused.headers == {"Retry-After": "1"}
            async with gate.slot(request("10.0.0.2")):
                pass  # another client is still admitted
        async with gate.slot(request("10.0.0.1")):
            pass  # given back

    asyncio.run(run())
