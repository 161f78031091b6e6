"""Fuzzing the inputs: random bytes, random documents and mutated valid cases. The only acceptable answers are
a value or a one-line error — never a traceback, a hang or a crash."""

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rongcuo.batch.columns import Layout
from rongcuo.batch.inputs import Reader
from rongcuo.model.case import CaseError, parse_case
from rongcuo.model.decode import DecodeError, decode_json, decode_yaml
from rongcuo.model.files import load_case

from .conftest import ROOT, rongcuo

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


@settings(max_examples=300, **SETTINGS)
@given(case=documents | mutated(documents))
def test_any_document_is_a_case_or_a_one_line_error(case):
    try:
        parse_case(case, "fuzz")
    except CaseError as e:
        assert str(e).startswith("fuzz: ")


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
