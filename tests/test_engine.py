"""The engine: rule sets loaded safely, hashed, and many cases in one grounding."""

import datetime as dt
import shutil

import pytest
from clingo import ast

from rongcuo.engine import RuleError, RuleSet, bundled_root, day, inputs
from rongcuo.engine.inputs import DATED_INPUT, add_dates
from rongcuo.engine.split import split
from rongcuo.model import calendar
from rongcuo.model import vocabulary as vocab
from rongcuo.model.case import parse_case


def copy_rules(tmp_path):
    root = tmp_path / "asp"
    shutil.copytree(bundled_root(), root)
    return root


def case(i, **facts):
    return parse_case({"id": f"C{i}", "facts": {"enforcement_personnel": True, **facts}}, "t")


def test_hash_is_stable_and_names_the_profile(tmp_path):
    a, b = RuleSet.load("default"), RuleSet.load("default")
    assert a.digest == b.digest and len(a.digest) == 16
    assert RuleSet.load("literal").digest != a.digest
    assert RuleSet.load("default", copy_rules(tmp_path)).digest == a.digest  # content, not location


def test_hash_changes_with_any_rule_text(tmp_path):
    root = copy_rules(tmp_path)
    with open(root / "readings" / "q01_either.lp", "a") as f:
        f.write("% an edit\n")
    assert RuleSet.load("default", root).digest != RuleSet.load("default").digest
    assert RuleSet.load("literal", root).digest == RuleSet.load("literal").digest  # literal uses q1_both


def test_script_is_refused_unless_trusted(tmp_path):
    root = copy_rules(tmp_path)
    (root / "rules" / "evil.lp").write_text("#script (python)\nimport os\n#end.\n")
    with pytest.raises(RuleError, match="#script in a rule file"):
        RuleSet.load("default", root)
    assert RuleSet.load("default", root, trusted=True).digest


def test_include_outside_the_rule_base_is_refused_unless_trusted(tmp_path):
    root = copy_rules(tmp_path)
    (tmp_path / "outside.lp").write_text("extra(1).\n")
    (root / "profiles" / "mine.lp").write_text('#include "../../outside.lp".\n#include "../readings/q01_either.lp".\n')
    with pytest.raises(RuleError, match="included from outside the rule base"):
        RuleSet.load("mine", root)
    assert RuleSet.load("mine", root, trusted=True).digest


def test_includes_inside_the_rule_base_are_fine_and_unknown_profile_is_named(tmp_path):
    with pytest.raises(RuleError, match="no profile 'nope' — available: default, literal, strict"):
        RuleSet.load("nope")


def test_parse_error_is_a_rule_error(tmp_path):
    root = copy_rules(tmp_path)
    (root / "rules" / "broken.lp").write_text("grant(C :- .\n")
    with pytest.raises(RuleError, match="do not parse"):
        RuleSet.load("default", root)


def test_ambiguous_rule_set_is_reported(tmp_path):
    root = copy_rules(tmp_path)
    (root / "rules" / "loop.lp").write_text("p(C) :- case(C), not q(C). q(C) :- case(C), not p(C).\n")
    with pytest.raises(RuleError, match="ambiguous"):
        RuleSet.load("default", root).evaluate([case(0)])


def test_many_cases_in_one_grounding_keep_their_own_answers(default_rules):
    cases = [
        case(0, inspection_target_concealed=True, not_prohibited_by_law=True, remedied_actively=True),
        case(1, exceeded_statutory_scope=True),
        parse_case({"id": "C2"}, "t"),
        case(3),
    ]
    assert [r.disposition for r in default_rules.evaluate(cases)] == ["exempt", "excluded", "out_of_scope", "none"]
    assert [r.case for r in default_rules.evaluate(cases)] == ["C0", "C1", "C2", "C3"]


def test_dates_are_compared_in_asp(default_rules):
    decided = {"id": "D", "facts": {"enforcement_personnel": True}, "dates": {"decision": "2024-03-20"}}
    on_time = parse_case({**decided, "dates": {"decision": "2024-03-20", "notified": "2024-03-27"}}, "t")
    late = parse_case({**decided, "dates": {"decision": "2024-03-20", "notified": "2024-03-28"}}, "t")
    silent = parse_case(decided, "t")
    keys = [
        {c.key for c in r.consequences}
        for r in default_rules.evaluate([on_time, late, silent], as_of=dt.date(2024, 3, 28))
    ]
    assert "notification_due(2024-03-27)" in keys[0] and "notification_late" not in keys[0]
    assert "notification_late" in keys[1]
    assert "notification_late" in keys[2]
    before_due = default_rules.evaluate([silent], as_of=dt.date(2024, 3, 27))[0]
    assert "notification_late" not in {c.key for c in before_due.consequences}


def test_effective_date_marks_earlier_conduct(default_rules):
    old = parse_case({"id": "O", "facts": {"enforcement_personnel": True}, "dates": {"conduct": "2019-05-01"}}, "t")

    def keys(result):
        return {c.key for c in result.consequences}

    assert "predates_measure" in keys(default_rules.evaluate([old], effective_date=dt.date(2020, 1, 1))[0])
    assert "predates_measure" not in keys(default_rules.evaluate([old])[0])


def test_a18_recurrence_over_a_set_of_cases():
    rules = RuleSet.load("default", corpus=True)
    assert rules.digest != RuleSet.load("default").digest
    days = ["2024-01-10", "2024-05-01", "2024-12-30", "2025-06-01"]
    cases = [
        parse_case(
            {
                "id": f"R{i}",
                "error_type": "漏检隐患",
                "facts": {"enforcement_personnel": True},
                "dates": {"conduct": d},
            },
            "t",
        )
        for i, d in enumerate(days)
    ]
    results = rules.evaluate(cases, recurrence=(3, 365))
    warned = [r.case for r in results if any(c.consequence == "recurrence_warning" for c in r.consequences)]
    assert warned == ["R0", "R1", "R2"]
    assert results[0].consequences[-1].args == ("error_type", "漏检隐患")
    assert not any(
        c.consequence == "recurrence_warning"
        for r in rules.evaluate(cases, recurrence=(4, 365))
        for c in r.consequences
    )


def test_rules_must_give_one_disposition_and_clauses_they_lack_are_named(tmp_path):
    root = copy_rules(tmp_path)
    (root / "rules" / "twice.lp").write_text("disposition(C, none) :- case(C).\n")
    with pytest.raises(RuleError, match="dispositions for a case, not one"):
        RuleSet.load("default", root).evaluate([case(0, inspection_target_concealed=True)])
    root = copy_rules(tmp_path / "b")
    (root / "rules" / "ghost.lp").write_text("grant(C, mitigated, a12_p9, a12_p9) :- in_scope(C).\n")
    ghost = RuleSet.load("default", root)
    # A draft's clause the measure lacks is no crash (issue 17): the lint names it, the answer cites it last.
    from rongcuo.engine.lint import lint

    assert any("cites a12.p9, which the measure does not have" in str(f) for f in lint(ghost))
    (result,) = ghost.evaluate([case(0, enforcement_personnel=True)])
    assert "a12.p9" in {c for o in result.outcomes for c in o.grounds}


def test_the_split_puts_only_what_reads_dates_on_top(default_rules):
    """engine.split: the rules that read dates, parameters or the calendar, and what they define, are
    evaluated per case; the rest once per fact set. The dated rules read four atoms of the rest."""
    assert {("working_day", 1), ("rest_day", 1)} <= DATED_INPUT  # the calendar is dated input
    parts = split(default_rules.statements)
    top = [s for s in parts.top if s.ast_type == ast.ASTType.Rule]
    heads = {str(r.head).split("(")[0] for r in top}
    assert heads == {"date", "period_day", "notice_due", "consequence", "deadline", "extended", "contradiction"}
    dated = ("date(", "dates(", "param(", "period_day(", "notice_due(", "deadline(", "extended(")
    assert all(any(w in "; ".join(map(str, r.body)) for w in dated) for r in top)
    assert any("rest_day(" in str(r) for r in top) and any("working_day(" in str(r) for r in top)
    assert parts.interface == {
        ("in_scope", 1),
        ("correction_object", 1),
        ("extension_permissible", 1),
        ("date_order", 3),  # a table: given once, without cases
    }


def test_a_rule_that_makes_an_outcome_depend_on_a_date_moves_the_outcome_to_the_top(tmp_path):
    root = copy_rules(tmp_path)
    (root / "rules" / "dated.lp").write_text(
        "grant(C, exempt, a11_p1, a11_p1_i1) :- in_scope(C), date(C, conduct, D), D < 10000.\n"
    )
    rules = RuleSet.load("default", root)
    # grant/4 now has a dated rule: everything downstream of it is top, reading the other grants and the tables.
    assert {("grant", 4), ("fact", 2), ("blocks", 2), ("modality", 2)} <= split(rules.statements).interface
    cases = [
        parse_case(
            {"id": f"T{i}", "facts": {"enforcement_personnel": True, **facts}, "dates": {"conduct": conduct}}, "t"
        )
        for i, (facts, conduct) in enumerate(
            [({}, "1990-01-01"), ({}, "2024-01-01"), ({"exceeded_statutory_scope": True}, "1990-01-01")]
        )
    ]
    results = rules.evaluate(cases)
    assert [r.disposition for r in results] == ["exempt", "none", "excluded"]
    assert results == [r for r, _ in rules.tracer.trace(cases)[0]]


def test_dates_travel_packed_and_are_unpacked_in_the_vocabulary_order(default_rules):
    """One dates/7 atom per case (symbols.add_dates) unpacks into date/3 as the vocabulary names the keys."""
    dates = {key: dt.date(2024, 1, 1 + i) for i, key in enumerate(vocab.date_keys())}
    ctl = default_rules.control()
    with ctl.backend() as backend:
        add_dates(backend, 0, parse_case({"id": "D", "dates": dates}, "t"))
        add_dates(backend, 1, parse_case({"id": "E", "dates": {"notified": "2024-03-01"}}, "t"))
    ctl.ground([("base", [])])
    found = {
        (a.symbol.arguments[0].number, a.symbol.arguments[1].name, a.symbol.arguments[2].number)
        for a in ctl.symbolic_atoms.by_signature("date", 3)
    }
    assert found == {*((0, k, day(d)) for k, d in dates.items()), (1, "notified", day(dt.date(2024, 3, 1)))}


def test_a18_counts_only_cases_in_scope():
    """a2: three cases of one error type, one of them out of scope, are two — no warning at three."""
    rules = RuleSet.load("default", corpus=True)
    cases = [
        parse_case(
            {
                "id": f"R{i}",
                "error_type": "漏检隐患",
                "facts": {"enforcement_personnel": i != 1},
                "dates": {"conduct": d},
            },
            "t",
        )
        for i, d in enumerate(["2024-01-10", "2024-02-10", "2024-03-10"])
    ]

    def warned(results):
        return [r.case for r in results if any(c.consequence == "recurrence_warning" for c in r.consequences)]

    assert warned(rules.evaluate(cases, recurrence=(3, 365))) == []
    assert warned(rules.evaluate(cases, recurrence=(2, 365))) == ["R0", "R2"]  # the out-of-scope case never


def test_the_calendar_goes_in_for_the_days_after_each_decision_only():
    """engine.inputs: working_day/rest_day for the SPAN days after a decision, none past the calendar."""
    decided = parse_case({"id": "D", "dates": {"conduct": "2024-09-01", "decision": "2024-09-27"}}, "t")
    undecided = parse_case({"id": "U", "dates": {"conduct": "2024-09-01"}}, "t")
    start = day(dt.date(2024, 9, 27))
    assert inputs.calendar_days([undecided]) == []
    assert inputs.calendar_days([decided, decided]) == list(range(start + 1, start + inputs.SPAN + 1))
    atoms = {str(a) for a in inputs.calendar_atoms(inputs.calendar_days([decided]))}
    assert f"rest_day({day(dt.date(2024, 10, 1))})" in atoms  # National Day
    assert f"working_day({day(dt.date(2024, 9, 29))})" in atoms  # a Sunday worked in lieu
    assert f"rest_day({day(dt.date(2024, 10, 13))})" in atoms  # a plain Sunday
    late = parse_case({"id": "L", "dates": {"decision": "2026-12-28"}}, "t")
    days = inputs.calendar_days([late])
    assert len(inputs.calendar_atoms(days)) == 3  # 12-29 … 12-31 covered; nothing for 2027


def test_the_calendar_span_holds_the_longest_period():
    """SPAN reaches past the longest period any reading counts, from any day the calendar covers:
    the seventh working day, or a seventh day moved over a run of rest days."""
    first, last = calendar.FIRST, calendar.LAST - dt.timedelta(days=inputs.SPAN)
    work = [d for d in range(day(first), day(last) + inputs.SPAN + 1) if calendar.kind_of_day(d) == "work"]
    longest, following = 0, 0
    for decision in range(day(first), day(last) + 1):
        while work[following] <= decision:
            following += 1
        longest = max(longest, work[following + 6] - decision)  # the seventh working day
        seventh = decision + 7
        while calendar.kind_of_day(seventh) == "rest":
            seventh += 1
        longest = max(longest, seventh - decision)
    assert 17 <= longest <= inputs.SPAN


def test_seven_working_days_is_a_reading_a_profile_can_take(tmp_path):
    """readings/q06_working_days.lp: the seventh working day after the decision, by the official calendar."""
    root = copy_rules(tmp_path)
    profile = (root / "profiles" / "default.lp").read_text().replace("q06_rest_day_shift", "q06_working_days")
    (root / "profiles" / "working_days.lp").write_text(profile)
    rules = RuleSet.load("working_days", root)
    # 2024-09-27 (Fri): 9-29 (a Sunday worked), 9-30, National Day off, 10-8 … 10-11, 10-12 (a Saturday worked)
    case = parse_case({"id": "W", "facts": {"enforcement_personnel": True}, "dates": {"decision": "2024-09-27"}}, "t")
    (result,) = rules.evaluate([case], as_of=dt.date(2024, 10, 1))
    assert "notification_due(2024-10-12)" in {c.key for c in result.consequences}


def test_a_consequence_the_vocabulary_does_not_list_is_read_not_refused(tmp_path):
    """A draft may add a consequence: it is read like the others, after those the vocabulary lists."""
    root = copy_rules(tmp_path)
    with open(root / "rules" / "a14_a17_determination.lp", "a") as f:
        f.write("consequence(C, a_drafters_new_duty, a14) :- in_scope(C).\n")
    (result,) = RuleSet.load("default", root).evaluate([case(0, applied_by_individual=True)])
    assert [c.consequence for c in result.consequences] == ["determination_required", "a_drafters_new_duty"]
