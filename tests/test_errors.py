"""The error catalogue (present/messages/errors.yaml): zh and en alike, every key used, and each surface
(CLI, batch, service) speaking the user's language."""

import ast
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rongcuo.model.case import Case, CaseError, parse_case
from rongcuo.model.coded import Coded, text
from rongcuo.present.render import _messages_of
from rongcuo.service import Service, create_app

from .conftest import rongcuo

SRC = Path(__file__).parents[1] / "src" / "rongcuo"
CATALOGUE = _messages_of("errors")
FIELD = re.compile(r"(?<!\{)\{(\w+)")


def test_both_languages_have_the_same_keys_and_fields():
    assert CATALOGUE
    for key, entry in CATALOGUE.items():
        assert set(entry) == {"zh", "en"}, key
        assert set(FIELD.findall(entry["zh"])) == set(FIELD.findall(entry["en"])), key


def _keys_in_source() -> set[str]:
    """Every string literal of src that is a catalogue key (keys are never built from parts)."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"errors\.[a-z0-9_]+", node.value):
                    found.add(node.value)
    return found


def test_every_key_used_is_defined_and_every_defined_key_is_used():
    used = _keys_in_source()
    assert used - set(CATALOGUE) == set(), "used but not in errors.yaml"
    assert set(CATALOGUE) - used == set(), "in errors.yaml but never used"


# Representative bad inputs: (file name, text, what the user typed that may be ASCII).
BAD = {
    "bad.yaml": ("id: X\nfacts: [a\n", []),
    "unknown.yaml": ("id: X\nfacts:\n  major_los: true\n", ["major_los", "major_loss"]),
    "date.yaml": ("id: X\ndates: {conduct: 2024-02-30}\n", ["conduct", "2024-02-30"]),
    "noid.yaml": ("title: X\n", []),
    "value.yaml": ("id: X\nfacts: {enforcement_personnel: yes}\n", ["enforcement_personnel", "yes"]),
    "twice.yaml": ("id: X\nfacts:\n  major_loss: true\n  major_loss: false\n", ["major_loss"]),
    "extra.yaml": ("id: X\nfact: {}\n", ["fact", "facts"]),
}
# ASCII a line may hold in zh: the file, the field path, ids the user typed, and YAML's own words.
ALLOWED = re.compile(r"rongcuo|YAML|JSON|UTF|YYYY-MM-DD|true|false|unknown|id\b")


def _english(line: str, allowed: list[str]) -> list[str]:
    for word in sorted(allowed, key=len, reverse=True):
        line = line.replace(word, "")
    return [w for w in re.findall(r"[A-Za-z]{2,}", ALLOWED.sub("", line))]


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_case_file_in_zh_has_no_english_words(tmp_path, name):
    body, typed = BAD[name]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    run = rongcuo("evaluate", path)
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"rongcuo: {path}: ")
    field = line.removeprefix(f"rongcuo: {path}: ").split(": ")[0]
    assert _english(line, [str(path), field, *typed]) == [], line


def test_zh_names_a_suggested_fact_with_its_label(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(BAD["unknown.yaml"][0], encoding="utf-8")
    zh = rongcuo("evaluate", path).stderr
    en = rongcuo("evaluate", path, "--lang", "en").stderr
    assert "facts.major_los: 未知的事实编号 — 是否指 major_loss（造成重大损失）？" in zh
    assert "facts.major_los: unknown fact id — did you mean major_loss?" in en


def test_a_missing_file_and_an_unsafe_rule_file_in_zh(tmp_path):
    missing = rongcuo("evaluate", tmp_path / "nowhere.yaml")
    assert missing.returncode == 2 and _english(missing.stderr.strip(), [str(tmp_path / "nowhere.yaml")]) == []
    (tmp_path / "rules").mkdir()
    (tmp_path / "profiles").mkdir()
    (tmp_path / "rules" / "a.lp").write_text("#script (python)\ndef f(): pass\n#end.\n", encoding="utf-8")
    (tmp_path / "profiles" / "default.lp").write_text("", encoding="utf-8")
    case = tmp_path / "c.yaml"
    case.write_text("id: X\n", encoding="utf-8")
    run = rongcuo("evaluate", case, "--rules", tmp_path)
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert "#script" in line and _english(line, [str(tmp_path / "rules" / "a.lp"), "script", "trust"]) == [], line
    en = rongcuo("evaluate", case, "--rules", tmp_path, "--lang", "en")
    assert "rules must stay declarative; pass --trust to allow it" in en.stderr


def test_en_is_english_and_every_line_one_line_without_traceback(tmp_path):
    for name, (body, _) in BAD.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        run = rongcuo("evaluate", path, "--lang", "en")
        assert run.returncode == 2
        (line,) = run.stderr.strip().splitlines()
        assert "Traceback" not in line and not re.search(r"[\u4e00-\u9fff]", line), line


def test_str_of_an_error_is_english_and_text_renders_either_language():
    with pytest.raises(CaseError) as found:
        parse_case({"id": "X", "facts": {"major_los": True}}, "case")
    error = found.value
    assert error.code == "errors.unknown_fact" and error.field == "facts.major_los"
    assert str(error) == "case: facts.major_los: unknown fact id — did you mean major_loss?"
    assert text(error, "zh") == "案件: facts.major_los: 未知的事实编号 — 是否指 major_loss（造成重大损失）？"
    assert isinstance(error, Coded) and text(ValueError("plain"), "zh") == "plain"


def test_a_coded_error_survives_pickling():
    import pickle

    error = CaseError("a.yaml", "id", "errors.duplicate_id", id="'X'", first="b.yaml")
    again = pickle.loads(pickle.dumps(error))
    assert (again.source, again.field, again.code, again.values) == ("a.yaml", "id", error.code, error.values)
    assert str(again) == str(error)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({}, "errors.required"),
        ({"id": "X", "colour": 1}, "errors.extra_forbidden"),
        ({"id": "X", "open_world": "maybe"}, "errors.bool_type"),
        ({"id": "X", "title": 3}, "errors.string_type"),
        ({"id": "X", "as_of": "2024-02-30"}, "errors.not_a_date"),
        ({"id": "X", "subject": "someone"}, "errors.dict_type"),
    ],
)
def test_pydantic_errors_map_to_keys_by_type(data, code):
    with pytest.raises(CaseError) as found:
        parse_case(data, "case")
    assert found.value.code == code
    said = re.sub(r"'[^']*'", "", found.value.reason("zh"))  # the value as the user typed it
    assert _english(said, [*Case.model_fields, "YYYY-MM-DD"]) == [], said


def test_a_batch_in_zh_rejects_in_zh_with_the_key(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "A", "facts": {"major_los": true}}\n{"id": "B"}\n{"id": \n', encoding="utf-8")
    run = rongcuo("batch", cases, "--out", tmp_path / "out")
    assert run.returncode == 1
    lines = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text("utf-8").splitlines()]
    rejected = [line for line in lines if line["status"] == "rejected"]
    assert [line["code"] for line in rejected] == ["errors.unknown_fact", "errors.not_json"]
    assert "未知的事实编号" in rejected[0]["reason"] and "不是格式正确的 JSON" in rejected[1]["reason"]
    assert "未知的事实编号" in (tmp_path / "out" / "report.md").read_text("utf-8")
    en = rongcuo("batch", cases, "--out", tmp_path / "en", "--lang", "en")
    assert en.returncode == 1
    assert "unknown fact id" in (tmp_path / "en" / "results.jsonl").read_text("utf-8")


@pytest.fixture(scope="module")
def client(rulesets):
    with TestClient(create_app(Service(rulesets, "default")), raise_server_exceptions=False) as c:
        yield c


def test_the_service_speaks_zh_by_default_and_en_when_asked(client):
    body = {"id": "X", "facts": {"major_los": True}}
    zh = client.post("/v1/evaluate", json=body).json()
    en = client.post("/v1/evaluate", json=body, headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}).json()
    asked = client.post("/v1/evaluate?lang=en", json=body).json()
    assert zh["detail"] == "案件: facts.major_los: 未知的事实编号 — 是否指 major_loss（造成重大损失）？"
    assert en["detail"] == asked["detail"] == "case: facts.major_los: unknown fact id — did you mean major_loss?"
    assert zh["code"] == en["code"] == zh["errors"][0]["code"] == "errors.unknown_fact"


def test_the_service_finds_a_contradiction_by_its_key(client):
    case = {"id": "A", "facts": {"performed_per_statutory_duty": True, "violated_statutory_procedure": True}}
    found = client.post("/v1/evaluate", json=case).json()
    assert found["type"] == "urn:rongcuo:problem:contradiction" and found["code"] == "errors.contradiction"
    assert "相互矛盾" in found["detail"] and "contradict" not in found["detail"]


def test_the_page_shows_the_error_in_zh(client):
    page = client.post("/", data={"case_text": "id: X\nfacts:\n  major_los: true\n"})
    assert page.status_code == 422
    assert "是否指 major_loss（造成重大损失）" in page.text and "unknown fact id" not in page.text
