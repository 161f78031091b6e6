"""Bad input: one line naming the file, the field and the fix."""

import json

import pytest

from rongcuo.model.case import CaseError, parse_case
from rongcuo.model.files import case_files, load_case


def error(data) -> str:
    with pytest.raises(CaseError) as e:
        parse_case(data, "c.yaml")
    return str(e.value)


def test_valid_case():
    case = parse_case(
        {"id": "A", "facts": {"major_loss": True, "remedied_actively": False}, "dates": {"decision": "2024-03-20"}},
        "c.yaml",
    )
    assert case.true_facts() == ["major_loss"]
    assert str(case.dates["decision"]) == "2024-03-20"


def test_unknown_fact_with_did_you_mean():
    assert error({"id": "A", "facts": {"inspection_target_conceald": True}}) == (
        "c.yaml: facts.inspection_target_conceald: unknown fact id — did you mean inspection_target_concealed?"
    )


def test_unknown_fact_without_a_close_match_points_to_the_vocabulary():
    assert "rongcuo vocabulary" in error({"id": "A", "facts": {"zzz": True}})


def test_wrong_value_type():
    assert error({"id": "A", "facts": {"major_loss": "yes please"}}) == (
        "c.yaml: facts.major_loss: 'yes please' is not true, false or unknown"
    )


def test_unknown_date_key():
    assert error({"id": "A", "dates": {"decison": "2024-01-01"}}) == (
        "c.yaml: dates.decison: unknown date key — did you mean decision?"
    )


@pytest.mark.parametrize("value", ["2024-02-30", "20240101", "2024/01/01", 17, "2024-1-1"])
def test_bad_date(value):
    assert error({"id": "A", "dates": {"decision": value}}).startswith(
        f"c.yaml: dates.decision: {value!r} is not a date — write it as YYYY-MM-DD"
    )


def test_missing_id_and_unknown_field():
    assert error({"facts": {}}) == "c.yaml: id: required — add it"
    assert error({"id": "A", "fact": {}}).startswith("c.yaml: fact: not a field of a case — did you mean facts?")


def test_bad_recorded_decision():
    assert "did you mean exempt?" in error({"id": "A", "recorded_decision": "exempted"})


def test_not_a_mapping():
    assert error(["a"]) == "c.yaml: (case): a case must be a mapping with at least an `id`"


def test_malformed_files(tmp_path):
    bad_yaml = tmp_path / "a.yaml"
    bad_yaml.write_text("id: [unclosed\n")
    bad_json = tmp_path / "b.json"
    bad_json.write_text('{"id": ')
    for path in (bad_yaml, bad_json):
        with pytest.raises(CaseError) as e:
            load_case(path)
        assert str(e.value).startswith(f"{path}: line ")


def test_json_case(tmp_path):
    path = tmp_path / "c.json"
    data = {"id": "J", "facts": {"enforcement_personnel": True}, "dates": {"conduct": "2024-01-02"}}
    path.write_text(json.dumps(data))
    assert load_case(path).id == "J"


def test_case_files_of_a_folder_are_sorted_and_missing_paths_reported(tmp_path):
    for name in ("b.yaml", "a.json", "c.txt"):
        (tmp_path / name).write_text("id: x\n")
    assert [p.name for p in case_files([tmp_path])] == ["a.json", "b.yaml"]
    with pytest.raises(CaseError):
        list(case_files([tmp_path / "nope"]))
