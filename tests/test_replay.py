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
