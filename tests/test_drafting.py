"""The drafters' toolkit: `check` and `diff` find what purpose-built rule sets
and the bundled drafts put there — and prove the absence of everything else."""

import datetime as dt
import itertools
import json
import shutil

import pytest
import yaml

from rongcuo import drafting
from rongcuo.drafting.check import check
from rongcuo.drafting.diff import corpus, diff
from rongcuo.drafting.size import size
from rongcuo.engine import RuleError, RuleSet, bundled_root
from rongcuo.model import vocabulary as vocab
from rongcuo.model.files import load_case

from .conftest import DATE_ORDER, ROOT, rongcuo

DRAFTS = ROOT / "measure" / "drafts"
A13 = {"exceeded_statutory_scope", "violated_statutory_procedure"}
A4 = {"enforcement_personnel", "acted_within_duty", "loss_or_adverse_impact", "corrected_timely"}

# A small rule base: the shared mechanism of measure/rules plus a handful of rules,
# each planted for one kind of finding.
TINY = """
in_scope(C) :- case(C), fact(C, enforcement_personnel).
grant(C, out_of_scope, a2, a2) :- case(C), not fact(C, enforcement_personnel).
ground(C, none, a3, a3) :- in_scope(C), not stands(C, _, _, _).
modality(a11_p2, may). modality(a12_p1, may). modality(a13, shall_not).

% exempt from two facts, excluded from a third: a conflict needs four facts (with scope)
grant(C, exempt, a11_p2, a11_p1_i6) :-
    in_scope(C), fact(C, inspection_target_concealed), fact(C, remedied_actively).
grant(C, excluded, a13, a13) :- in_scope(C), fact(C, exceeded_statutory_scope).

% dead: in_scope needs enforcement_personnel
grant(C, mitigated, a12_p1, a12_p1_i3) :- in_scope(C), not fact(C, enforcement_personnel).

% fires only on contradictory input (measure/analysis.md §5)
grant(C, duty_fulfilled, a10_p1, a10_p1_i1) :-
    in_scope(C), fact(C, performed_per_statutory_duty), fact(C, exceeded_statutory_scope).

% the second rule is a special case of the first: redundant
grant(C, mitigated, a12_p1, a12_p1_i2) :- in_scope(C), fact(C, cooperated_with_investigation).
grant(C, mitigated, a12_p1, a12_p1_i2) :-
    in_scope(C), fact(C, cooperated_with_investigation), fact(C, accepted_responsibility).
"""


def tiny(tmp_path, extra: str = ""):
    root = tmp_path / "tiny"
    (root / "rules").mkdir(parents=True)
    (root / "profiles").mkdir()
    shutil.copytree(bundled_root() / "rules" / "_mechanism", root / "rules" / "_mechanism")
    (root / "rules" / "tiny.lp").write_text(TINY + extra)
    (root / "readings").mkdir()
    shutil.copy(bundled_root() / "readings" / "q07_catch_all.lp", root / "readings")
    (root / "profiles" / "default.lp").write_text('#include "../readings/q07_catch_all.lp".  % Q7 only\n')
    return root


@pytest.fixture(scope="module")
def tiny_report(tmp_path_factory):
    return check(drafting.load(str(tiny(tmp_path_factory.mktemp("t")))))


def lines(report, kind):
    return [f.rule.text for f in report.of_kind(kind)]


def test_a_conflict_reachable_only_through_four_facts(tiny_report):
    (conflict,) = tiny_report.conflicts
    assert conflict.name == "exempt_with_excluded"
    # the minimal witness: the optimum of the search, so no three facts give the conflict
    assert set(conflict.witness.case.true_facts()) == {
        "enforcement_personnel",
        "inspection_target_concealed",
        "remedied_actively",
        "exceeded_statutory_scope",
    }
    result = conflict.witness.results[tiny_report.version.name]
    assert {o.outcome for o in result.outcomes} == {"exempt", "excluded"}
    others = {c.name: c.status for c in tiny_report.checks if c is not conflict}
    assert others == {
        "out_of_scope_with_other": "proved",
        "out_of_scope_with_consequence": "proved",
        "none_with_exempt_or_duty_fulfilled": "proved",
        "duty_fulfilled_with_excluded": "not_applicable",
        "a17_consequence_without_its_object": "proved",  # no consequence at all here
        "notice_due_guessed": "proved",
    }  # no blocks(a13, a10_p1) here


def test_the_fixed_rule_set_is_proved_free_of_the_conflict(tmp_path):
    report = check(drafting.load(str(tiny(tmp_path, "blocks(a13, a11_p2).\n"))))
    assert not report.conflicts
    assert {c.status for c in report.checks} == {"proved", "not_applicable"}


def test_dead_rules(tiny_report):
    assert sorted(lines(tiny_report, "dead")) == [
        # nothing blocks anything here (no blocks/2)
        "blocked(C,O,S,I,D) :- grant(C,O,S,I); blocks(D,S); grant(C,_,D,_).",
        # the planted one
        "grant(C,mitigated,a12_p1,a12_p1_i3) :- in_scope(C); not fact(C,enforcement_personnel).",
        # no clause here words "shall", so no "may" is ever outranked
        "outranked(C,O,M) :- ground(C,O,S,_); modality(S,M); stronger(M2,M); ground(C,O,S2,_); modality(S2,M2).",
        # dead with the planted one: the only grant on a catch-all item is the planted rule
        "rests_on_catch_all(C,O) :- ground(C,O,_,I); catch_all(I); not enumerated_ground(C,O).",
    ]


def test_a_rule_that_fires_only_on_contradictory_input(tiny_report):
    found = {f.rule.text: f.facts for f in tiny_report.of_kind("rejected_only")}
    text = (
        "grant(C,duty_fulfilled,a10_p1,a10_p1_i1) :- in_scope(C); fact(C,performed_per_statutory_duty); "
        "fact(C,exceeded_statutory_scope)."
    )
    assert set(found[text]) >= {"performed_per_statutory_duty", "exceeded_statutory_scope"}


def test_a_redundant_rule_and_the_fact_it_leaves_inert(tiny_report):
    # (redundant tables too, this small rule set has no use for: stronger/2, catch_all/1, precedes/2)
    assert [f.rule.text for f in tiny_report.of_kind("redundant") if not f.rule.is_fact] == [
        # with the only grant on a catch-all item dead, no outcome can rest on one: nothing reads this
        "enumerated_ground(C,O) :- ground(C,O,_,I); not catch_all(I).",
        "grant(C,mitigated,a12_p1,a12_p1_i2) :- in_scope(C); fact(C,cooperated_with_investigation); "
        "fact(C,accepted_responsibility).",
    ]
    assert "precedes(duty_fulfilled,exempt)." in lines(tiny_report, "redundant")
    assert "accepted_responsibility" in tiny_report.inert
    assert "cooperated_with_investigation" not in tiny_report.inert + tiny_report.never_decisive
    assert "major_loss" in tiny_report.inert  # no rule of this rule set reads it


def test_the_space_is_counted_not_sampled(tiny_report):
    size = tiny_report.size
    assert size.combinations == 2**size.facts
    # three incompatible pairs over four facts leave 8 of their 16 combinations
    assert size.valid == 2 ** (size.facts - 4) * 8
    assert size.total == size.valid * size.day_choices


def test_the_dates_counted_are_those_in_an_order_the_rules_accept():
    """size(): the settings of the dates no date_order rejects, counted over the orders' tree — against
    every setting of four days, enumerated."""
    orders = [(k, later, "after" if strict else "not_before") for k, later, strict in DATE_ORDER]
    keys, values = vocab.date_keys(), [None, 0, 1, 2, 3]

    def accepted(setting):
        d = dict(zip(keys, setting, strict=True))
        return all(
            d[k] is None or d[later] is None or (d[later] > d[k] if strict else d[later] >= d[k])
            for k, later, strict in DATE_ORDER
        )

    assert size(4, [], orders).valid_dates == sum(map(accepted, itertools.product(values, repeat=len(keys))))
    assert size(4, [], []).valid_dates is None and size(0, [], orders).valid_dates is None  # all count, no dates


@pytest.fixture(scope="module")
def bundled():
    return {p: check(drafting.load(f"profile:{p}")) for p in ("default", "literal", "strict")}


@pytest.mark.parametrize("profile", ["default", "literal", "strict"])
def test_the_bundled_rules_are_free_of_conflicts(bundled, profile):
    report = bundled[profile]
    assert not report.conflicts
    q3 = next(c for c in report.checks if c.name == "duty_fulfilled_with_excluded")
    assert q3.status == ("not_applicable" if profile == "literal" else "proved")
    assert not report.of_kind("dead")  # the calendar windows reach every rest-day and uncovered rule too
    # a14's application gives determination_required: it changes what is shown, never the disposition
    assert "applied_by_individual" in report.never_decisive and "applied_by_individual" not in report.inert
    # the input checks: contradictory facts, dates out of order (analysis.md §5)
    assert {f.rule.file for f in report.of_kind("rejected_only")} == {"rules/_mechanism/contradictions.lp"}
    assert len(report.of_kind("rejected_only")) == 3
    assert report.size.valid_dates and report.size.valid_dates < (report.size.days + 1) ** report.size.date_keys
    # a11 mitigation after a blocked exemption is itself blocked under every profile's Q2
    assert any("blocked(C,exempt,a11_p2,I,_)" in f.rule.text for f in report.of_kind("grounds_only"))
    assert {x.text.split("(")[0] for x in report.outside} == {"fact", "date"}  # input.lp unpacking word/3, dates/7


def test_strict_leaves_the_a4_facts_inert(bundled):
    report = bundled["strict"]
    assert {"acted_within_duty", "corrected_timely", "cause_unforeseeable"} <= set(report.inert)
    assert any(x.text.startswith("a4_elements") for x in report.unread)


def test_the_report_names_what_keeps_many_cases_off_the_fast_path(bundled, tmp_path):
    """Two lines say how a batch would evaluate the rules: the facts-only ones compiled or the rule that
    sends them to clingo (engine.compiled), the dated ones vectorised or the rule that does (engine.dated)."""
    assert all(r.fallback is None and r.dated_fallback is None for r in bundled.values())
    draft = tmp_path / "off-the-fast-path"
    (draft / "rules").mkdir(parents=True)
    (draft / "DRAFT.md").write_text("# A weight rule on facts, an aggregate over dates\n")
    (draft / "rules" / "zz_counts.lp").write_text(
        "many_facts(C) :- case(C), #count { F : fact(C, F) } >= 3.\n"
        "consequence(C, many_dates, a14) :- case(C), #count { K : date(C, K, _) } >= 3.\n"
    )
    report = check(drafting.load(str(draft)), 0)
    assert "weight rule" in report.fallback and "rules/zz_counts.lp:1" in report.fallback
    assert "aggregate" in report.dated_fallback and "rules/zz_counts.lp:2" in report.dated_fallback
    out = tmp_path / "out"
    assert rongcuo("check", "--rules", draft, "--days", "0", "--out", out, "--lang", "en").returncode == 0
    shown = json.loads((out / "report.json").read_text("utf-8"))
    assert (shown["compiled"], shown["dated_vectorised"]) == (False, False)
    assert (shown["fallback"], shown["dated_fallback"]) == (report.fallback, report.dated_fallback)
    english = (out / "report.md").read_text("utf-8")
    assert (
        f"the dated rules are not vectorised, clingo grounds them for the cases of each call — {report.dated_fallback}"
        in english
    )
    assert "the facts-only rules are not compiled" in english
    chinese = rongcuo("check", "--rules", draft, "--days", "0").stdout
    assert f"读日期的规则未能向量化，由 clingo 为每次调用的全部案件落地求值 — {report.dated_fallback}" in chinese
    assert "仅读事实的规则未能编译" in chinese
    assert "读日期的规则已向量化" in rongcuo("check", "--days", "0").stdout


def test_diff_of_default_and_literal_is_exactly_q1_q3_q6_and_q11():
    report = diff(drafting.load("profile:default"), drafting.load("profile:literal"))
    assert report.complete and report.classes
    found = {"q1": 0, "q3": 0, "q6": 0, "q11": 0}
    for c in report.classes:
        facts = set(c.witness.case.true_facts())
        old, new = (c.witness.results[name] for name in ("profile:default", "profile:literal"))
        if facts & A13:
            assert c.old == "excluded"  # only the reading of a13 changes
            if len(facts & A13) == 1:  # Q1: one violation is enough under default, not under literal
                found["q1"] += 1
                assert any(x.sign == "lost" and x.name == "excluded" for x in c.changes)
            else:  # Q3: both violations; a13 defeats duty_fulfilled under default only
                found["q3"] += 1
                assert c.new == "duty_fulfilled" and [(x.sign, x.name) for x in c.changes] == [
                    ("gained", "duty_fulfilled")
                ]
        elif A4 <= facts:  # Q11: a4 over a serious harm gives exempt under literal only
            found["q11"] += 1
            assert facts & {"major_loss", "serious_adverse_impact"}
            assert [(x.sign, x.name) for x in c.changes] == [("gained", "exempt")] or c.old == "none"
            assert new.outcome("exempt").grounds == ("a4",) and not old.outcome("exempt")
        else:  # Q6: the notice period's last day — a rest day moves it, the calendar's end stops it
            found["q6"] += 1
            assert c.old == c.new and "decision" in c.witness.case.dates
            assert {x.kind for x in c.changes} == {"consequence"}
            assert {x.name for x in c.changes} <= {
                "notification_due",
                "notification_due_uncovered",
                "notification_late",
            }
            due = {
                v: [x.key for x in r.consequences if x.consequence.startswith("notification_due")]
                for v, r in [("default", old), ("literal", new)]
            }
            assert due["default"] != due["literal"]
    assert found["q1"] and found["q3"] == 1 and found["q11"] and found["q6"] == 4


def test_diff_of_a_version_with_itself_is_a_proof_of_no_difference():
    report = diff(drafting.load("profile:strict"), drafting.load("profile:strict"))
    assert report.same and report.complete


def test_draft_with_a_conflict():
    report = check(drafting.load(str(DRAFTS / "a12-exemption-ignores-a13")))
    (conflict,) = report.conflicts
    facts = set(conflict.witness.case.true_facts())
    assert len(facts) == 4 and {"proactively_limited_loss", "remedied_actively"} <= facts and facts & A13
    assert not check(drafting.load(str(DRAFTS / "a12-exemption-ignores-a13"), "strict")).conflicts


def test_draft_that_shifts_behaviour(tmp_path):
    old, new = drafting.load("profile:default"), drafting.load(str(DRAFTS / "a12-cooperation-suffices"))
    checked = check(new)
    assert not checked.conflicts and "accepted_responsibility" in checked.inert
    report = diff(old, new)
    assert ("none", "mitigated") in {(c.old, c.new) for c in report.classes}
    for c in report.classes:  # every difference is an officer who cooperated but did not accept responsibility
        assert "cooperated_with_investigation" in c.witness.case.true_facts()
        assert "accepted_responsibility" not in c.witness.case.true_facts()
    one = tmp_path / "c.yaml"
    one.write_text(
        yaml.safe_dump({"id": "C", "facts": {"enforcement_personnel": True, "cooperated_with_investigation": True}})
    )
    corpus(report, [load_case(one)])
    assert [(x.case, x.old, x.new) for x in report.cases] == [("C", "none", "mitigated")]


def test_draft_that_changes_nothing_observable():
    old, new = drafting.load("profile:default"), drafting.load(str(DRAFTS / "a10-table-refactor"))
    assert old.rules.digest != new.rules.digest
    assert diff(old, new).same


def test_check_cli_exit_codes_witnesses_and_json(tmp_path):
    run = rongcuo("check", "--rules", DRAFTS / "a12-exemption-ignores-a13", "--witnesses", tmp_path, "--format", "json")
    assert run.returncode == 1, run.stderr
    out = json.loads(run.stdout)
    assert out["rules"] == drafting.load(str(DRAFTS / "a12-exemption-ignores-a13")).rules.digest
    (conflict,) = [c for c in out["conflicts"] if c["status"] == "conflict"]
    (answer,) = conflict["witness"]["results"].values()
    assert {"exempt", "excluded"} <= {o["outcome"] for o in answer["outcomes"]}
    # the witness is a case file `rongcuo evaluate` runs (the bundled rules exclude without exempting)
    evaluated = rongcuo("evaluate", conflict["witness"]["file"], "--format", "json", "--as-of", "2024-01-01")
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["disposition"] == "excluded"
    ok = rongcuo("check", "--lang", "en")
    assert ok.returncode == 0 and "no conflict (proved)" in ok.stdout
    assert RuleSet.load().digest in ok.stdout and "not a sample" in ok.stdout


def test_diff_cli_reports_and_cases(tmp_path):
    run = rongcuo(
        "diff",
        "profile:default",
        "profile:literal",
        "--cases",
        ROOT / "measure" / "golden",
        "--out",
        tmp_path,
        "--lang",
        "en",
    )
    assert run.returncode == 1, run.stderr
    assert "G-Q3-DUTY-FULFILLED-VS-EXCLUSION: excluded from tolerance → duty fulfilled (no liability)" in run.stdout
    html = (tmp_path / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "http" not in html.split("<body>")[0]
    assert (tmp_path / "report.md").read_text().startswith("# Rule versions compared")
    assert list((tmp_path / "witnesses").glob("diff-*.yaml"))
    same = rongcuo("diff", "profile:default", DRAFTS / "a10-table-refactor", "--lang", "en")
    assert same.returncode == 0 and "No behavioural difference (proved)" in same.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("check", "--rules", "/no/such/dir"), "/no/such/dir：没有这个规则目录"),
        (("check", "--profile", "nope"), "没有解释口径 'nope'，可用：default、literal、strict"),
        (("diff", "profile:default", "profile:nope"), "没有解释口径 'nope'"),
        (("check", "--profile", "nope", "--lang", "en"), "no profile 'nope'"),
        (("diff", "profile:default", "profile:nope", "--lang", "en"), "no profile 'nope'"),
    ],
)
def test_bad_rule_sets_one_line_exit_2(args, message):
    run = rongcuo(*args)
    assert run.returncode == 2 and message in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_a_draft_cannot_include_or_link_outside_the_merged_rules(tmp_path):
    (tmp_path / "outside.lp").write_text("grant(C, exempt, a4, a4) :- case(C).\n")
    draft = tmp_path / "draft"
    (draft / "rules").mkdir(parents=True)
    (draft / "DRAFT.md").write_text("# an include outside\n")
    (draft / "rules" / "x.lp").write_text(f'#include "{tmp_path / "outside.lp"}".\n')
    with pytest.raises(RuleError, match="outside the rule base"):
        drafting.load(str(draft))
    (draft / "rules" / "x.lp").unlink()
    (draft / "rules" / "x.lp").symlink_to(tmp_path / "outside.lp")
    with pytest.raises(RuleError, match="outside the rule base"):
        drafting.load(str(draft))
    assert drafting.load(str(draft), trusted=True).draft == "an include outside"


def very_late_draft(tmp_path):
    """Issue 17's draft: a rule that fires when notice comes more than 20 days after the decision,
    and a check that it can fire."""
    draft = tmp_path / "very-late"
    (draft / "rules").mkdir(parents=True)
    (draft / "checks").mkdir()
    (draft / "DRAFT.md").write_text("# Notice more than 20 days late\n")
    (draft / "rules" / "a14_very_late.lp").write_text(
        "% [a14.p1] a notice more than 20 days after the decision\n"
        "consequence(C, notification_very_late, a14) :-\n"
        "    in_scope(C), date(C, decision, D), date(C, notified, N), N > D + 20.\n"
    )
    (draft / "checks" / "very_late_can_fire.lp").write_text(
        "conflict(very_late_can_fire) :- consequence(C, notification_very_late, _).\n"
    )
    return draft


def test_the_window_covers_what_the_rules_look_at(tmp_path):
    """No flag: the window is read off the rules (N > D + 20), so the witness is found — never a
    "proof" over 17 days that it cannot fire; a window chosen too small says it is no proof."""
    from rongcuo.drafting.reach import reach

    bundled = drafting.load("profile:default")
    assert reach(bundled.rules.statements).days == 17  # a14's seven days, the National Day run
    version = drafting.load(str(very_late_draft(tmp_path)))
    looks = reach(version.rules.statements)
    assert looks.distance == 21 and looks.days == 30 and not looks.unbounded
    report = check(version)
    (found,) = [c for c in report.checks if c.name == "very_late_can_fire"]
    assert found.status == "conflict" and report.size.short is None
    assert found.witness.case.dates["notified"] - found.witness.case.dates["decision"] > dt.timedelta(days=20)
    assert not any(f.rule.file == "rules/a14_very_late.lp" for f in report.of_kind("dead"))
    small = check(version, 17)
    assert small.size.short and "--days 30" in small.size.short
    out = rongcuo("check", "--rules", str(very_late_draft(tmp_path / "cli")), "--days", "17", "--lang", "en")
    assert "Not a proof: dates only within 17 days" in out.stdout and "proved" not in out.stdout


def test_unbounded_date_arithmetic_is_no_proof(tmp_path):
    """A recursion moving a date that the calendar does not hold: no window is a proof."""
    from rongcuo.drafting.reach import reach
    from rongcuo.engine.program import parse

    path = tmp_path / "r.lp"
    path.write_text(
        "walk(C, D) :- date(C, decision, D).\nwalk(C, D + 1) :- walk(C, D), fact(C, enforcement_personnel).\n"
    )
    looks = reach(parse([path], tmp_path))
    assert looks.unbounded and looks.short(100)


def test_a_draft_is_a_rule_set_like_any_other(tmp_path):
    """evaluate, explain, clauses and test take --rules DRAFT with the bundled profiles; a witness's
    replay command names the rules it was found under and shows the conflict."""
    draft = very_late_draft(tmp_path)
    out = tmp_path / "w"
    assert rongcuo("check", "--rules", draft, "--witnesses", out).returncode == 1
    path = out / "conflict-very_late_can_fire.yaml"
    (replay,) = [line[2:] for line in path.read_text().splitlines() if line.startswith("# rongcuo evaluate")]
    assert replay.endswith(f"--rules {draft}")
    args = replay.split()[1:]
    shown = rongcuo(*args, "--format", "json")
    assert shown.returncode == 0 and "notification_very_late" in shown.stdout
    assert rongcuo("explain", path, "--rules", draft, "--as-of", "2024-01-01").returncode == 0
    assert rongcuo("clauses", "--rules", draft, "--format", "json").returncode == 0
    tested = rongcuo("test", "--rules", DRAFTS / "a12-cooperation-suffices", "--profile", "default")
    assert tested.returncode == 1 and "g-a12-p1-i2-cooperated-only" in tested.stdout


def test_a_draft_with_new_names_and_clauses_runs(tmp_path):
    """A new consequence, a clause the measure lacks: evaluate and check answer (no traceback)."""
    draft = tmp_path / "new"
    (draft / "rules").mkdir(parents=True)
    (draft / "DRAFT.md").write_text("# New names\n")
    (draft / "rules" / "new.lp").write_text(
        "consequence(C, brand_new_consequence, a99) :- in_scope(C), fact(C, enforcement_personnel).\n"
        "grant(C, mitigated, a12_p1, a12_p9_i9) :- in_scope(C), fact(C, cooperated_with_investigation).\n"
    )
    case = tmp_path / "c.yaml"
    case.write_text("id: C1\nfacts: {enforcement_personnel: true, cooperated_with_investigation: true}\n")
    shown = rongcuo("evaluate", case, "--rules", draft, "--format", "json")
    assert shown.returncode == 0 and "brand_new_consequence" in shown.stdout
    assert rongcuo("explain", case, "--rules", draft).returncode == 0
    assert rongcuo("check", "--rules", draft, "--days", "0").returncode in (0, 1)


def test_rule_lint_at_load(tmp_path):
    """Before any solving, one line each: a misspelt fact id (did-you-mean; evaluate refuses it
    unless --trust), a predicate defined nowhere, clauses the measure lacks, an unlabelled consequence."""
    from rongcuo.engine.lint import lint

    for profile in ("default", "strict", "literal"):
        assert lint(RuleSet.load(profile, corpus=True)) == []
    draft = tmp_path / "typo"
    (draft / "rules").mkdir(parents=True)
    (draft / "DRAFT.md").write_text("# Typos\n")
    (draft / "rules" / "typo.lp").write_text(
        "% [a99.p1] no such article\n"
        "grant(C, mitigated, a12_p1, a12_p1_i2) :- in_scope(C), fact(C, cooperated_with_inquiry).\n"
        "consequence(C, brand_new, a14) :- in_scope(C), nowhere(C).\n"
    )
    found = [str(f) for f in lint(drafting.load(str(draft)).rules)]
    assert found[0].startswith("rules/typo.lp:2: error: fact id 'cooperated_with_inquiry'")
    assert "did you mean 'cooperated_with_investigation'?" in found[0]
    assert any("[a99.p1]" in f for f in found) and any("nowhere/1" in f for f in found)
    assert any("'brand_new' has no zh/en labels" in f for f in found)
    checked = rongcuo("check", "--rules", draft, "--days", "0")
    assert "cooperated_with_inquiry" in checked.stderr.splitlines()[0]
    assert "错误: 事实编号 'cooperated_with_inquiry' 不在词表中 — 是否指" in checked.stderr  # the run's language
    assert "[a99.p1]，本办法没有这一条款" in checked.stderr
    case = tmp_path / "c.yaml"
    case.write_text("id: C1\nfacts: {enforcement_personnel: true}\n")
    refused = rongcuo("evaluate", case, "--rules", draft)
    assert refused.returncode == 2 and "--trust" in refused.stderr
    assert rongcuo("evaluate", case, "--rules", draft, "--trust").returncode == 0


def test_diff_cases_in_the_open_world(tmp_path):
    """A case whose change depends on an unknown fact may change, with the facts that decide it."""
    old, new = drafting.load("profile:default"), drafting.load(str(DRAFTS / "a12-cooperation-suffices"))
    report = diff(old, new, days=0)
    one = tmp_path / "c.yaml"
    one.write_text(
        yaml.safe_dump(
            {"id": "C", "facts": {"enforcement_personnel": "unknown", "cooperated_with_investigation": True}}
        )
    )
    corpus(report, [load_case(one)])
    (change,) = report.cases
    assert not change.certain and "enforcement_personnel" in change.deciding
    assert "mitigated" in change.new.split("/") and "mitigated" not in change.old.split("/")
