"""`rongcuo batch`: every record accounted for, resumable, deterministic, the same answers as `evaluate`."""

import csv
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rongcuo.batch.recurrence import Occurrences, alerts
from rongcuo.batch.summary import CAP
from rongcuo.cli import app
from rongcuo.engine import RuleSet
from rongcuo.engine.corpus import recurrences
from rongcuo.model import vocabulary as vocab
from rongcuo.model.files import load_case
from rongcuo.present.render import markdown_text

from .conftest import ROOT, rongcuo

HISTORICAL = ROOT / "cases" / "historical"
AS_OF = "2026-06-30"
POSITION = ("source", "line", "row", "status")


def batch(*args, ok=True):
    """A batch run; ``ok``: it ran to the end (exit 0, or 1 when some records were rejected)."""
    run = CliRunner().invoke(app, ["batch", *map(str, args), "--as-of", AS_OF])
    if ok:
        assert run.exit_code in (0, 1), run.output
    return run


def results(out):
    return [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def outputs(out):
    return {name: (out / name).read_bytes() for name in ("results.jsonl", "report.md", "report.html")}


def historical_records(limit=None):
    paths = sorted(HISTORICAL.rglob("*.yaml"))[:limit]
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records), encoding="utf-8")
    return path


def csv_row(record):
    row = {k: record.get(k) or "" for k in ("id", "field", "error_type", "recorded_decision", "narrative")}
    subject = record.get("subject") or {}
    row["subject.name"], row["subject.unit"] = subject.get("name") or "", subject.get("unit") or ""
    row.update({k: str(v) for k, v in record.get("dates", {}).items()})
    row.update({f: v if isinstance(v, str) else str(v).lower() for f, v in record.get("facts", {}).items()})
    return row


def write_csv(path, records, header=None, row=csv_row):
    header = header or [
        "id",
        "subject.name",
        "subject.unit",
        "field",
        "error_type",
        "recorded_decision",
        "narrative",
        *vocab.date_keys(),
        *vocab.fact_ids(),
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(row(r) for r in records)
    return path


def without_position(line):
    return {k: v for k, v in line.items() if k not in POSITION}


@pytest.fixture(scope="module")
def historical(tmp_path_factory):
    out = tmp_path_factory.mktemp("historical")
    run = batch(HISTORICAL, "--out", out, "--workers", "2")
    return out, run.stdout  # the summary; stderr has the log lines (progress, the report phase)


def test_the_bundled_corpus_is_all_accounted_for(historical):
    out, printed = historical
    lines = results(out)
    assert len(lines) == len(list(HISTORICAL.rglob("*.yaml"))) == 340
    assert printed.startswith("340 条记录：已评估 340 条，未评估 0 条 → ")
    assert [line["source"] for line in lines] == sorted(line["source"] for line in lines)
    report = (out / "report.md").read_text(encoding="utf-8")
    for heading in (
        "处理结论分布",
        "与原认定的比对",
        "不一致的案件及原因",
        "含未知事实的记录",
        "易错情形警示（第十八条）",
        "告知逾期（第十四条）",
        "整改逾期（第十七条）",
        "涉嫌违法犯罪未移送公安机关（第九条）",
        "被拒绝的记录",
    ):
        assert f"## {heading}" in report
    assert not (out / ".rongcuo-batch").exists()


def test_agreement_is_the_recorded_decision_against_the_disposition(historical):
    out, _ = historical
    for line in results(out):
        recorded, world = line["recorded_decision"], line.get("open_world")
        possible = set(world["dispositions"]) if world else {line["disposition"]}
        expected = (
            None
            if recorded is None
            else "disagree"
            if recorded not in possible
            else "agree"
            if len(possible) == 1
            else "undetermined"
        )
        assert line["agreement"] == expected, line["case"]
    disagreeing = {line["case"] for line in results(out) if line["agreement"] == "disagree"}
    planted = {
        row["id"]
        for row in csv.DictReader((ROOT / "benchmarks/corpus_source/manifest.csv").open())
        if row["consistent_default"] == "no"
    }
    assert disagreeing == planted


def test_every_disagreement_is_explained_with_the_clauses_quoted(historical):
    out, _ = historical
    report = (out / "report.md").read_text(encoding="utf-8")
    section = report.split("## 不一致的案件及原因")[1].split("## 含未知事实的记录")[0]
    for line in results(out):
        if line["agreement"] == "disagree" and "open_world" not in line:
            assert line["case"] in section
    # NM-2021-016: recorded exempt; a13 excludes it and blocks the a11 exemption.
    group = next(g for g in section.split("\n### ") if "NM-2021-016" in g)
    assert "原认定“容错免责”，规则结论“不予容错”" in group
    assert "本可得出“容错免责”，但被阻却：第十三条" in group
    assert "> **第十三条** 执法人员履行职责过程中违反法定的职责范围和法定程序的，不予容错。" in group


def test_batch_equals_evaluate_case_by_case(historical):
    """rongcuo batch applies the law's timeline by default (issue 18.3): each line is evaluate --timeline
    bundled's answer, and, but for the version it names and the timeline's digest, the rule set's own."""
    out, _ = historical
    evaluated = rongcuo("evaluate", HISTORICAL, "--format", "json", "--as-of", AS_OF, "--timeline", "bundled")
    by_evaluate = {json.loads(line)["case"]: json.loads(line) for line in evaluated.stdout.splitlines()}
    lines = results(out)
    assert len(by_evaluate) == len(lines)
    for line in lines:
        assert {k: line[k] for k in by_evaluate[line["case"]]} == by_evaluate[line["case"]]
        assert line["version"] == "v2021" and line["versions_consulted"] == []
    report = (out / "report.md").read_text("utf-8")
    assert f"| `v2021` | {len(lines)} |" in report  # unknown facts or not
    assert f"| 规则集 | `{lines[0]['rules']}`" in report  # the timeline's digest, as the lines name it
    rules = RuleSet.load("default")
    timed = {"rules", "rules_sha256"}  # the timeline's digest under a timeline
    for line in lines[::17]:  # one grounding per case, not one per chunk
        case = load_case(Path(line["source"]))
        alone = rules.evaluate([case], as_of=dt.date.fromisoformat(AS_OF))[0].to_json()
        assert {k: line[k] for k in alone if k not in timed} == {k: v for k, v in alone.items() if k not in timed}


def test_at_date_evaluates_every_record_under_the_version_in_force_that_day(tmp_path):
    """`batch --at-date DATE`: the rule set of the version in force on DATE for every record, as one rule
    set (no version named); of the illustrative timeline with --timeline."""
    folder = tmp_path / "in"
    folder.mkdir()
    case = {"id": "C", "facts": {"enforcement_personnel": True, "cooperated_with_investigation": True}}
    (folder / "c.yaml").write_text(yaml.safe_dump({**case, "dates": {"conduct": dt.date(2025, 3, 1)}}), "utf-8")
    plain = rongcuo(
        "batch", folder, "--out", tmp_path / "plain", "--workers", "1", "--as-of", AS_OF, "--at-date", AS_OF
    )
    assert plain.returncode == 0, plain.stderr
    (line,) = results(tmp_path / "plain")
    assert "version" not in line and line["rules"] == RuleSet.load("default").digest
    amended = rongcuo(
        "batch", folder, "--out", tmp_path / "amended", "--workers", "1", "--as-of", AS_OF,
        "--at-date", "2025-09-01", "--timeline", "illustrative",
    )  # fmt: skip
    assert amended.returncode == 0, amended.stderr
    (line,) = results(tmp_path / "amended")
    assert "version" not in line and line["disposition"] == "mitigated"  # the made-up amendment's answer
    timed = rongcuo(
        "batch", folder, "--out", tmp_path / "timed", "--workers", "1", "--as-of", AS_OF, "--timeline", "illustrative"
    )
    assert timed.returncode == 0, timed.stderr
    (line,) = results(tmp_path / "timed")
    assert (line["version"], line["disposition"]) == ("v2021", "none")  # conduct and determination under v2021
    both = rongcuo("batch", folder, "--out", tmp_path / "x", "--at-date", AS_OF, "--rules", "measure")
    assert both.returncode == 2 and "--at-date" in both.stderr and len(both.stderr.strip().splitlines()) == 1


def test_counts_in_equal_counts_out_with_corrupted_records(tmp_path):
    good = historical_records(30)
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a-good.yaml").write_text(yaml.safe_dump(good[0], allow_unicode=True), encoding="utf-8")
    (folder / "b-bad.yaml").write_text("id: X\nfacts: {enforcement_personnel: true\n", encoding="utf-8")
    lines = [json.dumps(r, ensure_ascii=False, default=str) for r in good[1:]]
    bad = [
        json.dumps({"id": "BAD-FACT", "facts": {"major_los": True}}),
        json.dumps({"id": "BAD-DATE", "dates": {"decision": "2024-02-30"}}),
        json.dumps(
            {
                "id": "CONTRA",
                "facts": {
                    "enforcement_personnel": True,
                    "performed_per_statutory_duty": True,
                    "violated_statutory_procedure": True,
                },
            }
        ),
        json.dumps(
            {**good[1], "narrative": "a second record with the first one's id"}, default=str, ensure_ascii=False
        ),
        "[1, 2, 3]",
        "",
        "   ",
    ]
    mixed = [x for pair in zip(lines, bad + [""] * len(lines), strict=False) for x in pair]
    text = "\n".join(mixed) + "\n" + '{"id": "TRUNC", "facts": {"enforcement_perso'
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_bytes(text.encode() + b"\n" + b'{"id": "\xff\xfe"}\n')
    out = tmp_path / "out"
    run = batch(folder, jsonl, "--out", out, "--workers", "2", "--chunk-size", "7")
    assert run.exit_code == 1  # records were rejected; everything is written
    records = 2 + sum(1 for line in mixed if line.strip()) + 2
    got = results(out)
    assert len(got) == records
    evaluated = [r for r in got if r["status"] == "evaluated"]
    rejected = [r for r in got if r["status"] == "rejected"]
    assert len(evaluated) + len(rejected) == records
    assert run.stdout.startswith(f"{records} 条记录：已评估 {len(evaluated)} 条，未评估 {len(rejected)} 条")
    # One of each kind, by its catalogue key; the reasons in zh, the language a batch without --lang has.
    by_code = {r["code"]: r for r in rejected}
    assert len(rejected) == 8 and len(by_code) == 8
    # the mapping left open on line 2 (the file ends on line 3): where it began is where to look
    assert by_code["errors.not_yaml"]["reason"].startswith(f"{folder / 'b-bad.yaml'}: 第 2 行: 不是格式正确的 YAML")
    unknown = by_code["errors.unknown_fact"]
    assert unknown["case"] == "BAD-FACT" and unknown["field"] == "facts.major_los"
    assert unknown["reason"].endswith("facts.major_los: 未知的事实编号 — 是否指 major_loss（造成重大损失）？")
    not_a_date = by_code["errors.not_a_date"]
    assert not_a_date["field"] == "dates.decision" and "dates.decision: '2024-02-30' 不是日期" in not_a_date["reason"]
    contradiction = by_code["errors.contradiction"]["reason"]
    assert "performed_per_statutory_duty" in contradiction and "violated_statutory_procedure" in contradiction
    assert "相互矛盾" in contradiction
    twice = by_code["errors.duplicate_id"]
    assert twice["case"] == good[1]["id"] and twice["field"] == "id" and str(jsonl) in twice["reason"]
    assert "编号须唯一" in twice["reason"]
    assert by_code["errors.not_a_case"]["field"] == "(case)"
    assert ": （案件）: 案件须为映射" in by_code["errors.not_a_case"]["reason"]
    assert "不是格式正确的 JSON" in by_code["errors.not_json"]["reason"]
    assert "不是 UTF-8 文本" in by_code["errors.not_utf8"]["reason"]
    for r in rejected:
        assert r["source"] and (r["source"].endswith(".yaml") or r["line"] >= 1)
        assert r["reason"].startswith(f"{r['source']} 第 {r['line']} 行: " if "line" in r else f"{r['source']}: ")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert f"记录总数 | {records} = 评估 {len(evaluated)} + 拒绝 {len(rejected)}" in report
    assert all(markdown_text(r["reason"]) in report for r in rejected)


def test_csv_and_jsonl_of_the_same_cases_give_the_same_results(tmp_path):
    records = historical_records()[::9] + [r for r in historical_records() if "unknown" in r.get("facts", {}).values()]
    a, b = tmp_path / "a", tmp_path / "b"
    batch(write_jsonl(tmp_path / "cases.jsonl", records), "--out", a, "--workers", "1")
    batch(write_csv(tmp_path / "cases.csv", records), "--out", b, "--workers", "1")
    assert [without_position(r) for r in results(a)] == [without_position(r) for r in results(b)]
    assert {r["row"] for r in results(b)} == set(range(2, len(records) + 2))


def test_a_mapping_file_reads_other_csv_layouts(tmp_path):
    records = historical_records(40)
    columns = {
        "编号": "id",
        "领域": "field",
        "问题类型": "error_type",
        "原认定": "recorded_decision",
        **{f"日期:{k}": f"dates.{k}" for k in vocab.date_keys()},
        **{vocab.label("facts", f): f"facts.{f}" for f in vocab.fact_ids()},
    }
    decisions = {"容错免责": "exempt", "从轻减轻": "mitigated"}
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "true: [是]\nfalse: [否]\nunknown: [不详]\nignore: [备注]\n"
        + yaml.safe_dump({"columns": columns, "decisions": decisions}, allow_unicode=True),
        encoding="utf-8",
    )
    words = {True: "是", False: "否", "unknown": "不详"}
    back = {v: k for k, v in decisions.items()}

    def row(record):
        cells = {
            "编号": record["id"],
            "领域": record.get("field"),
            "问题类型": record.get("error_type"),
            "原认定": back.get(record.get("recorded_decision"), record.get("recorded_decision")),
            "备注": "x",
        }
        cells.update({f"日期:{k}": str(v) for k, v in record.get("dates", {}).items()})
        cells.update({vocab.label("facts", f): words[v] for f, v in record.get("facts", {}).items()})
        return cells

    plain = [{k: v for k, v in r.items() if k not in ("subject", "narrative")} for r in records]
    a, b = tmp_path / "a", tmp_path / "b"
    batch(write_jsonl(tmp_path / "cases.jsonl", plain), "--out", a, "--workers", "1")
    batch(
        write_csv(tmp_path / "cases.csv", records, ["备注", *columns], row),
        "--mapping",
        mapping,
        "--out",
        b,
        "--workers",
        "1",
    )
    assert [without_position(r) for r in results(a)] == [without_position(r) for r in results(b)]


def test_same_input_same_bytes_whatever_the_workers_and_chunks(tmp_path):
    cases = write_jsonl(tmp_path / "cases.jsonl", historical_records())
    batch(cases, "--out", tmp_path / "a", "--workers", "1", "--chunk-size", "50")
    batch(cases, "--out", tmp_path / "b", "--workers", "2", "--chunk-size", "50")
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_a_killed_run_resumed_equals_a_clean_run(tmp_path):
    # A real process: it is killed (SIGKILL, its whole process group) half-way and resumed by another.
    known = [r for r in historical_records() if "unknown" not in r.get("facts", {}).values()]
    cases = write_jsonl(tmp_path / "cases.jsonl", known * 3)  # duplicate ids across chunks too
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    batch(cases, "--out", clean, "--workers", "2", "--chunk-size", "40")
    command = [sys.executable, "-m", "rongcuo", "batch", cases, "--out", killed, "--chunk-size", "40", "--as-of", AS_OF]
    proc = subprocess.Popen([*command, "--workers", "1"], cwd=ROOT, start_new_session=True)
    journal = killed / ".rongcuo-batch" / "journal.jsonl"
    deadline = time.monotonic() + 60
    while not (journal.exists() and journal.read_bytes().count(b"\n") >= 5) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / "results.jsonl").exists()
    with journal.open("ab") as f:
        f.write(b'{"chunk": 99, "resul')  # a journal line cut short by the kill
    finished = subprocess.run([*command, "--workers", "2", "--resume"], cwd=ROOT, capture_output=True, text=True)
    assert finished.returncode == 1, finished.stderr  # the generated corpus has rejected records
    assert outputs(killed) == outputs(clean)


def test_resume_refuses_a_run_with_other_settings(tmp_path):
    cases = write_jsonl(tmp_path / "cases.jsonl", historical_records(20))
    out = tmp_path / "out"
    (out / ".rongcuo-batch").mkdir(parents=True)
    (out / ".rongcuo-batch" / "manifest.json").write_text(json.dumps({"profile": "strict"}))
    run = batch(cases, "--out", out, "--resume", ok=False)
    changed = re.search(f"{re.escape(str(out))} 中未完成的运行在 (.*) 上不同，请去掉 --resume 重新开始", run.output)
    assert run.exit_code == 2 and changed and "profile" in changed[1].split("、"), run.output
    run = batch(cases, "--out", out, "--resume", "--lang", "en", ok=False)
    assert run.exit_code == 2 and "differs in" in run.output and "without --resume" in run.output


def test_a_run_begun_without_a_timeline_is_resumed_with_at_date(tmp_path, monkeypatch):
    """A run begun before batch applied the law's timeline by default (its manifest names no timeline) is
    not resumed under the timeline, which would mix two evaluations; the refusal says how to resume it, and
    --at-date gives the manifest such a run has."""
    from rongcuo.batch.workdir import WorkDir

    cases = write_jsonl(tmp_path / "cases.jsonl", historical_records(20))
    written: list[dict] = []
    opened = WorkDir.open

    def recording(self, manifest, resume):
        written.append(manifest)
        return opened(self, manifest, resume)

    monkeypatch.setattr(WorkDir, "open", recording)
    for out, *at in ((tmp_path / "now",), (tmp_path / "then", "--at-date", "2024-01-01")):
        batch(cases, "--out", out, *at, ok=False)  # the generated records hold rejected ones: exit 1
    under_timeline, at_date = written
    assert under_timeline["timeline"] == "bundled" and at_date == {**under_timeline, "timeline": None}
    out = tmp_path / "old"
    (out / ".rongcuo-batch").mkdir(parents=True)
    (out / ".rongcuo-batch" / "manifest.json").write_text(json.dumps(at_date))
    run = batch(cases, "--out", out, "--resume", ok=False)
    assert run.exit_code == 2 and "未按时间轴评估：以 --at-date 日期 --resume 续跑" in run.output, run.output
    (out / ".rongcuo-batch" / "manifest.json").write_text(json.dumps({**at_date, "lang": "en"}))
    run = batch(cases, "--out", out, "--resume", "--lang", "en", ok=False)
    assert run.exit_code == 2 and "without a timeline — resume it with --at-date DATE --resume" in run.output


def test_a18_is_computed_over_the_whole_batch_not_per_chunk(tmp_path):
    days = ["2024-01-10", "2024-05-01", "2024-12-30", "2025-06-01"]
    cases = [
        {
            "id": f"R{i}",
            "error_type": "漏检隐患",
            "field": f"F{i}",
            "facts": {"enforcement_personnel": True},
            "dates": {"conduct": d},
        }
        for i, d in enumerate(days)
    ]
    out = tmp_path / "out"
    batch(write_jsonl(tmp_path / "cases.jsonl", cases), "--out", out, "--chunk-size", "1", "--workers", "2")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| 问题类型 | 漏检隐患 | 2024-01-10 — 2024-12-30 | 3 | R0、R1、R2 |" in report
    assert "领域 | F0" not in report
    batch(tmp_path / "cases.jsonl", "--out", out, "--recurrence-threshold", "4")
    assert "没有达到警示标准的领域或问题类型。" in (out / "report.md").read_text(encoding="utf-8")


def test_a18_counts_only_records_in_scope(tmp_path):
    """a2: three records of one error type, one of them out of scope, are two that count — no warning;
    a third in scope makes one, naming the three in scope and not the other."""
    record = {"error_type": "漏检隐患", "facts": {"enforcement_personnel": True}}
    cases = [
        {**record, "id": "IN1", "dates": {"conduct": "2024-01-10"}},
        {**record, "id": "OUT", "facts": {}, "dates": {"conduct": "2024-02-10"}},
        {**record, "id": "IN2", "dates": {"conduct": "2024-03-10"}},
    ]
    out = tmp_path / "out"
    batch(write_jsonl(tmp_path / "cases.jsonl", cases), "--out", out, "--chunk-size", "1")
    assert "没有达到警示标准的领域或问题类型。" in (out / "report.md").read_text(encoding="utf-8")
    cases.append({**record, "id": "IN3", "dates": {"conduct": "2024-04-10"}})
    batch(write_jsonl(tmp_path / "cases.jsonl", cases), "--out", out, "--chunk-size", "1")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| 问题类型 | 漏检隐患 | 2024-01-10 — 2024-04-10 | 3 | IN1、IN2、IN3 |" in report


def test_dates_out_of_order_are_rejected_records_naming_both_keys(tmp_path):
    exempt = {"enforcement_personnel": True, "inspection_target_concealed": True}
    cases = [
        {"id": "OK", "facts": exempt, "dates": {"decision": "2024-03-20", "notified": "2024-03-22"}},
        {"id": "EARLY", "facts": exempt, "dates": {"decision": "2024-03-20", "notified": "2024-03-10"}},
        {
            "id": "SHORTER",
            "facts": exempt,
            "dates": {"correction_deadline": "2024-05-31", "extended_deadline": "2024-05-20"},
        },
    ]
    out = tmp_path / "out"
    batch(write_jsonl(tmp_path / "cases.jsonl", cases), "--out", out, "--lang", "en")
    ok, early, shorter = results(out)  # in input order
    assert ok["status"] == "evaluated" and ok["case"] == "OK"
    assert early["status"] == shorter["status"] == "rejected"
    assert early["code"] == shorter["code"] == "errors.dates_before"
    assert early["field"] == "dates.notified" and "notified 2024-03-10 is before decision 2024-03-20" in early["reason"]
    assert shorter["field"] == "dates.extended_deadline"
    assert "extended_deadline 2024-05-20 is before correction_deadline 2024-05-31" in shorter["reason"]
    assert early["reason"].startswith(f"{tmp_path / 'cases.jsonl'} line 2: dates.notified: ")


def test_recurrence_periods_from_label_counts():
    rules = RuleSet.load("default", corpus=True)
    day = dt.date(2024, 1, 1)
    counts = {
        ("field", "食品安全", day): 2,
        ("field", "食品安全", day + dt.timedelta(days=300)): 1,
        ("field", "食品安全", day + dt.timedelta(days=1000)): 5,
        ("field", "广告监管", day): 2,
    }
    found = recurrences(rules, counts, threshold=3, window=365)
    assert [(r.kind, r.key, r.first, r.last, r.cases) for r in found] == [
        ("field", "食品安全", day, day + dt.timedelta(days=300), 3),
        ("field", "食品安全", day + dt.timedelta(days=1000), day + dt.timedelta(days=1000), 5),
    ]


def test_a_warning_lists_its_first_cases_in_input_order_and_counts_them_all():
    """The count is the rules' (Recurrence.cases); the list keeps the first CAP cases, read across chunks."""
    start = dt.date(2024, 1, 1)
    rows = [
        [f"C{i:03}", "食品安全" if i % 2 else None, "漏检隐患", (start + dt.timedelta(days=i % 200)).isoformat()]
        for i in range(300)
    ]
    rows.append(["LAST", None, "超越职权", "2020-01-01"])  # alone: no warning
    chunks = [rows[i : i + 40] for i in range(0, len(rows), 40)]
    occurrences = Occurrences()
    for chunk in chunks:
        occurrences.add(chunk)
    (found,) = alerts(occurrences, lambda: iter(chunks), [RuleSet.load("default", corpus=True)], 3, 365)
    by_key = {a.recurrence.key: a for a in found}
    assert set(by_key) == {"食品安全", "漏检隐患"}
    assert by_key["漏检隐患"].cases.count == 300 == by_key["漏检隐患"].recurrence.cases
    assert by_key["漏检隐患"].cases.items == [f"C{i:03}" for i in range(CAP)]
    assert by_key["食品安全"].cases.count == 150
    assert by_key["食品安全"].cases.items == [f"C{i:03}" for i in range(1, 2 * CAP, 2)]


def test_comparing_two_profiles_reports_the_changes(tmp_path):
    out = tmp_path / "out"
    batch(HISTORICAL, "--out", out, "--compare-profile", "literal", "--lang", "en")
    lines = results(out)
    changed = [r for r in lines if r["changed"]]
    assert changed and all(r["compared"]["profile"] == "literal" for r in lines)
    assert all(r["compared"]["disposition"] != r["disposition"] for r in changed if "open_world" not in r)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Changes between the two rule sets" in report
    assert f"{len(changed)} of {len(lines)} cases change their disposition." in report


def test_the_html_report_is_one_self_contained_page(historical, tmp_path):
    out, _ = historical
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=|url\(|@import|<script""", page)
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) >= 4
    for svg in svgs:
        ET.fromstring(svg)  # well-formed
    hostile = {
        "id": "<script>alert(1)</script>",
        "field": "a|b<i>",
        "error_type": "x",
        "recorded_decision": "none",
        "dates": {"conduct": "2024-01-01"},
        "facts": {"enforcement_personnel": True},
    }
    others = [{**hostile, "id": f"N{i}", "recorded_decision": "exempt"} for i in range(3)]
    batch(write_jsonl(tmp_path / "h.jsonl", [hostile, *others]), "--out", tmp_path / "h")
    page = (tmp_path / "h" / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "a|b&lt;i&gt;" in page
    assert "a\\|b&lt;i\\>" in (tmp_path / "h" / "report.md").read_text(encoding="utf-8")


def test_bad_inputs_stop_before_the_run(tmp_path):
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("id,major_los\nA,true\n", encoding="utf-8")
    run = batch(csv_path, "--out", tmp_path / "o", ok=False)
    assert run.exit_code == 2
    assert f"{csv_path}: 列 'major_los': 不是案件字段、日期键或事实编号 — 是否指 major_loss？" in run.output
    run = batch(csv_path, "--out", tmp_path / "o", "--lang", "en", ok=False)
    assert run.exit_code == 2
    assert "column 'major_los': not a case field, date key or fact id — did you mean major_loss?" in run.output
    assert batch(tmp_path / "missing.jsonl", "--out", tmp_path / "o", ok=False).exit_code == 2
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {编号: identifier}\n", encoding="utf-8")
    run = batch(csv_path, "--mapping", mapping, "--out", tmp_path / "o", "--lang", "en", ok=False)
    assert run.exit_code == 2 and "columns.编号: 'identifier' is not a part of a case" in run.output
    run = batch(
        csv_path, "--out", tmp_path / "o", "--compare-profile", "literal", "--compare-rules", tmp_path, ok=False
    )
    assert run.exit_code == 2
    assert not (tmp_path / "o" / "results.jsonl").exists()


def test_a_disagreement_shows_the_smallest_change_that_gives_the_recorded_decision(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "D1",
                "recorded_decision": "exempt",
                "facts": {
                    "enforcement_personnel": True,
                    "inspection_target_concealed": True,
                    "not_prohibited_by_law": True,
                    "remedied_actively": True,
                    "major_loss": True,
                },
            }
        )
    )
    out = tmp_path / "out"
    run = rongcuo("batch", folder, "--out", out, "--as-of", "2025-01-01", cwd=None)
    assert run.returncode == 0, run.stderr
    report = (out / "report.md").read_text()
    assert "最少需改变的事实" in report and "撤销「造成重大损失」(`major_loss`)" in report


def write_xlsx(path, records, sheets=2):
    """The records as an Excel ledger: the CSV layout on ``sheets`` sheets, dates as Excel dates, facts as booleans."""
    import openpyxl

    header = ["id", "subject.name", "subject.unit", "field", "error_type", "recorded_decision", "narrative"]
    header += [*vocab.date_keys(), *vocab.fact_ids()]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for n in range(sheets):
        sheet = book.create_sheet(f"台账{n + 1}")
        sheet.append(header)
        for record in records[n::sheets]:
            cells = csv_row(record)
            dates = {k: v for k, v in record.get("dates", {}).items()}
            facts = record.get("facts", {})
            sheet.append(
                [
                    dates[k] if k in dates else facts[k] if k in facts and isinstance(facts[k], bool) else cells.get(k)
                    for k in header
                ]
            )
    book.save(path)
    return path


def test_an_excel_ledger_gives_the_results_of_the_same_cases_in_jsonl_and_a_results_xlsx(tmp_path):
    import openpyxl

    records = historical_records()[::9]
    a, b = tmp_path / "a", tmp_path / "b"
    batch(write_jsonl(tmp_path / "cases.jsonl", records[0::2] + records[1::2]), "--out", a, "--workers", "1")
    ledger = write_xlsx(tmp_path / "台账.xlsx", records)
    batch(ledger, "--out", b, "--workers", "1")
    got = results(b)
    assert [without_position(r) for r in results(a)] == [without_position(r) for r in got]
    assert got[0]["source"] == f"{ledger} sheet 台账1" and got[0]["row"] == 2
    assert got[-1]["source"] == f"{ledger} sheet 台账2"
    book = openpyxl.load_workbook(b / "results.xlsx")
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("案件编号", "来源", "行号", "状态", "原认定", "重新评估结论")
    assert len(rows) == len(got) + 1 and [r[0] for r in rows[1:]] == [r["case"] for r in got]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:K{len(got) + 1}"
    exempt = next(r for r, line in zip(rows[1:], got, strict=True) if line["disposition"] == "exempt")
    assert exempt[5] == "容错免责" and ("第十一条" in exempt[7] or "第十条" in exempt[7])


def test_a_bad_excel_row_is_rejected_with_its_sheet_and_row(tmp_path):
    import openpyxl

    records = historical_records(3)
    ledger = write_xlsx(tmp_path / "l.xlsx", records, sheets=1)
    book = openpyxl.load_workbook(ledger)
    book.active.cell(row=3, column=2 + 7 + len(vocab.date_keys()), value="perhaps")  # a fact cell
    book.save(ledger)
    out = tmp_path / "out"
    assert batch(ledger, "--out", out, "--workers", "1").exit_code == 1
    bad = [r for r in results(out) if r["status"] == "rejected"]
    assert len(bad) == 1 and bad[0]["row"] == 3 and bad[0]["source"] == f"{ledger} sheet 台账1"
    rows = list(openpyxl.load_workbook(out / "results.xlsx").active.iter_rows(values_only=True))
    assert bad[0]["code"] == "errors.not_truth_value"
    assert rows[2][3] == "未评估" and f"{ledger} sheet 台账1 第 3 行" in rows[2][10], rows[2]
    assert "'perhaps' 不是 true、false 或 unknown" in rows[2][10], rows[2]


def test_the_report_says_what_its_what_if_held_fixed(tmp_path):
    """ "No change within 4 facts" names the fact the what-if does not change; a recorded out_of_scope frees it."""
    folder = tmp_path / "in"
    folder.mkdir()
    blocked = ["exceeded_statutory_scope", "violated_statutory_procedure", "major_loss", "serious_adverse_impact"]
    records = {
        "far": {"recorded_decision": "exempt", "facts": dict.fromkeys(["enforcement_personnel", *blocked], True)},
        "out": {"recorded_decision": "out_of_scope", "facts": {"enforcement_personnel": True, "major_loss": True}},
    }
    for name, record in records.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump({"id": name, **record}))
    out = tmp_path / "out"
    run = rongcuo("batch", folder, "--out", out, "--as-of", "2025-01-01", cwd=None)
    assert run.returncode == 0, run.stderr
    report = (out / "report.md").read_text()
    assert "在至多4项事实改变内（保持不变：当事人系执法人员），规则都不会得出原认定。" in report
    assert "撤销「当事人系执法人员」(`enforcement_personnel`)" in report
    assert "保持不变：当事人系执法人员" in (out / "report.html").read_text()


def test_disagreement_groups_are_bounded_and_independent_of_the_chunk_size(monkeypatch):
    from rongcuo.batch import summary as summary_module
    from rongcuo.batch.rows import Known, Row

    monkeypatch.setattr(summary_module, "GROUPS", 3)

    def row(i: int, group: int) -> Row:
        tally = Known("none", (), "exempt", b"{}", None, None, False, None, None, lambda: "{}", f"[{group}]")
        return Row(f"C{i}", b"{}", tally)

    rows = [row(i, g) for i, g in enumerate([0, 1, 0, 2, 3, 4, 1, 3, 0, 5])]
    merged = []
    for size in (1, 3, 10):
        whole = summary_module.Summary()
        for start in range(0, len(rows), size):
            part = summary_module.Summary()
            for r in rows[start : start + size]:
                part.add(r)
            whole.merge(part)
        merged.append(({k: (v.count, v.items) for k, v in whole.disagreements.items()}, whole.untallied))
    assert merged[0] == merged[1] == merged[2]
    groups, untallied = merged[0]
    assert groups == {"[0]": (3, ["C0", "C2", "C8"]), "[1]": (2, ["C1", "C6"]), "[2]": (1, ["C3"])}
    assert untallied == 4


def test_every_disagreement_is_in_disagreements_jsonl(historical):
    out, _ = historical
    disagreeing = [d["case"] for d in results(out) if d["agreement"] == "disagree" and "open_world" not in d]
    listed = [json.loads(line) for line in (out / "disagreements.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["case"] for d in listed] == disagreeing
    assert all(d["recorded"] != d["disposition"] and d["grounds"]["recorded_outcome"] for d in listed)


def test_the_streamed_ledger_reads_back_in_openpyxl_sheet_by_sheet(tmp_path, monkeypatch):
    """results.xlsx is written as its XML parts: openpyxl reads every row back, a new sheet after ROWS rows,
    each with its frozen header and filter; a control character in a reason does not break the file."""
    import openpyxl

    from rongcuo.batch import excel

    monkeypatch.setattr(excel, "ROWS", 2)
    lines = [
        json.dumps({"case": "A", "source": "x.jsonl", "line": 1, "status": "rejected", "reason": "bad \x01 <&> "}),
        json.dumps({"case": "B", "source": "x.jsonl", "line": 2, "status": "evaluated", "disposition": "none"}),
        "",
        json.dumps({"case": "C", "source": "x.jsonl", "line": 4, "status": "evaluated", "agreement": "agree"}),
    ]
    (tmp_path / "results.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert excel.write_file(tmp_path / "results.jsonl", tmp_path / "l.xlsx", "en") == 3
    book = openpyxl.load_workbook(tmp_path / "l.xlsx")
    assert [s.title for s in book.worksheets] == ["Re-evaluation", "Re-evaluation 2"]
    first, second = (list(s.iter_rows(values_only=True)) for s in book.worksheets)
    assert first[0][0] == "Case id" and [r[0] for r in first[1:]] == ["A", "B"] and second[1][:3] == ("C", "x.jsonl", 4)
    assert first[1][10] == "bad \ufffd <&> "
    assert [(s.freeze_panes, s.auto_filter.ref) for s in book.worksheets] == [("A2", "A1:K3"), ("A2", "A1:K2")]


def test_a_results_line_from_shared_parts_is_the_line_results_line_gives():
    # The batch serialises a result's outcomes, consequences and defeated grounds once per content, as orjson
    # writes the dataclasses (worker._share); every golden case's line, dated consequences included, is the same.
    import orjson

    from rongcuo.ask import Ask, Evaluated, evaluate, results_line
    from rongcuo.batch import worker
    from rongcuo.golden import load_golden

    cases = [load_golden(path).case for path in sorted((ROOT / "measure" / "golden").glob("*.yaml"))]
    found = [a for a in evaluate(Ask(RuleSet.load("default"), dt.date(2026, 6, 30)), cases) if isinstance(a, Evaluated)]
    assert len(found) > 90 and any(a.result.consequences for a in found) and any(a.result.defeated for a in found)
    memo: dict = {}
    for n, answer in enumerate(found):
        row = worker._evaluated(worker.Record("x.jsonl", "line", n, None), answer, None, memo)
        assert row.line == orjson.dumps(results_line(answer, {"source": "x.jsonl", "line": n}))


def test_a_worker_that_cannot_load_its_rules_stops_the_run_in_one_line(tmp_path, monkeypatch):
    """The draft is gone once the main process has checked it: each worker fails to load it. A pool whose
    initializer raises starts another worker in its place for ever (the run hung, spewing tracebacks); the
    worker's first chunk says what failed instead."""
    import shutil
    import threading

    from rongcuo.batch import run as batch_run

    draft = tmp_path / "draft"
    shutil.copytree(ROOT / "measure" / "drafts" / "a12-cooperation-suffices", draft)
    locked = batch_run.locked

    def vanishing(out):
        shutil.rmtree(draft)
        return locked(out)

    monkeypatch.setattr(batch_run, "locked", vanishing)
    found = {}
    thread = threading.Thread(
        target=lambda: found.update(run=batch(HISTORICAL, "--out", tmp_path / "out", "--rules", draft, ok=False)),
        daemon=True,  # should the run hang again, the test fails and does not hang with it
    )
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the batch hung"
    run = found["run"]
    assert run.exit_code == 2
    assert run.output.count("\n") == 1 and str(draft) in run.output and "Traceback" not in run.output


def test_the_last_line_counts_one_record_in_the_singular(tmp_path):
    one = write_jsonl(tmp_path / "one.jsonl", [{"id": "A", "facts": {"enforcement_personnel": True}}])
    run = batch(one, "--out", tmp_path / "out", "--lang", "en")
    assert "1 record: 1 evaluated, 0 rejected →" in run.output, run.output
    run = batch(one, "--out", tmp_path / "zh")
    assert "1 条记录：已评估 1 条，未评估 0 条 →" in run.output, run.output
    two = write_jsonl(tmp_path / "two.jsonl", [{"id": i, "facts": {}} for i in "AB"])
    assert "2 records: 2 evaluated" in batch(two, "--out", tmp_path / "two", "--lang", "en").output


def test_a_number_too_large_in_a_jsonl_line_is_said_in_words(tmp_path):
    # orjson says "number is infinity when parsed as double" of 1e999 and of a 5,000-digit integer
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "A", "x": 1' + "0" * 5000 + "}\n" + '{"id": "B", "x": 1e999}\n', encoding="utf-8")
    batch(cases, "--out", tmp_path / "out")
    lines = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert [r["code"] for r in lines] == ["errors.not_json"] * 2
    assert all(r["reason"].endswith("第 18 列: 不是格式正确的 JSON：数字过大，无法读取") for r in lines), lines


def test_a_jsonl_line_with_an_integer_past_the_bound_is_refused_as_a_case_file_is(tmp_path):
    """orjson reads a 30-digit integer as a float: the line was rejected for its title's type, with the float
    in the reason, where evaluate refuses the same record for its integer; and a digit run in a text is fine."""
    cases = tmp_path / "cases.jsonl"
    lines = ['{"id": "A", "title": 123456789012345678901234567890}', '{"id": "B", "title": "1234567890123456789012"}']
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch(cases, "--out", tmp_path / "out", "--lang", "en")
    rows = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert [(r["status"], r.get("code")) for r in rows] == [("rejected", "errors.too_many_digits"), ("evaluated", None)]
    assert rows[0]["case"] == "A" and "e+29" not in rows[0]["reason"]
    (one := tmp_path / "a.json").write_text(lines[0], encoding="utf-8")
    evaluated = CliRunner().invoke(app, ["evaluate", str(one), "--lang", "en"])
    assert evaluated.exit_code == 2 and "an integer of more than 18 digits" in evaluated.output, evaluated.output


def test_the_ledger_made_in_the_workers_is_the_ledger_made_in_one_process(tmp_path, monkeypatch):
    """results.xlsx's rows are made segment by segment in the pool's workers and compressed in order here:
    the workbook is the one a single process writes, byte for byte, sheets split inside a segment too."""
    import multiprocessing
    import zipfile

    from rongcuo.batch import excel

    out = tmp_path / "out"
    batch(write_jsonl(tmp_path / "cases.jsonl", historical_records(40)), "--out", out)
    monkeypatch.setattr(excel, "SEGMENT", 1_500)  # a few records a segment
    monkeypatch.setattr(excel, "ROWS", 7)  # a sheet full in the middle of a segment
    assert len(excel._segments(out / "results.jsonl")) > 5
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert excel.write_file(out / "results.jsonl", tmp_path / "pool.xlsx", "zh", pool, depth=3) == 40
    assert excel.write_file(out / "results.jsonl", tmp_path / "one.xlsx", "zh") == 40
    pooled, single = (zipfile.ZipFile(tmp_path / f"{name}.xlsx") for name in ("pool", "one"))
    assert pooled.namelist() == single.namelist() and "xl/worksheets/sheet6.xml" in single.namelist()
    assert all(pooled.read(name) == single.read(name) for name in single.namelist())
