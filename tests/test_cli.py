"""The command line as a user runs it: output, exit codes, no tracebacks."""

import json
import os
import subprocess
import sys

import pytest
import yaml

from .conftest import ROOT, rongcuo

GOLDEN = ROOT / "measure" / "golden"


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


# The real process. The other tests run the commands in-process (conftest.rongcuo); these few spawn
# `python -m rongcuo`, for what only the real process shows: that `-m rongcuo` starts and helps, that a
# real evaluate prints the contract on the real stdout and exits 0, and that a refused case gives exit
# status 2 and one line on the real stderr, no traceback (written past click's streams, by a warning, a
# logging handler or a crash outside the command, it would escape an in-process run).


def test_the_real_process_starts_and_helps():
    run = rongcuo("--help", process=True)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert "rongcuo" in run.stdout and all(c in run.stdout for c in ("evaluate", "batch", "explain", "extract"))


def test_evaluate_json_has_the_contract_keys():
    run = rongcuo("evaluate", GOLDEN / "g-a11-p1-i6.yaml", "--format", "json", "--as-of", "2024-12-31", process=True)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    out = json.loads(run.stdout)
    assert list(out)[:5] == ["case", "profile", "rules", "as_of", "disposition"]
    assert out["disposition"] == "exempt"
    assert out["outcomes"][0] == {
        "outcome": "exempt",
        "modality": "may",
        "grounds": ["a11.p1.i6", "a11.p2"],
        "catch_all": False,
    }
    assert {"consequence": "correction_required", "args": [], "grounds": ["a16", "a17"]} in out["consequences"]


def test_the_real_process_refuses_a_bad_case_in_one_line(tmp_path):
    path = write(tmp_path, "bad.yaml", {"id": "A", "facts": {"major_los": True}})
    run = rongcuo("evaluate", path, process=True)  # zh, as a user gets it
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"rongcuo: {path}: facts.major_los: 未知的事实编号 — 是否指 major_loss（造成重大损失）？\n"


# In-process from here on.


def test_evaluate_several_cases_one_line_each():
    run = rongcuo("evaluate", GOLDEN / "g-a11-p1-i6.yaml", GOLDEN / "g-a2-out-of-scope.yaml", "--format", "json")
    lines = run.stdout.splitlines()
    assert [json.loads(line)["disposition"] for line in lines] == ["exempt", "out_of_scope"]


def test_evaluate_text_is_chinese_and_cites_the_measure():
    run = rongcuo("evaluate", GOLDEN / "g-a11-p1-i6.yaml")
    assert "处理结论：容错免责（可以）" in run.stdout
    assert "第十一条第一款第（六）项、第十一条第二款" in run.stdout
    assert "局党组" in run.stdout
    english = rongcuo("evaluate", GOLDEN / "g-a11-p1-i6.yaml", "--lang", "en")
    assert "Disposition: exempt" in english.stdout and "Art. 11(1)(vi)" in english.stdout


def test_profiles_answer_differently():
    case = GOLDEN / "g-q3-duty-fulfilled-vs-exclusion.yaml"
    got = {
        p: json.loads(rongcuo("evaluate", case, "--profile", p, "--format", "json").stdout)["disposition"]
        for p in ("default", "literal", "strict")
    }
    assert got == {"default": "excluded", "literal": "duty_fulfilled", "strict": "excluded"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"id": "A", "facts": {"major_los": True}}, "facts.major_los: unknown fact id — did you mean major_loss?"),
        ({"id": "A", "dates": {"decision": "2024-13-01"}}, "dates.decision: '2024-13-01' is not a date"),
        (
            {"id": "A", "facts": {"performed_per_statutory_duty": True, "violated_statutory_procedure": True}},
            "facts: performed_per_statutory_duty and violated_statutory_procedure contradict each other",
        ),
        # measure/analysis.md §5: dates out of order name both keys, both dates and the fix
        (
            {"id": "A", "dates": {"conduct": "2024-03-25", "decision": "2024-03-20"}},
            "dates.decision: decision 2024-03-20 is before conduct 2024-03-25 — correct one of the two dates "
            "(decision cannot come before conduct)",
        ),
        (
            {"id": "A", "dates": {"decision": "2024-03-20", "notified": "2024-03-19"}},
            "dates.notified: notified 2024-03-19 is before decision 2024-03-20",
        ),
        (
            {"id": "A", "dates": {"decision": "2024-03-20", "correction_deadline": "2024-03-01"}},
            "dates.correction_deadline: correction_deadline 2024-03-01 is before decision 2024-03-20",
        ),
        (
            {"id": "A", "dates": {"correction_deadline": "2024-05-31", "extended_deadline": "2024-05-31"}},
            "dates.extended_deadline: extended_deadline 2024-05-31 is not after correction_deadline 2024-05-31 — "
            "correct one of the two dates (extended_deadline must come after correction_deadline)",
        ),
    ],
)
def test_bad_case_one_line_exit_2(tmp_path, data, message):
    path = write(tmp_path, "bad.yaml", data)
    for command in (("evaluate",), ("explain",), ("whynot", "__case__", "exempt")):
        args = [path if a == "__case__" else a for a in command] + ([] if len(command) > 1 else [path])
        run = rongcuo(*args, "--lang", "en")
        assert run.returncode == 2, command
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
        assert run.stderr.startswith(f"rongcuo: {path}: ") and message in run.stderr


def test_dates_out_of_order_in_zh_name_both_keys_with_their_labels(tmp_path):
    path = write(tmp_path, "bad.yaml", {"id": "A", "dates": {"decision": "2024-03-20", "notified": "2024-03-19"}})
    run = rongcuo("evaluate", path)
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"rongcuo: {path}: dates.notified: notified（告知日期） 2024-03-19 早于 decision")
    assert "请改正其中一个日期" in run.stderr


def test_duplicate_ids_name_both_files(tmp_path):
    a = write(tmp_path, "a.yaml", {"id": "SAME"})
    b = write(tmp_path, "b.yaml", {"id": "SAME"})
    run = rongcuo("evaluate", tmp_path)
    assert run.returncode == 2
    assert f"{b}: id: 'SAME' 也是 {a} 的编号，编号须唯一" in run.stderr


def test_bad_option_values_exit_2(tmp_path):
    case = GOLDEN / "g-a11-p1-i6.yaml"
    assert rongcuo("evaluate", case, "--as-of", "tomorrow").returncode == 2
    run = rongcuo("evaluate", case, "--profile", "lenient")
    assert run.returncode == 2 and "没有解释口径 'lenient'，可用：default、literal、strict" in run.stderr
    run = rongcuo("evaluate", case, "--profile", "lenient", "--lang", "en")
    assert run.returncode == 2 and "no profile 'lenient'" in run.stderr and "default, literal, strict" in run.stderr
    assert rongcuo("evaluate", tmp_path / "missing.yaml").returncode == 2
    run = rongcuo("whatif", case, "--to", "mitigated", "--max-changes", "-1", process=True)  # was "unreachable", exit 0
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "--max-changes" in run.stderr


def test_test_command_counts_and_fails_with_a_diff(tmp_path):
    run = rongcuo("test")
    assert run.returncode == 0 and run.stdout.strip().splitlines()[-1].endswith(" passed, 0 failed")
    golden = yaml.safe_load((GOLDEN / "g-a11-p1-i6.yaml").read_text())
    golden["expect"] = {"all": {"disposition": "mitigated"}}
    path = write(tmp_path, "g.yaml", golden)
    run = rongcuo("test", path)
    assert run.returncode == 1
    assert "disposition: expected mitigated, got exempt" in run.stdout
    assert run.stdout.strip().endswith("0 passed, 3 failed")


def test_clauses_ledger_lists_every_article():
    run = rongcuo("clauses")
    assert run.returncode == 0
    for n in ("一", "十", "十一", "二十"):
        assert f"第{n}条" in run.stdout
    assert "rules/a11_tolerance.lp:" in run.stdout
    rows = [json.loads(line) for line in rongcuo("clauses", "--format", "json").stdout.splitlines()]
    assert {r["status"] for r in rows} <= {"encoded", "partly", "not_computable"}


def test_main_job_writes_a_report(tmp_path):
    out = tmp_path / "report"
    run = rongcuo("batch", GOLDEN, "--out", out, "--as-of", "2024-12-31")
    assert run.returncode == 1, run.stderr  # the contradictory golden cases are rejected; all is written
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(results) == len(list(GOLDEN.glob("*.yaml")))
    assert run.stdout.startswith(f"{len(results)} 条记录：已评估 ")
    assert "处理结论分布" in (out / "report.md").read_text() and (out / "report.html").exists()


def test_unknown_facts_give_certain_and_possible_outcomes(tmp_path):
    path = write(
        tmp_path,
        "u.yaml",
        {
            "id": "U",
            "facts": {
                "enforcement_personnel": True,
                "inspection_target_concealed": True,
                "not_prohibited_by_law": True,
                "remedied_actively": True,
                "major_loss": "unknown",
            },
        },
    )
    run = rongcuo("evaluate", path, "--format", "json")
    world = json.loads(run.stdout)["open_world"]
    assert world["possible"] == ["exempt", "mitigated"] and world["certain"] == []
    assert world["dispositions"] == {
        "exempt": {"true": [], "false": ["major_loss"], "settles": True},
        "mitigated": {"true": ["major_loss"], "false": [], "settles": True},
    }
    text = rongcuo("evaluate", path).stdout
    assert "未知事实：造成重大损失\n" in text
    assert "容错免责（若造成重大损失不成立）；从轻、减轻处理（若造成重大损失成立）" in text


def test_effective_date_flags_earlier_conduct(tmp_path):
    path = write(
        tmp_path, "old.yaml", {"id": "O", "facts": {"enforcement_personnel": True}, "dates": {"conduct": "2019-05-01"}}
    )
    flagged = rongcuo("evaluate", path, "--format", "json", "--effective-date", "2020-01-01").stdout
    assert {"consequence": "predates_measure", "args": [], "grounds": ["a20"]} in json.loads(flagged)["consequences"]
    plain = json.loads(rongcuo("evaluate", path, "--format", "json").stdout)
    assert all(c["consequence"] != "predates_measure" for c in plain["consequences"])


def test_whynot_and_whatif_take_the_effective_date_too(tmp_path):
    path = write(
        tmp_path,
        "old.yaml",
        {
            "id": "O",
            "facts": {"enforcement_personnel": True, "inspection_target_concealed": True},
            "dates": {"conduct": "2019-05-01"},
        },
    )

    def predates(result):
        return {"consequence": "predates_measure", "args": [], "grounds": ["a20"]} in result["consequences"]

    for option in ([], ["--effective-date", "2020-01-01"]):
        whynot = json.loads(rongcuo("whynot", path, "exempt", "--format", "json", *option).stdout)
        whatif = json.loads(rongcuo("whatif", path, "--to", "exempt", "--format", "json", *option).stdout)
        assert predates(whynot) == bool(option)
        assert whatif["alternatives"] and all(predates(a["result"]) == bool(option) for a in whatif["alternatives"])


# The case file's as_of: every evaluating command honours it, --as-of overrides it, and the output says which.
BEFORE_DUE = GOLDEN / "g-a14-no-notice-before-due.yaml"  # as_of 2024-06-25, not yet notified, due 2024-06-27


def test_the_case_files_as_of_is_honoured_and_overridden():
    own, asked = rongcuo("evaluate", BEFORE_DUE), rongcuo("evaluate", BEFORE_DUE, "--as-of", "2024-12-31")
    assert "评估日：2024-06-25（案件文件所载）" in own.stdout and "告知超过7日期限" not in own.stdout
    assert "评估日：2024-12-31（--as-of）" in asked.stdout and "告知超过7日期限" in asked.stdout


@pytest.mark.parametrize("command", [("explain",), ("whynot", "mitigated"), ("whatif", "--to", "mitigated")])
def test_every_evaluating_command_names_its_date(command):
    own = rongcuo(command[0], BEFORE_DUE, *command[1:])
    assert own.returncode == 0 and "评估日：2024-06-25（案件文件所载）" in own.stdout, own.stderr
    asked = rongcuo(command[0], BEFORE_DUE, *command[1:], "--as-of", "2024-12-31")
    assert "评估日：2024-12-31（--as-of）" in asked.stdout


def test_the_case_files_as_of_in_json_whatif_and_english(tmp_path):
    assert json.loads(rongcuo("evaluate", BEFORE_DUE, "--format", "json").stdout)["as_of"] == "2024-06-25"
    assert "as of: 2024-06-25 (stated by the case file)" in rongcuo("explain", BEFORE_DUE, "--lang", "en").stdout
    undated = write(tmp_path, "c.yaml", {"id": "C", "facts": {"enforcement_personnel": True}})
    assert "（今日）" in rongcuo("evaluate", undated).stdout
    bad = write(tmp_path, "d.yaml", {"id": "D", "as_of": "2024-13-01"})
    run = rongcuo("evaluate", bad, "--lang", "en")
    assert run.returncode == 2 and "as_of: '2024-13-01' is not a date" in run.stderr, run.stderr


# The conventions of the ecosystem (issue 19): --version, completion, flags shown as flags.


def test_version_names_rongcuo_clingo_and_the_bundled_rules():
    import clingo

    from rongcuo import __version__
    from rongcuo.engine import RuleSet

    run = rongcuo("--version")
    assert run.returncode == 0, run.stderr
    line = run.stdout.strip()
    assert line.startswith(f"rongcuo {__version__} ")
    assert f"clingo {clingo.__version__}" in line
    assert RuleSet.load("default").digest in line


def test_shell_completion_is_offered_and_completes_commands():
    assert "--install-completion" in rongcuo("--help").stdout
    script = rongcuo("--show-completion", "bash")
    assert script.returncode == 0 and "_RONGCUO_COMPLETE" in script.stdout
    run = subprocess.run(
        [sys.executable, "-m", "rongcuo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "_RONGCUO_COMPLETE": "complete_bash", "COMP_WORDS": "rongcuo eva", "COMP_CWORD": "1"},
    )
    assert run.stdout.split() == ["evaluate"]


@pytest.mark.parametrize(("command", "flags"), [("batch", ["--resume", "--trust"]), ("evaluate", ["--trust"])])
def test_plain_flags_show_no_value_placeholder(command, flags):
    import re

    out = rongcuo(command, "--help").stdout
    assert "<bool>" not in out
    for flag in flags:
        assert re.search(rf"{flag}\s{{2,}}[A-Z\u4e00-\u9fff]", out), (flag, out)  # help text follows, no placeholder
    assert "<int" in rongcuo("batch", "--help").stdout  # options with a value keep theirs


@pytest.mark.parametrize(
    ("command", "offered"),
    [
        (["evaluate", str(GOLDEN / "g-a11-p1-i6.yaml")], ["text", "json"]),
        (["clauses"], ["text", "json", "md"]),
        (["test", str(GOLDEN / "g-a11-p1-i6.yaml")], ["text", "json"]),
        (["vocabulary"], ["text", "json"]),
        (["explain", str(GOLDEN / "g-a11-p1-i6.yaml")], ["text", "json", "md", "html"]),
        (["check"], ["text", "json", "md", "html"]),
    ],
)
def test_each_command_offers_the_formats_it_renders_and_refuses_the_others(command, offered):
    """`evaluate --format html` printed text: now a value the command does not render is typer's usage error."""
    help_text = rongcuo(command[0], "--help").stdout
    assert "<" + "|".join(offered) + ">" in help_text
    for refused in {"text", "json", "md", "html"} - set(offered):
        run = rongcuo(*command, "--format", refused)
        assert run.returncode == 2 and run.stdout == "", run.stdout
        assert "Invalid value for '--format'" in run.stderr


def test_test_command_reports_json_and_junit_for_ci(tmp_path):
    from xml.etree import ElementTree as ET

    golden = yaml.safe_load((GOLDEN / "g-a11-p1-i6.yaml").read_text())
    golden["expect"] = {"all": {"disposition": "mitigated"}}
    failing = write(tmp_path, "g.yaml", golden)
    run = rongcuo("test", GOLDEN / "g-a11-p1-i6.yaml", failing, "--format", "json", "--junit", tmp_path / "junit.xml")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert (report["passed"], report["total"], report["failed"]) == (False, 6, 3)
    checks = {(c["source"], c["profile"]): c for c in report["checks"]}
    assert {p for _, p in checks} == {"default", "literal", "strict"}
    bad = checks[(str(failing), "strict")]
    assert bad["case"] == "G-A11-P1-I6" and bad["passed"] is False
    assert "disposition: expected mitigated, got exempt" in bad["problems"]
    good = checks[(str(GOLDEN / "g-a11-p1-i6.yaml"), "default")]
    assert good["passed"] is True and good["problems"] == []

    suites = ET.parse(tmp_path / "junit.xml").getroot()
    assert suites.tag == "testsuites" and (suites.get("tests"), suites.get("failures")) == ("6", "3")
    assert sorted(s.get("name") for s in suites) == ["default", "literal", "strict"]
    cases = [c for s in suites for c in s.iter("testcase")]
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(cases) == 6 and len(failed) == 3
    assert all(c.get("name") == "G-A11-P1-I6" and c.get("file") == str(failing) for c in failed)
    assert "expected mitigated, got exempt" in failed[0].find("failure").get("message")

    assert json.loads(rongcuo("test", GOLDEN / "g-a11-p1-i6.yaml", "--format", "json").stdout)["passed"] is True


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_vocabulary_as_json_lists_every_fact_once_by_group(lang):
    from rongcuo.model import vocabulary as vocab

    run = rongcuo("vocabulary", "--format", "json", "--lang", lang)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["lang"] == lang
    facts = vocab.vocabulary()["facts"]
    assert [g["group"] for g in out["groups"]] == list(vocab.vocabulary()["groups"])
    listed = [f for g in out["groups"] for f in g["facts"]]
    assert sorted(f["fact"] for f in listed) == sorted(facts)
    first = listed[0]
    assert first == {
        "fact": first["fact"],
        "clause": facts[first["fact"]]["clause"],
        "label": facts[first["fact"]][lang],
    }


def test_log_levels_on_the_root_command():
    case = GOLDEN / "g-a11-p1-i6.yaml"
    plain = rongcuo("evaluate", case)
    assert plain.returncode == 0 and plain.stderr == ""
    verbose = rongcuo("-v", "evaluate", case)
    assert verbose.stdout == plain.stdout
    assert verbose.stderr.startswith("rongcuo: rules: profile default, rule set ")
    assert all(line.startswith("rongcuo: ") for line in verbose.stderr.splitlines())
    assert rongcuo("-q", "evaluate", case).stderr == ""
    assert "-v" in rongcuo("--help").stdout and "--quiet" in rongcuo("--help").stdout


def test_a_batch_off_a_terminal_logs_its_progress_and_its_report_phase(tmp_path, monkeypatch):
    from rongcuo.cli import batch

    monkeypatch.setattr(batch, "PROGRESS_EVERY", 0.0)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("g-a11-p1-i6.yaml", "g-a2-out-of-scope.yaml"):
        data = yaml.safe_load((GOLDEN / name).read_text())
        data.pop("expect")
        write(folder, name, data)
    run = rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "1", "--as-of", "2025-01-01", cwd=None)
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    progress = [line for line in lines if "已读入" in line]
    assert progress and progress[-1].startswith("rongcuo: 批量：2 条记录，已读入 100%，每秒 ")
    assert progress[-1].endswith(" 件，尚需 0 秒")
    assert lines[-2].startswith("rongcuo: 批量：2 条记录已评估，用时 ") and lines[-2].endswith("正在生成报告…")
    assert lines[-1].startswith("rongcuo: 批量：报告已生成，用时 ") and lines[-1].endswith(" 秒")  # its own phase
    quiet = rongcuo("-q", "batch", folder, "--out", tmp_path / "q", "--workers", "1", "--as-of", "2025-01-01", cwd=None)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
