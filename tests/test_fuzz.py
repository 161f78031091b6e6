"""Fuzzing the inputs: random bytes, random documents and mutated valid cases. The only acceptable answers are
a value or a one-line error — never a traceback, a hang or a crash."""

import json
import re
from functools import cache

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rongcuo.batch.columns import Layout
from rongcuo.batch.inputs import Reader
from rongcuo.model.case import CaseError, parse_case
from rongcuo.model.decode import DecodeError, decode_json, decode_yaml, read_json
from rongcuo.model.files import load_case

from .conftest import ROOT, rongcuo
from .test_hostile import reading, strictly

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
GOOD = yaml.safe_load((ROOT / "measure" / "golden" / "g-a11-p1-i6.yaml").read_text(encoding="utf-8"))
GOOD.pop("expect")

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def mutated(draw_value):
    """A valid case with one field replaced by anything."""
    return st.builds(
        lambda key, value: {**GOOD, key: value}, st.sampled_from([*GOOD, "facts", "dates", "evidence"]), draw_value
    )


@settings(max_examples=300, **SETTINGS)
@given(data=st.binary(max_size=400))
def test_random_bytes_decode_to_a_value_or_a_one_line_error(data):
    for decode in (decode_json, lambda d: decode_yaml(d.decode("utf-8", "replace"))):
        try:
            decode(data)
        except DecodeError as e:
            assert "\n" not in str(e)


# JSON texts as a client may write them: keys that repeat (one of them escaped), any whitespace, integers
# of any length, any float, texts with lone surrogates (escaped, or as UTF-8 bytes).
_space = st.text(alphabet=" \t\r\n", max_size=2)
_texts = st.text(alphabet=st.characters(codec=None), max_size=6)
_scalars = (
    st.sampled_from(["true", "false", "null", "NaN", "-Infinity", "1e999", "-0", "01"])
    | st.integers(min_value=-(10**25), max_value=10**25).map(str)
    | st.floats(allow_nan=False, allow_infinity=False).map(repr)
    | st.builds(json.dumps, _texts, ensure_ascii=st.booleans())
)
_keys = st.sampled_from(['"id"', '"facts"', '"\\u0069d"', '"a\\":"', '"甲"'])
json_texts = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]")
        | st.lists(st.tuples(_keys, _space, inner), max_size=4).map(
            lambda pairs: "{" + ",".join(f"{k}{w}:{w}{v}" for k, w, v in pairs) + "}"
        )
    ),
    max_leaves=12,
)


@settings(max_examples=500, **SETTINGS)
@given(text=json_texts, space=_space)
def test_orjson_s_reading_of_any_json_is_the_strict_decoder_s(text, space):
    data = (space + text + space).encode("utf-8", "surrogatepass")
    assert reading(read_json, data) == reading(strictly, data)


@settings(max_examples=300, **SETTINGS)
@given(data=st.binary(max_size=400))
def test_orjson_s_reading_of_any_bytes_is_the_strict_decoder_s(data):
    assert reading(read_json, data) == reading(strictly, data)


@settings(max_examples=300, **SETTINGS)
@given(case=documents | mutated(documents))
# keys are named escaped (found by benchmarks/fuzz.py)
@example(case={**GOOD, "facts": {"major_loss\nrongcuo: 伪造的一行": True}})
@example(case={**GOOD, "dates": {"\x1b[2Jconduct": "2024-01-01"}})
@example(case={**GOOD, "note\u2028": 1})
def test_any_document_is_a_case_or_a_one_line_error(case):
    try:
        parse_case(case, "fuzz")
    except CaseError as e:
        assert str(e).startswith("fuzz: ") and not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", str(e)), str(e)


@settings(max_examples=40, **SETTINGS)
@given(case=mutated(documents))
def test_the_cli_answers_a_mutated_case_with_a_result_or_one_line(tmp_path_factory, case):
    path = tmp_path_factory.mktemp("fuzz") / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False, default=str), encoding="utf-8")
    run = rongcuo("evaluate", path, "--as-of", "2024-12-31")
    assert run.returncode in (0, 2)
    if run.returncode == 2:
        assert run.stderr.count("\n") == 1 and run.stderr.startswith(f"rongcuo: {path}")


@settings(max_examples=150, **SETTINGS)
@given(text=st.text(alphabet=st.sampled_from('ab,"\n\r;=1'), max_size=200))
def test_any_csv_gives_every_row_or_a_one_line_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("csv") / "ledger.csv"
    path.write_text("id,title\n" + text, encoding="utf-8")
    try:
        records = [r for chunk in Reader([path], Layout()).chunks(50) for r in chunk.records()]
    except CaseError as e:
        assert "\n" not in str(e)
        return
    assert all(r.unit == "row" and r.at >= 2 for r in records)
    assert len({r.at for r in records}) == len(records)  # no row merged into another, none twice


def test_a_golden_case_survives_the_round_trip():
    assert load_case(ROOT / "measure" / "golden" / "g-a11-p1-i6.yaml").id == GOOD["id"]


# Rule files a drafter might write, well-formed or not: the rule base's own predicates and facts, the
# mechanism's heads, and the tokens that must be refused (#script, #include) or that break the grammar.
TOKENS = [
    "grant(C, exempt, a12_p1, a12_p1_i1)",
    "grant(C, newthing, a99, a99)",
    "consequence(C, made_up, a14)",
    "fact(C, major_loss)",
    "fact(C, cooperated_with_inquiry)",
    "in_scope(C)",
    "case(C)",
    "not",
    "blocked(C,O,S,I,D)",
    "a13_violation(C)",
    "p(C)",
    "q(X)",
    ":-",
    ".",
    ",",
    "#show p/1.",
    "#script (python) pass #end.",
    '#include "/etc/passwd".',
    "1 { p(C) ; q(C) } 1 :- case(C).",
    "X = Y + 1",
    "#count { C : case(C) } > 3",
    "% [a99.p1] a comment citing a clause the measure lacks",
    "(",
    ")",
    '"text"',
    "\x00",
    "ü",
]
rule_files = st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join)


@settings(max_examples=12, **SETTINGS)
@given(text=rule_files)
@example(text="grant(C, newthing, a99, a99) :- in_scope(C), fact(C, cooperated_with_inquiry).")  # lint, no crash
@example(text="consequence(C, made_up, a14) :- in_scope(C). grant(C, mitigated, a12_p1, a12_p1_i1) :- in_scope(C).")
@example(text="#script (python) pass #end.")  # refused unless --trust
@example(text="p(C) :- case(C), not q(C). q(C) :- case(C), not p(C).")  # no single answer
def test_any_draft_rule_file_gets_an_answer_or_one_line(tmp_path_factory, text):
    """A draft's rule file, whatever it says: `evaluate --rules DRAFT` and `check --rules DRAFT` give a
    result (exit 0, or 1 for a conflict) or `rongcuo: ` lines (exit 2: the lint's findings, one each, and
    the refusal) — never a traceback (the rongcuo() helper raises on one)."""
    draft = tmp_path_factory.mktemp("draft")
    (draft / "DRAFT.md").write_text("# fuzz\n", "utf-8")  # a draft: merged over the bundled rules
    (draft / "rules").mkdir()
    (draft / "rules" / "a12_mitigation.lp").write_text(text + "\n", "utf-8")
    case = ROOT / "measure" / "golden" / "g-a12-p1-i1.yaml"
    for args in (("evaluate", case, "--rules", draft), ("check", "--rules", draft, "--days", "0")):
        run = rongcuo(*args)
        assert run.returncode in (0, 1, 2), (args, run)
        if run.returncode == 2:  # the lint's lines (one per finding) then the one that ends the command
            assert run.stdout == "" and run.stderr.endswith("\n"), run.stderr
            assert all(line.startswith("rongcuo: ") for line in run.stderr.splitlines()), run.stderr


@cache
def _client():
    from fastapi.testclient import TestClient

    from rongcuo.engine import RuleSet
    from rongcuo.service import Service, create_app

    return TestClient(create_app(Service({"default": RuleSet.load()}, "default")))


ENDPOINTS = ["/v1/evaluate", "/v1/explain", "/v1/whynot", "/v1/whatif?to=exempt", "/v1/opinion", "/v1/extract"]


@settings(max_examples=60, **SETTINGS)
@given(path=st.sampled_from(ENDPOINTS), body=documents | mutated(documents), raw=st.booleans())
def test_the_service_answers_any_body_with_a_result_or_a_problem(path, body, raw):
    """Any JSON (or any text) to any endpoint: an answer or a 4xx problem whose detail is one line — never a
    500, never a traceback in the body."""
    content = json.dumps(body, default=str) if not raw else str(body)
    response = _client().post(path, content=content, headers={"content-type": "application/json"})
    assert response.status_code < 500, (path, content, response.text)
    if response.status_code >= 400:
        problem = response.json()
        assert "\n" not in problem["detail"] and "Traceback" not in response.text, problem


VERSIONS = {"versions": [{"id": "v1"}, {"id": "v2", "from": "2025-07-01", "note": {"zh": "示例", "en": "example"}}]}
version_documents = (
    documents
    | st.builds(lambda key, value: {"versions": [{"id": "v1", key: value}]}, st.text(max_size=12), documents)
    | st.builds(lambda key, value: {**VERSIONS, key: value}, st.sampled_from(["versions", "x"]), documents)
)
# what a person types, that a dump of Python values never gives: unquoted dates, deep brackets, aliases
TYPED = [
    "versions:\n  - id: a\n  - id: b\n    from: 2024-02-30\n",
    "major_loss: [2024-02-30]\n",
    "cues: " + "[" * 5000 + "]" * 5000 + "\n",
    "versions:\n  - id: a\n    illustrative: yes\n",
    "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
    "versions: [{id: v1, note: [*c, *c, *c, *c, *c, *c, *c, *c]}]\n",
]


@settings(max_examples=200, **SETTINGS)
@given(text=version_documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)) | st.sampled_from(TYPED))
def test_any_timeline_lexicon_or_bank_file_is_read_or_one_line(tmp_path_factory, text):
    """The other YAML files a user hands rongcuo — a --timeline, a --lexicon, a --bank — read through the
    bounded loader: a value or one coded line (they were read with yaml.safe_load: tracebacks)."""
    from rongcuo import timeline
    from rongcuo.engine import RuleError
    from rongcuo.extract import Lexicon
    from rongcuo.extract.semantic import read_bank

    path = tmp_path_factory.mktemp("yaml") / "file.yaml"
    path.write_text(text, "utf-8")
    for read in (timeline.entries, Lexicon.load, read_bank):
        try:
            read(path)
        except (RuleError, CaseError) as e:
            assert "\n" not in str(e) and str(e).startswith(str(path)), str(e)
