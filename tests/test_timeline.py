"""The timeline of rule versions (issue 18, items 1–2): versions by date in one program, Q12 choosing.

A timeline of one version gives exactly today's answers; the law's timeline (measure/versions.yaml) holds
only versions that are law; the illustrative timeline (measure/versions.illustrative.yaml: the law's
version, a made-up amendment and its repeal) gives each transition answer of Q12 (the golden cases
g-q12-*.yaml, run by test_golden); the alternatives of Q12; the timeline file's errors.
"""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rongcuo import timeline
from rongcuo.engine import RuleError, RuleSet, Span, Timeline, bundled_root, profiles
from rongcuo.model.case import parse_case
from rongcuo.model.files import case_files, read_file

from .conftest import ROOT, rongcuo
from .test_properties import SETTINGS, as_of_dates, valid_cases

AS_OF = dt.date(2026, 6, 1)
GOLDEN = sorted(case_files([ROOT / "measure" / "golden"]))
HISTORICAL = sorted((ROOT / "cases" / "historical").rglob("*.yaml"))
ILLUSTRATIVE = ("--timeline", "illustrative")  # the timeline with transitions (made-up ones: not law)
PLAIN = {"version", "version_reason", "versions_consulted", "rules", "rules_sha256"}


def cases_of(paths):
    out = []
    for p in paths:
        data = read_file(p)
        data.pop("expect", None)
        data.pop("recorded_decision", None)
        out.append(parse_case(data, str(p)))
    return out


def one_version(tmp_path: Path) -> Path:
    path = tmp_path / "versions.yaml"
    path.write_text("versions:\n  - id: only\n    rules: bundled\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("profile", profiles())
def test_a_timeline_of_one_version_gives_todays_answers(tmp_path, profile):
    """Over every golden case and the historical corpus, on their own dates and on one late date."""
    line = timeline.load(one_version(tmp_path), profile)
    rules = RuleSet.load(profile)
    cases = cases_of(GOLDEN + HISTORICAL)
    for as_of in (AS_OF, dt.date(2021, 6, 1)):
        plain = rules.evaluator.whole(cases, as_of)
        timed = line.evaluate(cases, as_of)
        for a, b in zip(plain, timed, strict=True):
            got = {k: v for k, v in b.to_json().items() if k not in PLAIN}
            want = {k: v for k, v in a.to_json().items() if k not in PLAIN}
            assert got == want, a.case
            assert b.version == "only"
            assert b.versions_consulted == ()


def test_the_laws_timeline_holds_only_versions_that_are_law():
    """What `rongcuo batch` applies by default: no illustrative version (made-up law) in it."""
    listed = timeline.entries(timeline.bundled_timeline())
    assert [e.id for e in listed] == ["v2021"] and listed[0].rules == timeline.BUNDLED
    assert not any(e.illustrative for e in listed)
    assert not any("并非法律" in e.note.get("zh", "") or "NOT LAW" in e.note.get("en", "") for e in listed)
    assert timeline.named("bundled") == timeline.named(None) == timeline.bundled_timeline()


def test_an_illustrative_version_in_the_laws_timeline_is_refused(tmp_path, monkeypatch):
    """The law's timeline is what batch applies by default: a version marked illustrative there is refused."""
    law = tmp_path / "versions.yaml"
    law.write_text(
        "versions:\n  - {id: v2021, rules: bundled, until: 2025-07-01}\n"
        "  - {id: v_made_up, from: 2025-07-01, rules: bundled, illustrative: true}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(timeline, "bundled_timeline", lambda: law)
    with pytest.raises(RuleError) as e:
        timeline.load()
    assert e.value.code == "errors.timeline_law_illustrative" and "v_made_up" in str(e.value.values)
    assert timeline.load(timeline.illustrative_timeline()).spans  # elsewhere, illustrative versions are fine
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "c.yaml").write_text("id: C\nfacts: {enforcement_personnel: true}\n", encoding="utf-8")
    for more in ((), ("--at-date", "2025-08-01")):  # batch's default, and one day's version, alike
        run = rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "1", *more, cwd=None)
        assert run.returncode == 2 and "v_made_up" in run.stderr and run.stderr.strip().count("\n") == 0


def test_a_bad_timeline_stops_a_batch_before_it_starts(tmp_path):
    """It raised a RuleError traceback in the workers and the run never ended."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "c.yaml").write_text("id: C\nfacts: {enforcement_personnel: true}\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    run = rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "1", "--timeline", missing, "--lang", "en")
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0 and "cannot be read" in run.stderr


def test_at_date_on_no_version_is_one_line(tmp_path):
    path = tmp_path / "ended.yaml"
    path.write_text("versions:\n  - {id: only, rules: bundled, until: 2025-01-01}\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "c.yaml").write_text("id: C\nfacts: {enforcement_personnel: true}\n", encoding="utf-8")
    run = rongcuo(
        "batch", folder, "--out", tmp_path / "out", "--timeline", path, "--at-date", "2025-06-01", "--lang", "en"
    )
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0
    assert "no version of the rules is in force on 2025-06-01" in run.stderr


def test_the_illustrative_timeline_reads_as_written():
    listed = timeline.entries(timeline.illustrative_timeline())
    assert timeline.named("illustrative") == timeline.illustrative_timeline()
    assert [e.id for e in listed] == ["v2021", "v2025_illustrative", "v2026_illustrative"]
    assert listed[0].start is None and listed[0].end == dt.date(2025, 7, 1)
    assert listed[1].start == dt.date(2025, 7, 1) and listed[1].end == dt.date(2026, 1, 1)
    assert listed[2].end is None
    assert not listed[0].illustrative and all(e.illustrative for e in listed[1:])
    assert all("并非法律" in e.note["zh"] and "NOT LAW" in e.note["en"] for e in listed[1:])


def _cooperated(conduct, decision=None):
    dates = {"conduct": conduct, **({"decision": decision} if decision else {})}
    facts = {"enforcement_personnel": True, "cooperated_with_investigation": True}
    return parse_case({"id": f"X-{conduct}-{decision}", "facts": facts, "dates": dates}, "test")


def _answers(line: Timeline):
    cases = [
        _cooperated("2025-03-01", "2025-09-01"),  # before the switch, lenient later version
        _cooperated("2025-08-01", "2026-02-02"),  # before the repeal, harsher later version
        _cooperated("2025-08-01", "2025-09-10"),  # after the switch
        _cooperated("2025-03-01"),  # no decision: the evaluation date is the determination
    ]
    return [(r.disposition, r.version, r.version_reason) for r in line.evaluate(cases, AS_OF)]


def test_the_default_reading_is_the_more_lenient_version():
    assert _answers(timeline.load("illustrative")) == [
        ("mitigated", "v2025_illustrative", "later_more_favourable"),
        ("mitigated", "v2025_illustrative", "later_not_more_favourable"),
        ("mitigated", "v2025_illustrative", "one_version_in_force"),
        ("none", "v2021", "later_not_more_favourable"),  # 2026-06-01 is under the repeal: no more favourable
    ]


def _with_reading(tmp_path: Path, reading: str) -> Timeline:
    """The illustrative timeline under a profile that answers Q12 by ``reading`` (a copy of default)."""
    default = (bundled_root() / "profiles" / "default.lp").read_text(encoding="utf-8")
    profile = default.replace("q12_lenient.lp", f"q12_{reading}.lp")
    spans = []
    for e in timeline.entries(timeline.illustrative_timeline()):
        tree = tmp_path / e.id
        shutil.copytree(bundled_root(), tree)
        if e.rules != timeline.BUNDLED:
            shutil.copytree(bundled_root() / e.rules, tree, dirs_exist_ok=True)
        (tree / "profiles" / "q12.lp").write_text(profile, encoding="utf-8")
        spans.append(Span(e.id, e.start, e.end, RuleSet.load("q12", tree)))
    return Timeline(spans, "test", "q12")


def test_the_conduct_date_reading(tmp_path):
    assert _answers(_with_reading(tmp_path, "conduct")) == [
        ("none", "v2021", "conduct_date"),
        ("mitigated", "v2025_illustrative", "conduct_date"),
        ("mitigated", "v2025_illustrative", "conduct_date"),
        ("none", "v2021", "conduct_date"),
    ]


def test_the_determination_date_reading(tmp_path):
    assert _answers(_with_reading(tmp_path, "determination")) == [
        ("mitigated", "v2025_illustrative", "determination_date"),
        ("none", "v2026_illustrative", "determination_date"),
        ("mitigated", "v2025_illustrative", "determination_date"),
        ("none", "v2026_illustrative", "determination_date"),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("versions: []\n", "errors.timeline_malformed"),
        ("versions:\n  - id: V1\n", "errors.timeline_version_id"),
        ("versions:\n  - id: a\n  - id: a\n    from: 2025-01-01\n", "errors.timeline_duplicate"),
        ("versions:\n  - id: a\n    until: 2025-01-01\n  - id: b\n    from: 2025-02-01\n", "errors.timeline_gap"),
        ("versions:\n  - id: a\n  - id: b\n", "errors.timeline_gap"),
        ("versions:\n  - id: a\n    from: soon\n", "errors.timeline_dates"),
        ("versions:\n  - id: a\n    rules: drafts/nowhere\n", "errors.timeline_version_rules"),
        ("{unclosed\n", "errors.timeline_undecodable"),  # the loader says where and what
        ("versions:\n  - id: a\n    from: 2021-01-01\n", "errors.timeline_first_from"),
    ],
)
def test_a_bad_timeline_is_refused(tmp_path, text, code):
    path = tmp_path / "versions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as e:
        timeline.load(path)
    assert e.value.code == code


def test_the_cli_names_the_version_and_compares(tmp_path):
    case = tmp_path / "c.yaml"
    case.write_text(
        "id: T-1\nfacts: {enforcement_personnel: true, cooperated_with_investigation: true}\n"
        "dates: {conduct: 2025-03-01, decision: 2025-09-01}\nas_of: 2026-06-01\n",
        encoding="utf-8",
    )
    run = rongcuo("evaluate", str(case), "--timeline", "illustrative", "--format", "json")
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert (found["version"], found["version_reason"]) == ("v2025_illustrative", "later_more_favourable")
    assert found["versions_consulted"] == [
        {"version": "v2021", "disposition": "none"},
        {"version": "v2025_illustrative", "disposition": "mitigated"},
    ]
    plain = json.loads(rongcuo("evaluate", str(case), "--format", "json").stdout)
    assert "version" not in plain and plain["disposition"] == "none"  # without --timeline, as before
    explained = rongcuo("explain", str(case), "--timeline", "illustrative", "--lang", "en")
    assert explained.returncode == 0, explained.stderr
    assert "version applied: v2025_illustrative" in explained.stdout
    assert "versions compared" in explained.stdout and "v2021 gives" in explained.stdout
    assert "[ILLUSTRATIVE, NOT LAW]" in explained.stdout  # the version's note from versions.yaml
    text = rongcuo("evaluate", str(case), "--timeline", "illustrative")
    assert "适用的规则版本：v2025_illustrative" in text.stdout and "【示例，并非法律】" in text.stdout
    both = rongcuo("evaluate", str(case), "--timeline", "illustrative", "--rules", "measure/drafts/a10-table-refactor")
    assert both.returncode == 2 and "--timeline" in both.stderr


_LINES: dict[str, Timeline] = {}


def _line(profile: str, path: Path | None = None) -> Timeline:
    """The timeline of ``path`` (the illustrative one by default: it has transitions) under ``profile``."""
    key = f"{profile} {path}"
    if key not in _LINES:
        _LINES[key] = timeline.load(path or timeline.illustrative_timeline(), profile)
    return _LINES[key]


@pytest.mark.parametrize("profile", profiles())
@settings(max_examples=40, **SETTINGS)
@given(cases=st.lists(valid_cases(), min_size=1, max_size=6), as_of=as_of_dates)
def test_one_version_gives_the_fast_paths_answers(tmp_path_factory, profile, cases, as_of):
    """Random cases: a timeline of one version answers as the rule set's own (fast) path does."""
    path = tmp_path_factory.getbasetemp() / "one-version.yaml"
    if not path.exists():
        path.write_text("versions:\n  - id: only\n    rules: bundled\n", encoding="utf-8")
    plain = RuleSet.load(profile).evaluate(cases, as_of)
    timed = _line(profile, path).evaluate(cases, as_of)
    for a, b in zip(plain, timed, strict=True):
        assert {k: v for k, v in b.to_json().items() if k not in PLAIN} == {
            k: v for k, v in a.to_json().items() if k not in PLAIN
        }
        assert a.contradictions == b.contradictions
        assert b.version == "only"


ORDER = ["excluded", "none", "mitigated", "exempt", "duty_fulfilled"]  # analysis.md Q12, least favourable first


@pytest.mark.parametrize("profile", profiles())
@settings(max_examples=40, **SETTINGS)
@given(cases=st.lists(valid_cases(), min_size=1, max_size=6), as_of=as_of_dates)
def test_the_illustrative_timeline_gives_the_answer_of_the_version_it_names(profile, cases, as_of):
    """Random cases on the illustrative timeline: the answer is that of the version named, which is one of
    the versions consulted, and under 从旧兼从轻 never less favourable than the conduct-date version's."""
    line = _line(profile)
    for case, got in zip(cases, line.evaluate(cases, as_of), strict=True):
        assert got.version is not None and got.version_reason is not None, case
        (own,) = line.rules_of(got.version).evaluate([case], as_of)
        assert {k: v for k, v in got.to_json().items() if k not in PLAIN} == {
            k: v for k, v in own.to_json().items() if k not in PLAIN
        }
        if got.versions_consulted:
            assert got.version in dict(got.versions_consulted)
            (conduct, _), (later, _) = got.versions_consulted[0], got.versions_consulted[-1]
            assert {conduct, later} == set(dict(got.versions_consulted))
        if got.version_reason in ("later_more_favourable", "later_not_more_favourable"):
            gives = dict(got.versions_consulted)
            ranked = [ORDER.index(d) if d in ORDER else -1 for d in gives.values()]
            if got.version_reason == "later_more_favourable":
                assert ORDER.index(got.disposition) == max(ranked)


def test_a_batch_over_time_counts_cases_per_version_and_names_what_caused_a_disagreement(tmp_path):
    """`batch --timeline`: the report counts the cases under each version and splits the disagreements
    into those the rules of the time give and those an amendment gave (another version consulted gives
    the recorded decision)."""
    import yaml

    case = yaml.safe_load((ROOT / "measure" / "golden" / "g-q12-later-lenient.yaml").read_text("utf-8"))
    case.pop("expect")
    folder = tmp_path / "in"
    folder.mkdir()
    # recorded none: what the version of the conduct date gives — the later, more lenient version changed it
    (folder / "a.yaml").write_text(yaml.safe_dump({**case, "id": "A", "recorded_decision": "none"}), "utf-8")
    # recorded exempt: no version gives it — the rules of the time disagree
    (folder / "b.yaml").write_text(yaml.safe_dump({**case, "id": "B", "recorded_decision": "exempt"}), "utf-8")
    out = tmp_path / "out"
    run = rongcuo(
        "batch", folder, "--out", out, "--timeline", "illustrative", "--workers", "1", "--as-of", "2025-09-30", cwd=None
    )
    assert run.returncode == 0, run.stderr
    report = (out / "report.md").read_text("utf-8")
    assert "| `v2025_illustrative` | 2 |" in report
    assert (
        "当时的规则即得出与原认定不同的结论：1" in report
        and "后来的修订改变了结论（所比较的另一版本得出原认定）：1" in report
    )
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert {r["version"] for r in rows} == {"v2025_illustrative"}


def test_diff_between_two_versions_of_the_timeline_is_the_transitions_impact():
    """`rongcuo diff version:A version:B` (issue 18.4): the exhaustive difference between the rule sets in
    force before and after a switch — the illustrative amendment gains mitigation, its repeal loses it."""
    amended = rongcuo("diff", "version:v2021", "version:v2025_illustrative", "--format", "json", *ILLUSTRATIVE)
    assert amended.returncode in (0, 1), amended.stderr
    classes = json.loads(amended.stdout)["classes"]
    assert classes and any(c["old"] == "none" and c["new"] == "mitigated" for c in classes)
    repealed = json.loads(
        rongcuo(
            "diff", "version:v2025_illustrative", "version:v2026_illustrative", "--format", "json", *ILLUSTRATIVE
        ).stdout
    )
    assert any(c["old"] == "mitigated" and c["new"] == "none" for c in repealed["classes"])
    unknown = rongcuo("diff", "version:v2021", "version:v2099", *ILLUSTRATIVE)
    assert unknown.returncode == 2 and "v2099" in unknown.stderr and "v2025_illustrative" in unknown.stderr


def _transition(old: str, new: str, *more: str) -> dict:
    run = rongcuo("diff", f"version:{old}", f"version:{new}", "--transition", "--format", "json", *ILLUSTRATIVE, *more)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def _classes(report: dict, segment: str, baseline: str = "old") -> list[tuple]:
    """A segment's classes: (old, new, the changes), each checked against its witness's answers — the
    version alone and the whole illustrative timeline, run as the witness's command runs them."""
    found = []
    for c in report["classes"]:
        if c["segment"] == segment and c["baseline"] == baseline:
            alone, on_timeline = c["witness"]["results"].values()
            assert (alone["disposition"], on_timeline["disposition"]) == (c["old"], c["new"])
            found.append((c["old"], c["new"], tuple(sorted((x["sign"], x["name"]) for x in c["changes"]))))
    return sorted(found)


def test_the_transition_diff_of_the_lenient_amendment(tmp_path):
    """`rongcuo diff version:v2021 version:v2025_illustrative --transition` (issue 18.4): where conduct before
    2025-07-01 is determined on or after it, 从旧兼从轻 gives the later version only where it is more
    favourable — none → mitigated, the one class; conduct after the switch (or undated, determined after it)
    gets the later version: every difference of `diff`, by segment; before the switch, nothing (proved).
    Where the later version is not more favourable, the earlier one is kept: grounds, and mitigation beside
    duty_fulfilled. Each witness runs under v2021 alone and on the illustrative timeline as the class says."""
    report = _transition("v2021", "v2025_illustrative", "--witnesses", tmp_path)
    assert report["transition"] | {"timeline_rules": ""} == {
        "timeline": "illustrative",
        "timeline_rules": "",
        "old": "v2021",
        "new": "v2025_illustrative",
        "switch": "2025-07-01",
        "reading": "q12_lenient",
    }
    assert report["complete"] and not report["same"] and report["space"]["proof"]
    mitigation = ("none", "mitigated", (("gained", "mitigated"), ("lost", "none")))
    assert _classes(report, "straddling") == [mitigation]
    (straddling,) = [c for c in report["classes"] if c["segment"] == "straddling" and c["baseline"] == "old"]
    witness = straddling["witness"]
    assert witness["dates"] == {"conduct": "2025-06-30"} and witness["as_of"] == "2025-07-01"
    assert witness["results"]["timeline:illustrative"]["version_reason"] == "later_more_favourable"
    for segment in ("after", "undated"):
        classes = _classes(report, segment)
        assert mitigation in classes and len(classes) == 4, classes
        assert ("excluded", "excluded", (("gained", "mitigated"),)) in classes
    assert _classes(report, "before") == []
    kept = _classes(report, "straddling", "new")
    assert ("duty_fulfilled", "duty_fulfilled", (("lost", "mitigated"),)) in kept and len(kept) == 3
    assert all(old == new for old, new, _ in kept)  # never a disposition: the later one was not more favourable
    case = tmp_path / f"{straddling['witness']['case'].removeprefix('W-').lower()}.yaml"
    run = rongcuo("evaluate", case, "--as-of", witness["as_of"], "--timeline", "illustrative", "--format", "json")
    assert json.loads(run.stdout)["disposition"] == "mitigated"


def test_the_transition_diff_of_the_repeal_keeps_the_lenient_answer():
    """The illustrative repeal (v2025_illustrative → v2026_illustrative, harsher): a conduct in the lenient
    period determined after the repeal keeps the lenient answer — across the switch the amendment changes
    nothing (proved), and the later version alone would have lost the mitigation (a witness); conduct after
    the repeal loses it (mitigated → none)."""
    report = _transition("v2025_illustrative", "v2026_illustrative")
    assert _classes(report, "straddling") == [] and _classes(report, "before") == []
    loss = ("mitigated", "none", (("gained", "none"), ("lost", "mitigated")))
    assert loss in _classes(report, "after") and loss in _classes(report, "undated")
    kept = _classes(report, "straddling", "new")
    assert ("none", "mitigated", (("gained", "mitigated"), ("lost", "none"))) in kept
    lenient = ("new", "none", "mitigated")
    (witness,) = [c["witness"] for c in report["classes"] if (c["baseline"], c["old"], c["new"]) == lenient]
    assert witness["dates"]["conduct"] < "2026-01-01" <= witness["as_of"]
    applied = witness["results"]["timeline:illustrative"]
    assert (applied["version"], applied["version_reason"]) == ("v2025_illustrative", "later_not_more_favourable")


def test_the_transition_diff_under_the_conduct_reading_changes_nothing_across_the_switch():
    """`literal` reads Q12 as the conduct-date version: across the switch the case keeps v2021's answer,
    so the amendment's impact is only on conduct after it; every difference of the two versions is kept."""
    report = _transition("v2021", "v2025_illustrative", "--profile", "literal")
    assert report["transition"]["reading"] == "q12_conduct"
    assert _classes(report, "straddling") == [] and _classes(report, "after")
    kept = _classes(report, "straddling", "new")  # the later version alone would mitigate; the timeline keeps v2021
    assert ("mitigated", "none", (("gained", "none"), ("lost", "mitigated"))) in kept


def test_the_transition_diff_text_and_refusals():
    text = rongcuo("diff", "version:v2025_illustrative", "version:v2026_illustrative", "--transition", *ILLUSTRATIVE)
    assert text.returncode == 1, text.stderr
    assert "跨施行日比较 — v2025_illustrative → v2026_illustrative，施行日 2026-01-01" in text.stdout
    assert "事发于施行日前、认定于施行日当日或之后（跨越施行日）\n\n无差异（已证明）" in text.stdout
    assert "--timeline illustrative" in text.stdout or "按时间线" in text.stdout
    english = rongcuo(
        "diff", "version:v2021", "version:v2025_illustrative", "--transition", "--lang", "en", *ILLUSTRATIVE
    )
    assert "in force from 2025-07-01" in english.stdout and "on the timeline" in english.stdout
    for args, words in (
        (("version:v2021", "version:v2026_illustrative"), "v2025_illustrative"),  # not consecutive: names the next
        (("profile:default", "version:v2025_illustrative"), "version:"),
        (("version:v2021", "version:v2025_illustrative", "--cases", "cases/historical"), "batch --timeline"),
        (("version:v2021", "version:v2099"), "v2099"),
    ):
        run = rongcuo("diff", *args, "--transition", *ILLUSTRATIVE)
        assert run.returncode == 2 and words in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


# The fast path (Timeline.evaluate: each version on its own fast path, Q12 over the dispositions) against the
# reference (Timeline.whole: every version of every case in one program), case by case.

_READINGS: dict[str, Timeline] = {}


def _reading(tmp_path_factory, reading: str) -> Timeline:
    if reading not in _READINGS:
        _READINGS[reading] = _with_reading(tmp_path_factory.mktemp(f"q12-{reading}"), reading)
    return _READINGS[reading]


straddling = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 6, 30))  # around both switches


@pytest.mark.parametrize("profile", profiles())
@settings(max_examples=40, **SETTINGS)
@given(
    cases=st.lists(valid_cases(), min_size=1, max_size=8),
    as_of=as_of_dates | straddling,
    effective_date=st.none() | as_of_dates,
)
def test_the_fast_path_gives_the_whole_programs_answers(profile, cases, as_of, effective_date):
    line = _line(profile)
    assert line.fallback is None
    assert line.evaluate(cases, as_of, effective_date) == line.whole(cases, as_of, effective_date)


@pytest.mark.parametrize("reading", ["conduct", "determination"])
@settings(max_examples=30, **SETTINGS)
@given(cases=st.lists(valid_cases(), min_size=1, max_size=8), as_of=as_of_dates | straddling)
def test_the_fast_path_gives_the_whole_programs_answers_under_each_reading(tmp_path_factory, reading, cases, as_of):
    line = _reading(tmp_path_factory, reading)
    assert line.fallback is None and line.reading == f"q12_{reading}"
    assert line.evaluate(cases, as_of) == line.whole(cases, as_of)


def test_the_fast_path_evaluates_a_case_under_the_versions_in_force_at_its_moments_only(monkeypatch):
    """A case whose conduct and determination fall under one version is evaluated under that version
    alone; one that straddles a switch, under both; the whole program is never grounded."""
    line = timeline.load("illustrative")
    asked: dict[str, list[str]] = {}
    for span in line.spans:
        original = span.rules.evaluator.evaluate

        def counted(cases, *args, _id=span.id, _original=original, **kw):
            asked.setdefault(_id, []).extend(c.id for c in cases)
            return _original(cases, *args, **kw)

        monkeypatch.setattr(span.rules.evaluator, "evaluate", counted)
    monkeypatch.setattr(line, "whole", None)  # calling it fails
    cases = [
        _cooperated("2025-03-01", "2025-04-01"),  # v2021 only
        _cooperated("2025-03-01", "2025-09-01"),  # v2021 and v2025_illustrative
        _cooperated("2025-08-01", "2025-09-10"),  # v2025_illustrative only
        _cooperated("2026-02-01"),  # v2026_illustrative only (determined on the evaluation date)
    ]
    got = [(r.version, r.version_reason) for r in line.evaluate(cases, AS_OF)]
    assert got == [
        ("v2021", "one_version_in_force"),
        ("v2025_illustrative", "later_more_favourable"),
        ("v2025_illustrative", "one_version_in_force"),
        ("v2026_illustrative", "one_version_in_force"),
    ]
    ids = [c.id for c in cases]
    assert asked == {"v2021": ids[:2], "v2025_illustrative": ids[1:3], "v2026_illustrative": ids[3:]}


def test_overlapping_versions_take_the_whole_program():
    """Two versions in force on every day: no partition of time to evaluate each case under one, so the
    timeline grounds the whole program, with its answers."""
    rules = RuleSet.load("default")
    line = Timeline([Span("a", None, None, rules), Span("b", None, None, rules)], "test", "default")
    assert line.fallback == "two versions are in force on one day"
    cases = [_cooperated("2025-03-01", "2025-09-01"), _cooperated("2025-08-01")]
    assert line.evaluate(cases, AS_OF) == line.whole(cases, AS_OF)
