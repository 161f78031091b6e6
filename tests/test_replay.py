"""The decision log and its certified replay (issue 18.5): evaluate, batch and the service log each
decision; `rongcuo replay` re-derives them all and certifies the answers byte for byte, or names the
ones that differ and why; `--under` names the decisions another rule set would change."""

import json
import shutil
import threading
from pathlib import Path

from fastapi.testclient import TestClient

from rongcuo.ask import Ask, Evaluated, evaluate
from rongcuo.engine import RuleSet, bundled_root
from rongcuo.model.files import case_files, load_case
from rongcuo.replay import (
    CERTIFIED,
    ENGINE,
    MISSING_INPUT,
    DecisionLog,
    Store,
    append_lines,
    canonical,
    case_json,
    default_store,
    read_log,
    replay,
)
from rongcuo.service import Limits, Service, create_app

from .conftest import ROOT, rongcuo

AS_OF = "2026-01-01"


def _lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text("utf-8").splitlines()]


def test_the_golden_cases_logged_and_replayed_are_all_certified(tmp_path):
    log = tmp_path / "decisions.jsonl"
    run = rongcuo("evaluate", "measure/golden", "--as-of", AS_OF, "--log", log, "--format", "json")
    assert run.returncode == 2  # the golden contradictions are rejected: no decision, not logged
    lines = _lines(log)
    assert len(lines) == len(run.stdout.splitlines()) > 90
    first = lines[0]
    assert {"input", "rules_sha256", "profile", "as_of", "effective_date", "answer", "case", "at", "rongcuo"} <= set(
        first
    )
    assert len(first["rules_sha256"]) == 64 and first["rules"] == first["rules_sha256"][:16]
    store = default_store(log)
    assert (store / "rules" / f"{first['rules_sha256']}.json").is_file()
    assert Store(store).get(first["input"]) is not None
    again = rongcuo("replay", log, "--format", "json")
    assert again.returncode == 0, again.stdout + again.stderr
    out = json.loads(again.stdout)
    assert out["certified"] == out["decisions"] == len(lines) and out["differ"] == []
    assert "逐字节" in rongcuo("replay", log).stdout


def test_the_input_digest_is_of_the_canonical_case_and_reads_back_to_the_case():
    case = load_case(ROOT / "measure" / "golden" / "g-a11-p1-i6.yaml")
    data = json.loads(canonical(case_json(case)))
    from rongcuo.model.case import parse_case

    assert parse_case(data, "x") == case


def test_a_thousand_batch_decisions_replay_with_no_difference(tmp_path):
    source = [json.loads(json.dumps(case_json(load_case(p)))) for p in sorted(case_files([ROOT / "cases/historical"]))]
    cases = tmp_path / "cases.jsonl"
    with cases.open("w", encoding="utf-8") as f:
        for i in range(1000):
            f.write(json.dumps({**source[i % len(source)], "id": f"R-{i:04d}"}, ensure_ascii=False) + "\n")
    log, store = tmp_path / "batch.jsonl", tmp_path / "store"
    run = rongcuo(
        "batch", cases, "--out", tmp_path / "out", "--as-of", AS_OF, "--workers", "2", "--log", log, "--store", store
    )
    assert run.returncode == 0, run.stderr
    assert len(_lines(log)) == 1000
    out = json.loads(rongcuo("replay", log, "--store", store, "--format", "json").stdout)
    assert out["decisions"] == out["certified"] == 1000 and out["differ"] == []


def _altered(tmp_path: Path) -> Path:
    """A copy of the measure without a12's first mitigating ground."""
    root = tmp_path / "asp"
    shutil.copytree(bundled_root(), root)
    rule = root / "rules" / "a12_mitigation.lp"
    text = rule.read_text("utf-8")
    line = "grant(C, mitigated, a12_p1, a12_p1_i1) :- in_scope(C), fact(C, proactively_limited_loss)."
    assert line in text
    rule.write_text(text.replace(line, "% " + line), "utf-8")
    return root


def test_under_an_altered_rule_file_replay_names_the_decisions_that_change(tmp_path):
    log = tmp_path / "decisions.jsonl"
    rongcuo("evaluate", "cases/historical", "--as-of", AS_OF, "--log", log, "--format", "json")
    root = _altered(tmp_path)
    run = rongcuo("replay", log, "--under", root, "--format", "json")
    assert run.returncode == 0, run.stderr
    changed = json.loads(run.stdout)["changed"]
    # what the two rule sets answer, asked directly
    cases = [load_case(p) for p in sorted(case_files([ROOT / "cases/historical"]))]
    day = Ask(RuleSet.load("default")).day.fromisoformat(AS_OF)
    old = evaluate(Ask(RuleSet.load("default"), day), cases)
    new = evaluate(Ask(RuleSet.load("default", root), day), cases)
    expected = {
        a.case.id: (a.result.disposition, b.result.disposition)
        for a, b in zip(old, new, strict=True)
        if isinstance(a, Evaluated) and isinstance(b, Evaluated) and a.result.disposition != b.result.disposition
    }
    assert expected and {c["case"]: (c["old"], c["new"]) for c in changed} == expected
    assert all(c["old"] == "mitigated" for c in changed)
    # each labelled with its diff class: a12.p1.i1 gone, mitigation lost
    lost = [{"sign": s, "kind": "outcome", "name": o} for s, o in (("gained", "none"), ("lost", "mitigated"))]
    assert all(c["diff"] == {"old": "mitigated", "new": "none", "changes": lost} for c in changed), changed
    text = rongcuo("replay", log, "--under", root).stdout
    assert next(iter(expected)) in text and "→" in text
    assert rongcuo("replay", log).returncode == 0  # the log itself still replays under its own rules


def test_a_rule_directory_replays_from_the_store_after_the_directory_changed(tmp_path):
    root = tmp_path / "mine"
    shutil.copytree(bundled_root(), root)
    log = tmp_path / "decisions.jsonl"
    rule = root / "rules" / "a12_mitigation.lp"
    rule.write_text(rule.read_text("utf-8") + "\n% a drafter's comment\n", "utf-8")
    rongcuo("evaluate", "cases/historical/2021", "--as-of", AS_OF, "--rules", root, "--log", log)
    shutil.rmtree(root)  # gone: the store keeps its files
    out = json.loads(rongcuo("replay", log, "--format", "json").stdout)
    assert out["decisions"] == out["certified"] > 0


def test_a_garbled_line_is_one_error_naming_it_and_the_rest_replay(tmp_path):
    log = tmp_path / "decisions.jsonl"
    rongcuo("evaluate", "cases/historical/2022", "--as-of", AS_OF, "--log", log)
    lines = log.read_bytes().splitlines(keepends=True)
    n = len(lines)
    lines[2] = lines[2][:40] + b"\n"  # truncated
    lines[4] = b'{"case": "X"}\n'  # JSON, not a decision
    log.write_bytes(b"".join(lines) + b"\xff\xfe garbage")
    run = rongcuo("replay", log, "--format", "json")
    assert run.returncode == 2
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 3
    assert "第 3 行" in errors[0] and "第 5 行" in errors[1] and f"第 {n + 1} 行" in errors[2]
    out = json.loads(run.stdout)
    assert out["decisions"] == out["certified"] == n - 2 and out["unreadable"] == 3
    en = rongcuo("replay", log, "--lang", "en")
    assert "line 3" in en.stderr and "Traceback" not in en.stderr


def test_a_missing_input_and_another_engine_are_named(tmp_path, default_rules):
    cases = [load_case(p) for p in sorted(case_files([ROOT / "cases/historical/2023"]))][:6]
    ask = Ask(default_rules, Ask(default_rules).day.fromisoformat(AS_OF))
    log = DecisionLog.at(tmp_path / "log.jsonl", tmp_path / "store", "evaluate")
    assert log.answers(ask, evaluate(ask, cases)) == 6
    entries, bad = read_log(log.path)
    assert not bad
    log.store.object(entries[0][1]["input"]).unlink()
    # the same files under another engine: a manifest naming rongcuo 0.0.1 under the digest it would have had
    stored = log.store.manifest(default_rules.sha256)
    assert stored is not None
    fake = "f" * 64
    (log.store.manifest_path(fake)).write_text(json.dumps({**stored, "sha256": fake, "engine": "rongcuo 0.0.1"}))
    entries[1][1]["rules_sha256"] = fake
    found = {r.line: r for r in replay(entries, log.store)}
    assert found[1].status == MISSING_INPUT
    assert found[2].status == ENGINE and found[2].same_otherwise is True
    assert all(found[k].status == CERTIFIED for k in range(3, 7))


def test_concurrent_writers_never_interleave_lines(tmp_path):
    log = tmp_path / "log.jsonl"
    big = b'{"x": "' + b"a" * 20_000 + b'"}\n'

    def write(k: int) -> None:
        append_lines(log, [big.replace(b"a", str(k).encode(), 1)] * 50)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = log.read_bytes().splitlines()
    assert len(lines) == 400 and all(json.loads(line)["x"].endswith("a") for line in lines)


def test_the_service_logs_its_decisions_and_they_replay(tmp_path, rulesets):
    log = DecisionLog.at(tmp_path / "served.jsonl", None, "serve")
    client = TestClient(create_app(Service(rulesets, "default", Limits(), log=log)))
    case = json.loads(json.dumps(case_json(load_case(ROOT / "measure/golden/g-a11-p1-i6.yaml"))))
    assert client.post("/v1/evaluate", json=case, params={"as_of": AS_OF}).status_code == 200
    body = "\n".join(json.dumps({**case, "id": f"S-{i}"}) for i in range(3))
    assert client.post("/v1/batch", content=body, params={"as_of": AS_OF, "profile": "strict"}).status_code == 200
    lines = _lines(log.path)
    assert [x["source"] for x in lines] == ["serve"] * 4 and {x["profile"] for x in lines} == {"default", "strict"}
    out = json.loads(rongcuo("replay", log.path, "--format", "json").stdout)
    assert out["decisions"] == out["certified"] == 4


def test_under_an_amendment_each_changed_decision_has_the_class_diff_reports(tmp_path):
    """`replay LOG --under DRAFT` labels each decision that would change with the class `rongcuo diff` gives
    its change (diff.lp over the decision's case, between its logged rules and the draft): one of the
    classes the exhaustive diff lists."""
    log = tmp_path / "decisions.jsonl"
    rongcuo("evaluate", "cases/historical", "--as-of", AS_OF, "--log", log, "--format", "json")
    draft = ROOT / "measure" / "drafts" / "a12-cooperation-suffices"
    out = json.loads(rongcuo("replay", log, "--under", draft, "--format", "json").stdout)
    diff = json.loads(rongcuo("diff", "profile:default", draft, "--format", "json").stdout)
    listed = [(c["old"], c["new"], c["changes"]) for c in diff["classes"]]
    assert out["changed"]
    for c in out["changed"]:
        assert (c["diff"]["old"], c["diff"]["new"]) == (c["old"], c["new"])
        assert (c["diff"]["old"], c["diff"]["new"], c["diff"]["changes"]) in listed
    text = rongcuo("replay", log, "--under", draft).stdout
    assert "差异类（同 rongcuo diff）：无容错情形（依规追责） → 从轻、减轻处理：新增结论：从轻、减轻处理" in text


# -------------------------------------------------------------------------------- timeline decisions

SWITCH = "2025-07-01"  # the illustrative timeline's made-up amendment takes effect (v2021 → v2025_illustrative)
TIMED = {  # case id → (conduct, decision): both sides of the switch, across it, and across the repeal
    "T-BEFORE": ("2025-03-01", "2025-05-01"),  # v2021 alone
    "T-ACROSS": ("2025-03-01", "2025-09-01"),  # v2021 at the conduct, the lenient v2025 at the decision
    "T-AFTER": ("2025-08-01", "2025-08-15"),  # v2025 alone
    "T-REPEAL": ("2025-10-01", "2026-02-01"),  # v2025 at the conduct, the harsher v2026 at the decision
    "T-UNDATED": (None, "2025-09-01"),  # no conduct date: the version of the determination
}


def _timed_cases(folder: Path) -> Path:
    folder.mkdir()
    for case, (conduct, decision) in TIMED.items():
        dates = {"decision": decision} | ({"conduct": conduct} if conduct else {})
        data = {"id": case, "facts": {"enforcement_personnel": True, "cooperated_with_investigation": True}}
        (folder / f"{case}.json").write_text(json.dumps({**data, "dates": dates}), "utf-8")
    return folder


def _timeline_log(tmp_path: Path, timeline: str | Path = "illustrative") -> tuple[Path, list[dict]]:
    log = tmp_path / "decisions.jsonl"
    run = rongcuo(
        "evaluate", _timed_cases(tmp_path / "in"), "--timeline", timeline, "--as-of", "2026-06-01", "--log", log,
        "--format", "json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    answers = {a["case"]: a for a in map(json.loads, run.stdout.splitlines())}
    return log, [{**line, "answer_json": answers[line["case"]]} for line in _lines(log)]


def test_timeline_decisions_name_their_version_and_replay_certified(tmp_path):
    """`evaluate --timeline --log`: each decision names the version it applied and why, that version's
    rule set, the timeline file's digest, the timeline's and its Q12 reading; replay re-derives it under
    the timeline rebuilt from the store (Q12 again in clingo) and certifies it byte for byte."""
    import hashlib

    from rongcuo import timeline

    log, lines = _timeline_log(tmp_path)
    by_case = {line["case"]: line for line in lines}
    assert {c: line["version"] for c, line in by_case.items()} == {
        "T-BEFORE": "v2021",
        "T-ACROSS": "v2025_illustrative",
        "T-AFTER": "v2025_illustrative",
        "T-REPEAL": "v2025_illustrative",
        "T-UNDATED": "v2025_illustrative",
    }
    assert by_case["T-ACROSS"]["version_reason"] == "later_more_favourable"
    line = timeline.load("illustrative")
    versions = {s.id: s.rules.sha256 for s in line.spans}
    source = hashlib.sha256(timeline.illustrative_timeline().read_bytes()).hexdigest()
    for entry in lines:
        assert entry["rules_sha256"] == versions[entry["version"]]  # the rule set of the version applied
        assert entry["timeline"] == source and entry["q12"] == "q12_lenient"
        assert entry["timeline_sha256"] == entry["answer_json"]["rules_sha256"] == line.sha256
        assert entry["version_reason"] == entry["answer_json"]["version_reason"]
    store = Store(default_store(log))
    assert store.get(source) == timeline.illustrative_timeline().read_bytes()
    assert store.timeline_manifest(line.sha256) is not None
    assert all(store.manifest(sha) is not None for sha in versions.values())  # every version's, even one unused
    out = json.loads(rongcuo("replay", log, "--format", "json").stdout)
    assert out["decisions"] == out["certified"] == len(TIMED) and out["differ"] == []


def test_timeline_batch_decisions_replay_certified(tmp_path):
    folder = _timed_cases(tmp_path / "in")
    log, store = tmp_path / "batch.jsonl", tmp_path / "store"
    run = rongcuo(
        "batch", folder, "--out", tmp_path / "out", "--timeline", "illustrative", "--as-of", "2026-06-01",
        "--workers", "1", "--log", log, "--store", store,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = _lines(log)
    assert len(lines) == len(TIMED) and {line["version"] for line in lines} == {"v2021", "v2025_illustrative"}
    run = rongcuo("replay", log, "--store", store, "--format", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    out = json.loads(run.stdout)
    assert out["decisions"] == out["certified"] == len(TIMED)


def test_a_timeline_file_edited_after_logging_still_replays_from_the_store(tmp_path):
    draft = ROOT / "measure" / "drafts" / "a12-cooperation-suffices"
    path = tmp_path / "versions.yaml"
    text = f"versions:\n  - id: old\n    until: {SWITCH}\n  - id: new\n    from: {SWITCH}\n    rules: {draft}\n"
    path.write_text(text, "utf-8")
    log, lines = _timeline_log(tmp_path, path)
    assert {line["version"] for line in lines} == {"old", "new"}
    path.write_text(text.replace(SWITCH, "2025-01-01"), "utf-8")  # the file changed: the store kept its copy
    out = json.loads(rongcuo("replay", log, "--format", "json").stdout)
    assert out["decisions"] == out["certified"] == len(TIMED)


def test_an_altered_version_or_timeline_file_in_the_store_names_the_decisions_of_that_timeline(tmp_path):
    """A version's rule file altered in the store (its object no longer what its name says): every decision
    of that timeline is named, with the version whose rule set is missing (their answers' digest covers
    every version); a plain decision in the same log still certifies. The timeline file altered: the same,
    naming the timeline."""
    log, lines = _timeline_log(tmp_path)
    rongcuo("evaluate", "cases/historical/2021", "--as-of", AS_OF, "--log", log)  # plain decisions beside them
    plain = len(_lines(log)) - len(TIMED)
    store = Store(default_store(log))
    amended = next(line["rules_sha256"] for line in lines if line["version"] == "v2025_illustrative")
    manifest = store.manifest(amended)
    assert manifest is not None
    (rule,) = [f for f in manifest["files"] if f["path"] == "rules/a12_mitigation.lp"]
    obj = store.object(rule["sha256"])
    original = obj.read_bytes()
    obj.write_bytes(original + b"\n% altered\n")
    run = rongcuo("replay", log, "--format", "json")
    assert run.returncode == 1
    out = json.loads(run.stdout)
    assert out["certified"] == plain > 0
    assert {(d["case"], d["status"], d["detail"]) for d in out["differ"]} == {
        (case, "missing_rules", "version:v2025_illustrative") for case in TIMED
    }
    assert "时间线版本 v2025_illustrative 的规则集缺失" in rongcuo("replay", log).stdout
    obj.write_bytes(original)
    timeline_file = store.object(lines[0]["timeline"])
    timeline_file.write_bytes(timeline_file.read_bytes() + b"# altered\n")
    out = json.loads(rongcuo("replay", log, "--format", "json").stdout)
    assert {(d["case"], d["detail"]) for d in out["differ"]} == {(case, "timeline") for case in TIMED}
    assert (
        "the timeline (its manifest or versions file) is not in the store"
        in rongcuo("replay", log, "--lang", "en").stdout
    )


def test_under_another_rule_set_a_timeline_decision_is_classed_from_its_versions_rules(tmp_path):
    """`replay --under`: a timeline decision is compared with the rule set of the version it applied."""
    log, lines = _timeline_log(tmp_path)
    out = json.loads(rongcuo("replay", log, "--under", "measure", "--format", "json").stdout)
    changed = {c["case"]: (c["old"], c["new"]) for c in out["changed"]}
    # the bundled rules (v2021) do not mitigate on cooperation alone: the decisions under the amendment change
    expected = {
        line["case"]: (line["disposition"], "none") for line in lines if line["version"] == "v2025_illustrative"
    }
    assert expected and changed == expected
