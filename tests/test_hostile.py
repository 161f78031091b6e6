"""Hostile input: every one gets a one-line answer naming what is wrong, nothing hangs, nothing else is lost."""

import html
import importlib
import json
from contextlib import contextmanager

import orjson
import pytest
from fastapi.testclient import TestClient

from rongcuo.model import decode
from rongcuo.model.decode import MAX_DEPTH, MAX_STRING, DecodeError, decode_json, decode_yaml, read_json
from rongcuo.service import Service, create_app

from .conftest import ROOT, rongcuo

serving = importlib.import_module("rongcuo.cli.serve")  # the module, not the command it defines


def laughs(levels: int = 9) -> str:
    """A 'billion laughs' document: each anchor nine uses of the one before."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "id: X\n" + "\n".join(lines) + "\n"


HOSTILE = {
    "laughs.yaml": (laughs(), "aliases expanded"),
    "deep.yaml": ("id: X\nfacts: " + "[" * 100_000 + "]" * 100_000 + "\n", f"nested deeper than {MAX_DEPTH} levels"),
    "deep.json": ('{"id": "X", "facts": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested deeper than"),
    "bigint.yaml": ("id: X\nx: " + "9" * 5000 + "\n", "(document): a number too large to read (over 4,300 digits)"),
    "bigint.json": (
        '{"id": "X", "x": ' + "9" * 5000 + "}",
        "(document): a number too large to read (over 4,300 digits)",
    ),
    "impossible.yaml": ("id: X\ndates: {conduct: 2024-02-30}\n", "dates.conduct: '2024-02-30' is not a date"),
    "far.yaml": ("id: X\ndates: {decision: 9999-12-25}\n", "dates.decision: '9999-12-25' is outside the dates"),
    "twice.yaml": (
        "id: X\nfacts:\n  major_loss: true\n  major_loss: false\n",
        "line 4: the key 'major_loss' is given twice",
    ),
    "twice.json": ('{"id": "X", "id": "Y"}', "the key 'id' is given twice"),
    "yes.yaml": ("id: X\nfacts: {enforcement_personnel: yes}\n", "'yes' is not true, false or unknown"),
    "surrogate.json": ('{"id": "\\ud800"}', "not valid Unicode"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_case_file_gets_one_line_and_exit_2(tmp_path, name):
    text, message = HOSTILE[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    run = rongcuo("evaluate", path, "--lang", "en")
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"rongcuo: {path}: ") and message in line
    run = rongcuo("evaluate", path)  # zh, as a user gets it: one line as well (test_errors.py reads the words)
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"rongcuo: {path}: ") and "Traceback" not in line


def test_yaml_12_booleans_and_dates_as_text():
    assert decode_yaml("a: yes\nb: on\nc: true\nd: 2024-03-01\n") == {
        "a": "yes",
        "b": "on",
        "c": True,
        "d": "2024-03-01",
    }


def test_the_decoder_refuses_before_building():
    with pytest.raises(DecodeError, match="aliases expanded"):
        decode_yaml(laughs(20))  # 9**20 values if it were built
    with pytest.raises(DecodeError, match="nested deeper"):
        decode_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert decode_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


def test_a_batch_rejects_the_hostile_records_and_evaluates_the_rest(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    for name, (text, _) in HOSTILE.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "good.yaml").write_text("id: GOOD\nfacts: {enforcement_personnel: true}\n", encoding="utf-8")
    out = tmp_path / "out"
    run = rongcuo("batch", folder, "--out", out, "--workers", "1", "--as-of", "2024-12-31", "--lang", "en")
    assert run.returncode == 1, run.stderr  # some records rejected, the rest written
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(lines) == len(HOSTILE) + 1
    assert [x["status"] for x in lines].count("evaluated") == 1
    for line in lines:
        if line["status"] == "rejected":
            name = line["source"].rsplit("/", 1)[-1]
            assert HOSTILE[name][1] in line["reason"], line


@pytest.fixture(scope="module")
def client(rulesets):
    en = {"Accept-Language": "en"}  # the messages these tests read are the English ones
    return TestClient(create_app(Service(rulesets, "default")), raise_server_exceptions=False, headers=en)


@pytest.mark.parametrize("name", ["laughs.yaml", "deep.json", "far.yaml", "twice.json", "surrogate.json"])
def test_the_service_answers_a_hostile_body_with_a_4xx_problem(client, name):
    text, message = HOSTILE[name]
    if name.endswith(".yaml"):
        response = client.post("/", data={"case_text": text, "lang": "en"})
        assert 400 <= response.status_code < 500 and message in html.unescape(response.text)
    else:
        response = client.post("/v1/evaluate", content=text.encode())
        assert 400 <= response.status_code < 500 and message in response.json()["detail"]
    assert client.get("/healthz").status_code == 200


def test_a_csv_quote_left_open_rejects_its_row_and_loses_no_other(tmp_path):
    rows = ["id,enforcement_personnel,narrative", *(f"C{i},true," for i in range(50))]
    rows[5] = 'C4,"true,'
    rows.append('M,true,"a cell over\ntwo lines"')
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    rongcuo("batch", path, "--out", out, "--workers", "1", "--as-of", "2024-12-31", "--lang", "en")
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(lines) == 51
    (bad,) = [x for x in lines if x["status"] == "rejected"]
    assert bad["row"] == 6 and "never closes" in bad["reason"]
    assert [x["case"] for x in lines if x["status"] == "evaluated"][-2:] == ["C49", "M"]


HOSTILE_TEXT = "<img src=x onerror=alert(1)> [link](javascript:alert(1)) ![i](http://evil/x.png)"


def test_case_text_never_comes_out_live(tmp_path):
    case = {
        "id": "# " + HOSTILE_TEXT,
        "title": HOSTILE_TEXT,
        "field": HOSTILE_TEXT,
        "error_type": HOSTILE_TEXT,
        "narrative": f"检查中当事人故意隐瞒。{HOSTILE_TEXT}",
        "recorded_decision": "none",
        "facts": {"enforcement_personnel": True, "inspection_target_concealed": True},
        "evidence": {"inspection_target_concealed": {"text": HOSTILE_TEXT, "start": 11, "end": 11 + len(HOSTILE_TEXT)}},
        "dates": {"conduct": "2024-03-01"},
    }
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    run = rongcuo("explain", folder / "x.json", "--format", "html", "--as-of", "2024-12-31")
    assert run.returncode == 0, run.stderr
    assert "<img" not in run.stdout and "&lt;img" in run.stdout
    out = tmp_path / "out"
    rongcuo("batch", folder, "--out", out, "--workers", "1", "--as-of", "2024-12-31")
    markdown, page = (out / "report.md").read_text(), (out / "report.html").read_text()
    assert "](javascript:" not in markdown and "![" not in markdown and "<img" not in markdown
    assert not any(line.startswith("#  <") or line.startswith("# <") for line in markdown.splitlines())
    assert "<img" not in page


def test_one_batch_at_a_time_in_an_output_folder(tmp_path):
    import fcntl

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: A\nfacts: {enforcement_personnel: true}\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".rongcuo-batch.lock").open("a") as held:  # another run holds the folder
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        run = rongcuo("batch", folder, "--out", out, "--workers", "1")
        assert run.returncode == 2 and "另一个 rongcuo batch 正在写入" in run.stderr
    assert not (out / "results.jsonl").exists()
    assert rongcuo("batch", folder, "--out", out, "--workers", "1").returncode == 0
    blocked = tmp_path / "file"
    blocked.write_text("")
    run = rongcuo("batch", folder, "--out", blocked, "--workers", "1")
    assert run.returncode == 2 and f"{blocked}：无法写入（" in run.stderr and "--out" in run.stderr
    run = rongcuo("batch", folder, "--out", blocked, "--workers", "1", "--lang", "en")
    assert run.returncode == 2 and "cannot write there" in run.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    run = rongcuo("batch", empty, "--out", tmp_path / "o2", "--workers", "1")
    assert run.returncode == 2 and f"{empty}: （文件）: 没有案件文件" in run.stderr, run.stderr
    assert not (tmp_path / "o2").exists()  # refused before an empty report is written
    (empty / "blank.jsonl").write_text("\n")  # a file, no records: refused after the run, as before
    run = rongcuo("batch", empty / "blank.jsonl", "--out", tmp_path / "o3", "--workers", "1", "--lang", "en")
    assert run.returncode == 2 and "no records" in run.stderr, run.stderr


@pytest.mark.parametrize(
    "rule",
    [
        "grant(C, exempt, a4, a4) :- in_scope(C), fact(D, major_loss).",  # another case's fact
        "grant(C, exempt, a4, a4) :- in_scope(C), not fact(0, major_loss).",  # case 0's, whoever C is
        "leak :- fact(C, major_loss).",  # a case-free atom from some case
        "-quiet(C) :- case(C).\ngrant(C, exempt, a4, a4) :- in_scope(C), case(D), -quiet(D).",  # classically negated
    ],
)
def test_a_rule_that_reads_another_case_is_refused_at_load(tmp_path, rule):
    import shutil

    from rongcuo.engine import RuleError, RuleSet, bundled_root

    root = tmp_path / "measure"
    shutil.copytree(bundled_root(), root)
    (root / "rules" / "leak.lp").write_text(rule + "\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"rules/leak.lp:\d: this rule reads the atoms of more than one case"):
        RuleSet.load("default", root)
    run = rongcuo("evaluate", root / "golden" / "g-a11-p1-i6.yaml", "--rules", root)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "这条规则读取了多个案件的原子" in run.stderr


def test_every_response_carries_the_security_headers(client):
    for response in (client.get("/"), client.get("/healthz"), client.post("/v1/evaluate", content=b"{")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY" and response.headers["referrer-policy"] == "no-referrer"
        assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[-1][:40]
    page = client.get("/")
    nonce = page.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page.text


def test_a_case_without_an_answer_fails_no_other_and_check_refuses_inconsistent_rules(tmp_path, default_rules):
    import shutil

    from rongcuo import ask
    from rongcuo.engine import RuleSet, bundled_root
    from rongcuo.model.files import load_case

    from .conftest import AS_OF, ROOT

    root = tmp_path / "measure"
    shutil.copytree(bundled_root(), root)
    (root / "rules" / "zz.lp").write_text(":- case(C), fact(C, major_loss).\n", encoding="utf-8")
    golden = ROOT / "measure" / "golden"
    cases = [load_case(golden / name) for name in ("g-a11-p1-i6.yaml", "g-a11-p2-i2-major-loss.yaml", "g-a3-none.yaml")]
    good, bad, other = ask.evaluate(ask.Ask(RuleSet.load("default", root), AS_OF), cases, ["a", "b", "c"])
    assert isinstance(bad, ask.Rejected) and bad.error.field == "(rules)" and "no answer set" in bad.error.message
    assert isinstance(good, ask.Evaluated) and isinstance(other, ask.Evaluated)
    run = rongcuo("explain", golden / "g-a11-p2-i2-major-loss.yaml", "--rules", root)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "对这些案件无解" in run.stderr
    (root / "rules" / "zz.lp").write_text(":- case(C).\n", encoding="utf-8")
    run = rongcuo("check", "--rules", root)
    assert run.returncode == 2 and "规则自相矛盾" in run.stderr and "已证明" not in run.stdout


def test_case_text_cannot_forge_a_line_or_steer_the_terminal(tmp_path):
    path = tmp_path / "forged.yaml"
    path.write_text('id: "A\\x1b]0;pwned\\x07\\nrongcuo: all fine"\nfacts: {enforcement_personnel: true}\n')
    run = rongcuo("evaluate", path)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "\x1b" not in run.stderr + run.stdout
    assert "含换行或控制字符，请写成一行文字" in run.stderr
    path.write_text('id: A\ntitle: "\\x1b[2J标题"\nfacts: {enforcement_personnel: true}\n')
    run = rongcuo("evaluate", path, "--format", "text")
    assert run.returncode == 0 and "\x1b" not in run.stdout


def test_the_bundled_rules_are_case_local(rulesets):
    """Loading the bundled rules skips the locality check (start-up): this test holds them to it."""
    from rongcuo.engine.trace import not_case_local

    for rules in rulesets.values():
        assert not_case_local(rules.statements) == []


def test_a_rejected_record_is_named_by_the_id_it_gave(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"id": "NM-7", "facts": {"major_los": true}}\n[1]\n', encoding="utf-8")
    rongcuo("batch", path, "--out", tmp_path / "out", "--workers", "1")
    first, second = [json.loads(x) for x in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert first["status"] == "rejected" and first["case"] == "NM-7" and "major_los" in first["reason"]
    assert second["status"] == "rejected" and second["case"] is None


def test_resume_sees_an_edit_even_with_its_modification_time_put_back(tmp_path):
    import os

    from rongcuo.batch.columns import Layout
    from rongcuo.batch.inputs import Reader

    path = tmp_path / "cases.jsonl"
    path.write_text('{"id": "A"}\n', encoding="utf-8")
    before = Reader([path], Layout()).fingerprint()
    stat = path.stat()
    path.write_text('{"id": "B"}\n', encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Reader([path], Layout()).fingerprint() != before


def test_a_witness_file_stays_inside_its_folder(tmp_path):
    import datetime as dt

    from rongcuo.drafting.witness import Witness, write
    from rongcuo.model.case import parse_case

    case = parse_case({"id": "W", "facts": {"enforcement_personnel": True}}, "w")
    folder = tmp_path / "witnesses"
    (path,) = write([Witness("../../escape", "t", case, dt.date(2024, 1, 1), None)], folder, "header")
    assert path.parent == folder and path.name == "escape.yaml" and not (tmp_path.parent / "escape.yaml").exists()


def test_a_huge_narrative_is_refused_not_read(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("检查" * 600_000, encoding="utf-8")
    run = rongcuo("extract", path)
    assert run.returncode == 2 and "大于 1,000,000 字节" in run.stderr


def test_a_rule_file_that_is_a_fifo_or_includes_from_outside_is_refused_before_it_is_read(tmp_path):
    import os
    import shutil

    from rongcuo.engine import RuleError, RuleSet, bundled_root

    root = tmp_path / "measure"
    shutil.copytree(bundled_root(), root)
    os.mkfifo(root / "rules" / "pipe.lp")  # reading it would block for ever
    with pytest.raises(RuleError, match="not a rule file"):
        RuleSet.load("default", root)
    (root / "rules" / "pipe.lp").unlink()
    (root / "rules" / "out.lp").write_text('#include "../../outside.lp".\n', encoding="utf-8")
    with pytest.raises(RuleError, match="included from outside the rule base"):
        RuleSet.load("default", root)


@pytest.mark.parametrize("command", ["evaluate", "check", "diff"])
def test_a_draft_holding_a_fifo_is_refused_before_it_is_copied(draft, command):
    """A draft is copied over the bundled rules before it is loaded (drafting.sources.merged): a FIFO in
    it made the copy fail with a shutil traceback (and would hang it where the copy reads it)."""
    import os

    folder = draft({"rules/zz.lp": '#include "pipe.txt".\n'})
    os.mkfifo(folder / "rules" / "pipe.txt")
    args = {
        "evaluate": ("evaluate", "measure/golden/g-a11-p1-i6.yaml", "--rules", folder),
        "check": ("check", "--rules", folder, "--days", "0"),
        "diff": ("diff", "profile:default", folder, "--days", "0"),
    }[command]
    run = rongcuo(*args, "--lang", "en")
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert (
        run.stderr
        == f"rongcuo: {folder / 'rules' / 'pipe.txt'}: not a rule file (not a regular file, or over 2,000,000 bytes)\n"
    )


def test_a_rule_nested_too_deep_is_refused_before_parsing(tmp_path):
    import shutil

    from rongcuo.engine import RuleError, RuleSet, bundled_root

    root = tmp_path / "measure"
    shutil.copytree(bundled_root(), root)
    (root / "rules" / "deep.lp").write_text("p(" * 100_000 + "x" + ")" * 100_000 + ".\n", encoding="utf-8")
    with pytest.raises(RuleError, match="nested deeper than 64 levels"):
        RuleSet.load("default", root)


def test_a_narrative_in_the_review_view_is_shown_not_run(rulesets):
    payload = '<img src=x onerror="alert(1)"><script>alert(1)</script>'
    narrative = f"执法人员王某{payload}当即撤销了该决定。举报称“{payload}”。"
    with TestClient(create_app(Service(rulesets, "default"))) as c:
        page = c.post("/review", data={"narrative": narrative, "id": payload})
        assert page.status_code == 200
        assert "<img" not in page.text and "<script>alert" not in page.text
        assert "&lt;img src=x onerror=" in page.text and "&lt;script&gt;alert(1)" in page.text
        assert "<mark" in page.text  # the evidence is marked, its text escaped inside the mark
        record = html.unescape(page.text.split('name="record" value="', 1)[1].split('"', 1)[0])
        confirmed = c.post("/review/confirm", data={"record": record, "answer.corrected_timely": "accept"})
        assert confirmed.status_code == 200
        assert "<img" not in confirmed.text and "<script>alert" not in confirmed.text


def test_a_jsonl_line_naming_a_key_twice_is_refused_not_silently_merged(tmp_path):
    """orjson keeps the last of two equal keys; the batch reads such a line again with the strict parser
    (a key repeated in one object is refused), while equal keys in different objects stay legal."""
    lines = [
        '{"id": "A", "facts": {"enforcement_personnel": true, "enforcement_personnel": false}}',
        '{"id": "B", "id": "C", "facts": {}}',
        # the colon after another key set apart by whitespace: a count of '":' alone comes out even
        '{"id":"E","id":"F","facts"  :{"enforcement_personnel":true},"dates":{"conduct":"2022-01-05"}}',
        '{"id": "D", "facts": {"major_loss": true}, "evidence": {"major_loss": {"text": "x", "start": 0, "end": 1}},'
        ' "narrative": "x"}',
    ]
    cases = tmp_path / "dup.jsonl"
    cases.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out"
    run = rongcuo("batch", cases, "--out", out, "--workers", "1", "--as-of", "2025-01-01", cwd=None)
    assert run.returncode == 1, run.stderr  # rejected records: everything written, the exit says so
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [(r["status"], r.get("code")) for r in rows] == [
        ("rejected", "errors.duplicate_key"),
        ("rejected", "errors.duplicate_key"),
        ("rejected", "errors.duplicate_key"),
        ("evaluated", None),
    ]
    assert "'enforcement_personnel'" in rows[0]["reason"] and "'id'" in rows[1]["reason"]
    assert [r["case"] for r in rows] == ["A", None, None, "D"]  # named by its id, unless the id is what is given twice


def test_a_jsonl_line_with_a_text_past_the_bound_is_refused_as_a_case_file_is(tmp_path):
    """A case file or a /v1/batch line refuses a string over MAX_STRING characters; a batch's JSONL line,
    read by orjson, was evaluated with a narrative five times as long."""
    long = {"id": "LONG", "facts": {"major_loss": True}, "narrative": "x" * (MAX_STRING + 1)}
    cases = tmp_path / "long.jsonl"
    cases.write_text(json.dumps({"id": "OK", "facts": {"major_loss": True}}) + "\n" + json.dumps(long) + "\n")
    run = rongcuo("batch", cases, "--out", tmp_path / "out", "--workers", "1", "--as-of", "2025-01-01", cwd=None)
    assert run.returncode == 1, run.stderr
    rows = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert [(r["case"], r["status"], r.get("code")) for r in rows] == [
        ("OK", "evaluated", None),
        ("LONG", "rejected", "errors.text_too_long"),
    ]


def reading(decoder, data):
    """What a decoder makes of ``data``: the value (repr: 1 and 1.0 differ), or the error in words."""
    try:
        return repr(decoder(data))
    except DecodeError as e:
        return f"DecodeError {e.text('en')}"
    except UnicodeDecodeError:
        return "not UTF-8"
    except orjson.JSONDecodeError as e:
        return f"orjson: {e}"


def strictly(data: bytes):
    return decode_json(data.decode("utf-8"))


# Where orjson's reading differs from the strict decoder's, or might: each read as the strict decoder does.
DIFFERING = {
    "a key twice": b'{"id": "A", "facts": {"major_loss": true, "major_loss": false}}',
    "a key twice, escaped": b'{"id": "A", "\\u0069d": "B"}',
    "a key twice, colon after whitespace": b'{"id":"E","id" \t\r\n:"F","facts"  :{}}',
    "a text past MAX_STRING": b'{"narrative": "%s"}' % (b"x" * (MAX_STRING + 1)),
    "a 19-digit integer": b'{"start": 1234567890123456789}',
    "a 30-digit integer (orjson: a float)": b'{"start": 123456789012345678901234567890}',
    "a 20-digit negative integer": b"[-18446744073709551617]",
    "nested past MAX_DEPTH": b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
    "nested past MAX_DEPTH in mappings": b'{"a":' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1),
    "nested past orjson's limit": b"[" * 2000 + b"]" * 2000,
    "a lone surrogate escaped": b'{"id": "\\ud800"}',
    "a lone low surrogate": b'{"id": "\\udc00x"}',
    "a surrogate in UTF-8": b'{"id": "\xed\xa0\x80"}',
    "not UTF-8": b'{"id": "\xff"}',
    "a byte-order mark": b'\xef\xbb\xbf{"id": "A"}',
    "NaN": b'{"x": NaN}',
    "Infinity": b"[-Infinity]",
    "1e999": b"[1e999]",
    "a trailing comma": b"[1,]",
    "a leading zero": b'{"a": 01}',
    "extra data": b'{"a": 1} x',
    "a control character": b'{"a": "x\x1f"}',
    "empty": b"",
}
SAME = {  # read by orjson, as the strict decoder reads them
    "a case": json.dumps({"id": "甲", "facts": {"major_loss": True}, "dates": {"conduct": "2024-01-05"}}).encode(),
    "a list of cases": json.dumps([{"id": f"C{i}", "facts": {}} for i in range(3)], ensure_ascii=False).encode(),
    "equal keys in different objects": b'[{"id": "A"}, {"id": "B", "facts": {"id": true}}]',
    "nested MAX_DEPTH deep": b"[" * MAX_DEPTH + b"]" * MAX_DEPTH,
    "18-digit integers, floats and -0": b"[123456789012345678, -123456789012345678, 1.5e300, 1e-400, -0, -0.0, 1E2]",
    "a pair escaped": b'["\\ud83d\\ude00", "\\u0000"]',
    "a scalar": b' "x" ',
}


@pytest.mark.parametrize("data", DIFFERING.values(), ids=DIFFERING)
def test_a_body_orjson_reads_otherwise_is_read_strictly(data):
    strict = reading(strictly, data)
    assert reading(orjson.loads, data) != strict  # a value of its own, or an error in other words
    assert reading(read_json, data) == strict


@pytest.mark.parametrize("data", SAME.values(), ids=SAME)
def test_a_plain_body_is_read_by_orjson_as_the_strict_decoder_reads_it(data, monkeypatch):
    strict = reading(strictly, data)
    monkeypatch.setattr(decode, "decode_json", None)  # the strict decoder not asked
    assert reading(read_json, data) == strict and not strict.startswith("DecodeError")


@contextmanager
def served(app, **config):
    """``app`` served by uvicorn on 127.0.0.1 in a thread (``config``: uvicorn's settings): its port."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_client_that_sends_its_whole_body_reads_the_413_not_a_reset(default_rules):
    """urllib sends the whole body before reading: the server reads and drops a refused body (up to its
    drain bound) before answering, so the client gets the problem instead of 'connection reset'."""
    import urllib.error
    import urllib.request

    from rongcuo.service import Limits

    app = create_app(Service({"default": default_rules}, "default", Limits(max_body=1000)))
    with served(app) as port:
        body = b"x" * 40_000_000  # far past the socket buffers: without the drain this is a reset
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/evaluate", data=body)
        try:
            urllib.request.urlopen(request, timeout=60)
            raise AssertionError("a body over --max-body was accepted")
        except urllib.error.HTTPError as e:
            assert e.code == 413 and json.loads(e.read())["code"] == "errors.body_too_large"


def answer(sock, most: float = 20.0) -> tuple[int, dict, dict]:
    """What the server wrote on ``sock`` until it closed it (``most`` seconds at most: a connection still
    open then fails the test): the status, the headers and the JSON body."""

    sock.settimeout(most)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        raise AssertionError(f"the server kept the connection open; it wrote {data[:200]!r}") from None
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status.split()[1]), headers, json.loads(body) if body else {}


@pytest.fixture
def slow_server(default_rules, monkeypatch):
    """The service as `rongcuo serve` runs it — uvicorn with service.connections' protocol — for 8
    connections (so 2 per client address), a request head due within 0.3 s, a body at 1 MB/s."""
    from rongcuo.service import connections

    monkeypatch.setattr(connections, "HEAD_SECONDS", 0.3)
    monkeypatch.setattr(connections, "BODY_RATE", 1_000_000)
    service = Service({"default": default_rules}, "default")
    with served(create_app(service), http=connections.guarded(service.limits, 8), limit_concurrency=8) as port:
        yield port


def test_a_request_head_or_body_that_never_completes_is_answered_408_and_closed(slow_server):
    """Slow clients (issue 16): a head sent a byte at a time, a body that never completes. Without a
    deadline each holds its connection for ever and a few hundred of them refuse everyone else."""
    import socket

    for request, key in [
        (b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAccept-Lang", "errors.head_timeout"),
        (
            b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nContent-Length: 1000\r\n\r\n{",
            "errors.body_timeout",
        ),
    ]:
        with socket.create_connection(("127.0.0.1", slow_server)) as sock:
            sock.sendall(request)
            status, headers, body = answer(sock)
        assert status == 408 and body["code"] == key and body["status"] == 408, body
        assert headers["x-content-type-options"] == "nosniff" and headers["connection"] == "close"
    assert "did not arrive within" in body["detail"]  # the Accept-Language it gave
    with socket.create_connection(("127.0.0.1", slow_server)) as sock:  # an honest client on keep-alive
        for _ in range(2):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while not data.endswith(b'{"status":"ok"}'):
                data += sock.recv(65536)
            assert data.startswith(b"HTTP/1.1 200 ")


def test_one_client_address_holds_only_its_share_of_the_connections(slow_server):
    """One address may hold a quarter of the connections: the one past its share is answered 503 at once
    and closed, and a client from another address is still served."""
    import socket

    held = [socket.create_connection(("127.0.0.1", slow_server)) for _ in range(2)]
    try:
        for sock in held:
            sock.sendall(b"GET /heal")  # heads that are not finished yet
        with socket.create_connection(("127.0.0.1", slow_server)) as third:
            status, headers, body = answer(third, most=0.25)  # before its head could time out
        assert status == 503 and body["code"] == "errors.busy_connections" and headers["retry-after"] == "1"
        with socket.socket() as other:
            other.bind(("127.0.0.2", 0))
            other.connect(("127.0.0.1", slow_server))
            other.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert answer(other)[0] == 200
    finally:
        for sock in held:
            sock.close()


def test_serve_runs_uvicorn_with_the_bounded_protocol(monkeypatch):
    import uvicorn

    from rongcuo.service.connections import Guarded

    given = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **config: given.update(config))
    monkeypatch.setattr(serving, "_listenable", lambda host, port: None)  # nothing bound: port 8000 may be taken
    assert rongcuo("serve", "--concurrency", "8").returncode == 0
    assert issubclass(given["http"], Guarded) and given["http"].share == given["limit_concurrency"] // 4


@pytest.mark.parametrize("manifest", ['{"inputs": []}', "not json", '{"as_of": 7}'])
def test_a_resume_over_a_manifest_this_version_did_not_write_is_one_line(tmp_path, manifest):
    """--resume without --as-of reads the unfinished run's date: a manifest without one (or garbled) is
    refused as a run that differs, in one line — not a KeyError."""
    from rongcuo.batch.workdir import WORK

    work = tmp_path / "out" / WORK
    work.mkdir(parents=True)
    (work / "manifest.json").write_text(manifest, "utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: A\nfacts: {enforcement_personnel: true}\n", "utf-8")
    run = rongcuo("batch", folder, "--out", tmp_path / "out", "--resume", cwd=None)
    assert run.returncode == 2 and run.stderr.startswith("rongcuo: ") and run.stderr.count("\n") == 1, run.stderr
    assert "--resume" in run.stderr


@pytest.mark.parametrize("command", ["evaluate", "check", "diff"])
@pytest.mark.parametrize(("budget", "words"), [({"SECONDS": 3}, "秒"), ({"BYTES": 600 * 1024**2}, "MiB")])
def test_a_rule_set_that_grounds_without_bound_is_refused_within_its_budget(
    tmp_path, monkeypatch, draft, budget, words, command
):
    """A draft rule with a grounding of 10^10 atoms: tried once in a child under the time and memory
    budget (engine.budget), refused in one line naming the draft — the command neither hangs nor eats the
    machine's memory: evaluate, and check and diff, which ground the rules over the whole scenario space."""
    from rongcuo.engine import budget as limits

    for name, value in budget.items():
        monkeypatch.setattr(limits, name, value)
    big = draft({"rules/a12_mitigation.lp": "big(C, X, Y) :- case(C), X = 1..100000, Y = 1..100000.\n"})
    case = tmp_path / "c.yaml"
    case.write_text("id: C\nfacts: {enforcement_personnel: true}\n", "utf-8")
    args = {
        "evaluate": ("evaluate", case, "--rules", big),
        "check": ("check", "--rules", big, "--days", "0"),
        "diff": ("diff", "profile:default", big, "--days", "0"),
    }[command]
    run = rongcuo(*args, "--trust")
    assert run.returncode == 2 and run.stdout == "", run.stderr
    last = run.stderr.splitlines()[-1]
    assert last.startswith(f"rongcuo: {big}：一个案件的评估超过 ") and words in last, run.stderr


class _Live(__import__("html.parser").parser.HTMLParser):
    """What of an HTML document could act: elements that load or run something, event attributes,
    links to scripts."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "script", "iframe", "object", "embed", "svg"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def live(text: str, markdown: bool = False) -> list[str]:
    """The live markup in an HTML page, or in a Markdown file as a CommonMark renderer makes it HTML
    (raw HTML allowed, as the spec has it)."""
    if markdown:
        from markdown_it import MarkdownIt

        text = MarkdownIt("commonmark").render(text)
    parser = _Live()
    parser.feed(text)
    return [f for f in parser.found if f != "<script>" or markdown]  # the pages' own scripts carry a nonce


def test_case_and_rule_text_come_out_inert_in_every_html_and_markdown_output(tmp_path, draft):
    """A hostile case (its id, narrative, evidence) and a hostile draft (a string in a rule's comparison,
    one that tries to close its code span, a check's name): explain, whatif, check and diff, in HTML and
    in Markdown, rendered and parsed — nothing in them could load or run. The text macros (explain/
    words.j2, drafting/macros.j2) imported into HTML were not escaped; Markdown passed the case's text
    and the rules' strings as they were."""
    case = tmp_path / "hostile.json"
    case.write_text(
        json.dumps(
            {
                "id": "# " + HOSTILE_TEXT,
                "narrative": f"检查中当事人故意隐瞒。{HOSTILE_TEXT}",
                "facts": {
                    "enforcement_personnel": True,
                    "inspection_target_concealed": True,
                    "cooperated_with_investigation": True,
                },
                "evidence": {
                    "inspection_target_concealed": {"text": HOSTILE_TEXT, "start": 11, "end": 11 + len(HOSTILE_TEXT)}
                },
                "dates": {"conduct": "2024-03-01"},
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    rule = (
        "grant(C, mitigated, a12_p1, a12_p1_i1) :- in_scope(C), fact(C, cooperated_with_investigation),"
        ' "<img src=x onerror=alert(1)>" != "`<img src=y onerror=alert(2)>`".\n'
    )
    check = 'conflict("<img src=z onerror=alert(3)>") :- outcome(C, exempt), outcome(C, excluded).\n'
    hostile = draft({"rules/zz_hostile.lp": rule, "checks/zz_hostile.lp": check})
    outputs = {}
    for fmt in ("html", "md"):
        for command in (("explain", case), ("explain", case, "--rules", hostile), ("whatif", case, "--to", "exempt")):
            run = rongcuo(*command, "--format", fmt, "--as-of", "2024-12-31", "--trust")
            assert run.returncode == 0, run.stderr
            outputs[f"{' '.join(map(str, command))} --format {fmt}"] = (run.stdout, fmt == "md")
    for name, command in (
        ("check", ("check", "--rules", hostile)),
        ("diff", ("diff", "profile:default", hostile)),
    ):
        out = tmp_path / name
        assert rongcuo(*command, "--out", out, "--days", "0", "--trust").returncode in (0, 1)
        for report in ("report.html", "report.md"):
            outputs[f"{name} {report}"] = ((out / report).read_text("utf-8"), report.endswith(".md"))
    found = {name: live(text, markdown) for name, (text, markdown) in outputs.items()}
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    explained = outputs[f"explain {case} --rules {hostile} --format html"][0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in explained  # shown, as text


def test_a_check_named_with_control_characters_gets_its_witness_not_a_traceback(tmp_path, draft):
    """A check's name is an ASP string, a drafter's text: with an escape in it, the witness's id (made
    from the name) was refused as a case id — a CaseError traceback out of `check`. The id and the file
    name are slugs of it now, and the comment lines of the witness file carry no control character."""
    checks = draft({"checks/zz.lp": 'conflict("x\x1b]0;pwned\x07y") :- outcome(C, exempt).\n'})
    run = rongcuo("check", "--rules", checks, "--out", tmp_path / "out", "--days", "0")
    assert run.returncode == 1 and "\x1b" not in run.stdout, run.stderr
    (witness,) = (tmp_path / "out" / "witnesses").glob("conflict-*.yaml")
    text = witness.read_text("utf-8")
    assert "\x1b" not in text and "\x07" not in text and "id: W-CONFLICT--X-0-PWNED-Y" in text


def test_a_disk_that_fills_under_the_index_of_ids_is_one_line(tmp_path, monkeypatch):
    """A full disk met by the work dir's SQLite index (batch.workdir.Ids) rather than by a file write:
    an sqlite3.OperationalError traceback before; now the one line a full disk gets, exit 2."""
    import sqlite3

    from rongcuo.batch import workdir

    def full(self, path, done):
        e = sqlite3.OperationalError("database or disk is full")
        e.sqlite_errorcode = sqlite3.SQLITE_FULL
        raise e

    monkeypatch.setattr(workdir.Ids, "__init__", full)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: A\nfacts: {enforcement_personnel: true}\n", "utf-8")
    run = rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "1")
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith(f"rongcuo: {tmp_path / 'out'}：无法写入：") and "--resume" in run.stderr
    assert "磁盘" in run.stderr or "空间" in run.stderr


def test_an_internal_failure_is_answered_with_the_headers_and_never_reaches_the_server(rulesets, caplog):
    """An exception no handler takes was answered by Starlette's outermost middleware — outside the
    security headers — and raised on to uvicorn, which logged a full traceback beside rongcuo's line
    (one per failure: a flood of failures filled the disk). The test client raises what reaches the server."""
    service = Service(rulesets, "default")

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    with TestClient(create_app(service), raise_server_exceptions=True) as c:
        service.explain = boom  # type: ignore[method-assign]
        with caplog.at_level("INFO"):
            response = c.post("/v1/explain", json={"id": "X"})
    assert response.status_code == 500 and response.json()["code"] == "errors.internal"
    assert response.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in response.headers
    (line,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert line.getMessage() == "internal error on /v1/explain: RuntimeError: secret internals" and not line.exc_info


def test_one_client_s_batch_streams_hold_only_its_share_of_the_slots(rulesets, monkeypatch):
    """/v1/batch asked only whether every slot was busy, and its chunks waited for their turns: one client
    opening a stream per slot held them all (12 streams from one address, then another address's
    evaluate got 503). A stream now holds one of its client's share while it lasts."""
    import threading
    import time

    from rongcuo.service import Limits, stream

    evaluate = stream.evaluate
    monkeypatch.setattr(stream, "CHUNK", 1)
    monkeypatch.setattr(stream, "evaluate", lambda *args: (time.sleep(0.5), evaluate(*args))[1])
    body = b"".join(json.dumps({"id": f"B{i}"}).encode() + b"\n" for i in range(4))  # four turns of 0.5 s
    service = Service(rulesets, "default", Limits(concurrency=8))  # a share of 2 per client
    with TestClient(create_app(service), headers={"Accept-Language": "en"}) as c:
        statuses: list[int] = []

        def post() -> None:
            statuses.append(c.post("/v1/batch", content=body).status_code)

        streams = [threading.Thread(target=post) for _ in range(2)]
        for t in streams:
            t.start()
        time.sleep(0.6)  # both streams under way
        third = c.post("/v1/batch", content=body)
        assert third.status_code == 503 and third.json()["code"] == "errors.busy_client"
        for t in streams:
            t.join()
        assert statuses == [200, 200]
        assert c.post("/v1/batch", content=body).status_code == 200  # the share given back


TIMELINES = {  # a --timeline file: the safe loader's bounds, and its dates and flags checked, as a case file's
    "laughs": (laughs().replace("id: X\n", "versions: [{id: v1}]\n"), "aliases expanded"),
    "deep": ("versions: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested deeper than"),
    "impossible": ("versions:\n  - id: a\n  - id: b\n    from: 2024-02-30\n", "`from` and `until` must be ISO dates"),
    "bigint": ("versions:\n  - id: a\n    note: " + "9" * 5000 + "\n", "a number too large to read"),
    "yes": ("versions:\n  - id: a\n    illustrative: yes\n", "`illustrative` is 'yes'"),
    "far": ("versions:\n  - id: a\n  - id: b\n    from: 9999-12-25\n", "9999-12-25 is outside the dates"),
}


@pytest.mark.parametrize("name", sorted(TIMELINES))
def test_a_hostile_timeline_file_gets_one_line_and_exit_2(tmp_path, name):
    """The timeline was read with yaml.safe_load: an impossible date, 100,000 brackets, a long integer
    were tracebacks, and an alias bomb in a note ran out of memory."""
    text, words = TIMELINES[name]
    path = tmp_path / "versions.yaml"
    path.write_text(text, encoding="utf-8")
    for lang in ("en", "zh"):
        run = rongcuo("evaluate", "measure/golden/g-a11-p1-i6.yaml", "--timeline", path, "--lang", lang)
        assert run.returncode == 2 and run.stderr.count("\n") == 1 and run.stderr.startswith(f"rongcuo: {path}"), run
        assert lang == "zh" or words in run.stderr, run.stderr
    if name == "far":  # diff --transition lays the calendar around the switch: an OverflowError traceback
        run = rongcuo("diff", "version:a", "version:b", "--transition", "--timeline", path, "--lang", "en")
        assert run.returncode == 2 and words in run.stderr, run.stderr


def test_a_timeline_version_without_a_note_in_the_language_is_shown_without_one(tmp_path):
    path = tmp_path / "versions.yaml"
    path.write_text("versions:\n  - id: a\n    illustrative: true\n    note: {zh: 示例}\n", encoding="utf-8")
    for lang in ("en", "zh"):
        run = rongcuo("evaluate", "measure/golden/g-a11-p1-i6.yaml", "--timeline", path, "--lang", lang)
        assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("option", ["--lexicon", "--bank"])
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("cues: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested deeper than 32 levels"),
        (laughs().replace("id: X\n", "").replace("a0:", "major_loss:", 1), "aliases expanded"),
    ],
)
def test_a_hostile_lexicon_or_bank_gets_one_line_and_exit_2(tmp_path, option, text, words):
    """extract's --lexicon and --bank were read with yaml.safe_load: 100,000 brackets were a
    RecursionError traceback (3,000 lines) and an impossible date in a bank a ValueError one."""
    path = tmp_path / "words.yaml"
    path.write_text(text, encoding="utf-8")
    narrative = tmp_path / "n.txt"
    narrative.write_text("执法人员王某在检查中，当事人故意隐瞒。", encoding="utf-8")
    run = rongcuo("extract", narrative, option, path, "--lang", "en")
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and run.stderr.startswith(f"rongcuo: {path}: ")
    assert words in run.stderr, run.stderr
    if option == "--bank":  # a sentence that looks like a date is a sentence (it was a ValueError traceback)
        path.write_text("major_loss: [2024-02-30]\n", encoding="utf-8")
        assert rongcuo("extract", narrative, option, path).returncode == 0


def test_a_grounding_without_bound_under_the_user_s_own_memory_limit_is_one_line(tmp_path, draft):
    """Under a ulimit -v tighter than the budget's 4 GiB, the probe could not raise its limit to the
    budget, so the grounding ran in the command itself, to a MemoryError traceback (exit 1): the probe
    keeps the tighter limit and names it. A process of its own: the limit is the process's."""
    import resource
    import subprocess
    import sys

    from .conftest import ROOT

    big = draft({"rules/a12_mitigation.lp": "big(C, X, Y) :- case(C), X = 1..100000, Y = 1..100000.\n"})
    cap = 900 * 1024**2
    run = subprocess.run(
        [sys.executable, "-m", "rongcuo", "evaluate", "measure/golden/g-a11-p1-i6.yaml", "--rules", big, "--trust"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)),
    )
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr[-500:]
    # the memory budget as the user's limit sets it, or — on a loaded machine — the time budget first
    assert run.stderr.startswith(f"rongcuo: {big}：一个案件的评估超过 "), run.stderr
    assert "900 MiB" in run.stderr or "30 秒" in run.stderr, run.stderr


def test_a_rejected_case_file_is_named_by_the_id_it_gave(tmp_path):
    """A case file of a batch folder rejected by the case model (an impossible or far date) carried
    "case": null although its id was readable; a JSONL line or CSV row already gave it."""
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "far.yaml").write_text("id: FAR\ndates: {decision: 9999-12-25}\n", encoding="utf-8")
    (folder / "bad.yaml").write_text("id: BAD\ndates: {conduct: 2024-02-30}\n", encoding="utf-8")
    (folder / "noid.yaml").write_text("facts: {major_loss: true}\n", encoding="utf-8")
    rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "1", "--as-of", "2024-12-31")
    rows = [json.loads(x) for x in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert [(r["case"], r["status"]) for r in rows] == [("BAD", "rejected"), ("FAR", "rejected"), (None, "rejected")]


def test_a_failure_of_a_shared_grounding_fails_only_the_request_whose_cases_fail(rulesets, monkeypatch):
    """Evaluations that arrive together share one grounding (service.coalesce): a failure of it other than
    the rules' (isolated by rongcuo.ask) went to every request of the batch. The batch is now tried
    request by request, and only the one whose case fails gets the failure."""
    import threading
    import time

    from rongcuo.service import coalesce

    results = coalesce.asking.results

    def flaky(ask, cases):
        if any(case.id == "POISON" for case in cases):
            raise RuntimeError("a case that breaks the engine")
        time.sleep(0.3)  # the grounding under way holds the lane while the next requests gather
        return results(ask, cases)

    monkeypatch.setattr(coalesce.asking, "results", flaky)
    statuses: dict[str, int] = {}
    with TestClient(create_app(Service(rulesets, "default")), raise_server_exceptions=False) as c:

        def post(name: str) -> None:
            statuses[name] = c.post("/v1/evaluate", json={"id": name}).status_code

        first = threading.Thread(target=post, args=("G0",))
        first.start()
        time.sleep(0.1)
        together = [threading.Thread(target=post, args=(name,)) for name in ("POISON", "G1", "G2", "G3", "G4")]
        for t in together:
            t.start()
        for t in [first, *together]:
            t.join()
    assert statuses == {"G0": 200, "POISON": 500, "G1": 200, "G2": 200, "G3": 200, "G4": 200}


@pytest.mark.parametrize(
    "command",
    [
        ("check", "--days", "0", "--out", "{file}"),
        ("check", "--days", "0", "--witnesses", "{file}"),
        ("diff", "profile:default", "profile:strict", "--days", "0", "--out", "{file}"),
        ("extract", "{narrative}", "--out", "{file}"),
        ("test", "--junit", "{file}/junit.xml"),
    ],
)
def test_an_output_path_that_cannot_be_written_is_one_line(tmp_path, command):
    """--out, --witnesses and --junit where a file stands (or under one): check, diff, extract and test
    ended in a NotADirectoryError or FileExistsError traceback, as a read-only or full disk did."""
    blocked = tmp_path / "file"
    blocked.write_text("")
    narrative = tmp_path / "n.txt"
    narrative.write_text("执法人员王某在检查中，当事人故意隐瞒。", encoding="utf-8")
    args = [a.format(file=blocked, narrative=narrative) for a in command]
    run = rongcuo(*args, "--lang", "en")
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith(f"rongcuo: {blocked}") and ": cannot write: " in run.stderr, run.stderr
    assert blocked.read_text() == ""


def test_more_workers_than_the_machine_can_run_is_one_line(tmp_path, monkeypatch):
    """`batch --workers 100000` (a typo, a pasted number) started workers one by one, each loading the
    rules, and never reached the first chunk (killed after 90 s); now a one-line refusal naming the bound."""
    from rongcuo.cli import batch

    monkeypatch.setattr(batch, "_cpus", lambda: 2)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: A\nfacts: {enforcement_personnel: true}\n", "utf-8")
    run = rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "100000", "--lang", "en")
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "--workers 100000: this machine has 2 CPUs — at most 8 worker processes" in run.stderr
    assert not (tmp_path / "out").exists()
    assert rongcuo("batch", folder, "--out", tmp_path / "out", "--workers", "8").returncode == 0


@pytest.mark.parametrize("command", [("evaluate", ROOT / "measure" / "golden" / "g-a11-p1-i6.yaml"), ("check",)])
def test_a_rule_with_an_unsafe_variable_is_refused_in_one_line_naming_its_place(draft, command):
    """clingo says a variable is unsafe only when it grounds: a RuntimeError traceback (the fuzz run found
    `grant(C, exempt, a12_p1, a12_p1_i1).`); now one line with clingo's words and the rule's place."""
    folder = draft({"rules/zz.lp": "grant(C, exempt, a12_p1, a12_p1_i1).\n"})
    run = rongcuo(*command, "--rules", folder, "--lang", "en")
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and "the rules cannot be ground" in run.stderr
    assert "rules/zz.lp:1:" in run.stderr and "'C' is unsafe" in run.stderr and "rongcuo-draft" not in run.stderr
