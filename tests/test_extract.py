"""Fact extraction: the labelled set's targets, negation and hedges, encodings, the lexicon as data, properties."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rongcuo.extract import Lexicon, case_record, propose, to_case
from rongcuo.extract.dates import find_dates
from rongcuo.extract.evaluate import evaluate, load_labelled
from rongcuo.extract.lexicon import GAP_MARK
from rongcuo.model import vocabulary as vocab
from rongcuo.model.case import CaseError, parse_case
from rongcuo.model.files import load_case

from .conftest import AS_OF, ROOT, rongcuo

NARRATIVES = ROOT / "cases" / "narratives"
LEXICON = Lexicon.load()


def facts(text: str) -> dict:
    return {f: m.value for f, m in propose(text, LEXICON).facts.items()}


# The labelled set --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled():
    return load_labelled(NARRATIVES, LEXICON)


def test_extraction_meets_its_targets_on_the_labelled_set(labelled, default_rules):
    ev = evaluate(NARRATIVES, labelled, default_rules, LEXICON, as_of=AS_OF)
    assert ev.cases >= 60
    assert ev.micro.precision >= 0.90, ev.micro
    assert ev.micro.recall >= 0.80, ev.micro
    assert ev.agreement >= 0.90, ev.disagreements


def test_labelled_set_states_every_fact_twice_and_has_negated_mentions(labelled):
    counts = {f: sum(i.truth.facts.get(f) is True for i in labelled) for f in vocab.fact_ids()}
    assert {f: n for f, n in counts.items() if n < 2} == {}
    assert sum(v is False for i in labelled for v in i.truth.facts.values()) >= 20


def test_every_label_is_an_ordinary_case_without_a_narrative(labelled):
    for item in labelled:
        assert item.truth.id == item.narrative.stem and item.truth.narrative is None


# Negation, hedges, blocking words ----------------------------------------------------------------


def test_a_negated_mention_is_false_with_its_evidence():
    text = "经查，当事人并未隐瞒真实情况，也没有提供虚假材料。事件未造成重大损失。"
    proposal = propose(text, LEXICON)
    deception = proposal.facts["counterparty_deception"]
    assert (deception.value, deception.reason) == (False, "negated")
    assert (
        text[deception.sentence.start : deception.sentence.end] == "经查，当事人并未隐瞒真实情况，也没有提供虚假材料。"
    )
    assert proposal.facts["major_loss"].value is False


def test_negation_stays_in_its_clause_and_stops_at_a_contrast():
    assert facts("执法人员未能及时发现，当事人故意隐瞒了过期食品。")["inspection_target_concealed"] is True
    assert facts("虽未造成重大损失但造成严重不良影响。") == {"major_loss": False, "serious_adverse_impact": True}


def test_a_cue_inside_the_phrasing_is_not_a_negation():
    assert facts("该案件没有形成完整的证据链。")["evidence_chain_incomplete"] is True
    assert facts("经查，法律没有明令禁止该做法。")["not_prohibited_by_law"] is True


def test_a_denial_phrasing_makes_the_fact_false():
    assert facts("该做法为法律所明令禁止。")["not_prohibited_by_law"] is False
    assert facts("邹某系聘用的后勤驾驶员，不属于执法人员。")["enforcement_personnel"] is False


def test_a_hedged_mention_is_unknown_not_guessed():
    text = "当事人是否故意隐瞒进货情况，尚需进一步核实。"
    mention = propose(text, LEXICON).facts["inspection_target_concealed"]
    assert (mention.value, mention.reason) == ("unknown", "hedged")
    assert text[mention.sentence.start : mention.sentence.end] == text


def test_conflicting_mentions_are_unknown():
    mention = propose("该批产品造成了重大经济损失。复核认为未造成重大损失。", LEXICON).facts["major_loss"]
    assert (mention.value, mention.reason) == ("unknown", "conflict")


def test_blocking_words_keep_a_mention_from_counting():
    assert "major_loss" not in facts("为避免造成重大损失，执法人员当即封存了气罐。")
    assert "loss_or_adverse_impact" not in facts("该事件造成了严重不良影响。")


# Dates -------------------------------------------------------------------------------------------


def test_dates_in_arabic_and_chinese_numerals_and_without_year():
    text = "二〇二四年六月十一日检查，同年7月2日复查，十二月三十一日结案，2月30日不是日期。"
    found = [str(d.value) for d in find_dates(text)]
    assert found == ["2024-06-11", "2024-07-02", "2024-12-31"]


def test_dates_take_the_key_of_the_phrasing_around_them():
    text = (
        "2024年3月5日，执法人员王某对某超市开展检查。2024年4月8日，局党组会议研究认定予以容错，"
        "并于2024年4月11日将认定结论告知本人。要求其于2024年5月31日前完成整改，经申请延长至2024年6月30日。"
        "2024年6月20日，整改完毕。特此说明。2024年7月1日"
    )
    proposal = propose(text, LEXICON)
    assert {k: str(d.value) for k, d in proposal.dates.items()} == {
        "conduct": "2024-03-05",
        "decision": "2024-04-08",
        "notified": "2024-04-11",
        "correction_deadline": "2024-05-31",
        "extended_deadline": "2024-06-30",
        "correction_completed": "2024-06-20",
    }
    assert [str(d.value) for d in proposal.unassigned] == ["2024-07-01"]


# Files, encodings, the command line --------------------------------------------------------------

SAMPLE = NARRATIVES / "dev" / "N-001.txt"


def test_gb18030_input_gives_the_same_case(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "u8.txt").write_text(text, encoding="utf-8")
    run = rongcuo("extract", tmp_path / "gb.txt", tmp_path / "u8.txt", "--out", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    gb, u8 = (load_case(tmp_path / "out" / f"{n}.yaml") for n in ("gb", "u8"))
    assert gb.extraction.encoding == "gb18030" and u8.extraction.encoding == "utf-8"
    assert gb.facts == u8.facts and gb.dates == u8.dates and gb.narrative == u8.narrative
    assert "（编码 gb18030）" in run.stdout and "needs_confirmation" in run.stdout


def test_stdout_case_goes_through_the_normal_case_path():
    # The real process: `rongcuo extract x.txt > case.yaml` is piped as it is, so the real stdout must be the
    # case and the real stderr quiet; jieba (the segmenter) logs to the stderr it found at import, which an
    # in-process run would not capture.
    run = rongcuo("extract", SAMPLE, process=True)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    case = parse_case(yaml.safe_load(run.stdout), "stdout")
    assert case.facts["inspection_target_concealed"] is True
    assert all(e.needs_confirmation for e in case.evidence.values())
    assert str(case.dates["conduct"]) == "2024-03-05"


def test_an_extracted_case_is_evaluated_like_any_case(tmp_path):
    assert rongcuo("extract", SAMPLE, "--out", tmp_path).returncode == 0
    run = rongcuo("evaluate", tmp_path / "N-001.yaml", "--as-of", "2024-12-31")
    assert run.returncode == 0, run.stderr
    assert "处理结论：容错免责" in run.stdout


@pytest.mark.parametrize(
    "setup, expected",
    [
        (lambda p: p / "missing.txt", "missing.txt: （文件）: 没有这个文件或文件夹"),
        (lambda p: (p / "bad.txt").write_bytes(b"\xff\xff\xff") and p / "bad.txt", "既不是 UTF-8 也不是 GB18030 文本"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, setup, expected):
    run = rongcuo("extract", setup(tmp_path))  # zh, as a user gets it
    assert run.returncode == 2 and expected in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_no_input_and_bad_lexicon_are_one_line_errors(tmp_path):
    assert rongcuo("extract").returncode == 2
    bad = tmp_path / "lex.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                **yaml.safe_load((ROOT / "src/rongcuo/extract/lexicon.yaml").read_text()),
                "facts": {"major_los": {"establish": ["x"]}},
            },
            allow_unicode=True,
        )
    )
    run = rongcuo("extract", SAMPLE, "--lexicon", bad, "--lang", "en")
    assert run.returncode == 2 and "facts.major_los: unknown fact id — did you mean major_loss?" in run.stderr


def test_evaluate_prints_the_scores_and_writes_the_report(tmp_path):
    run = rongcuo("extract", "--evaluate", NARRATIVES, "--out", tmp_path)
    assert run.returncode == 0, run.stderr
    assert "微平均：精确率" in run.stdout and "处理结论一致率" in run.stdout
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# 事实提取评估") and "`suspected_detention_or_crime`" in report


# The lexicon is data -----------------------------------------------------------------------------


def test_every_fact_has_at_least_one_pattern():
    assert set(LEXICON.facts) == set(vocab.fact_ids())
    assert all(p.establish for p in LEXICON.facts.values())


def test_adding_a_phrasing_is_a_data_change(tmp_path):
    text = "经查，该店主对执法人员阳奉阴违。"
    assert "inspection_target_concealed" not in facts(text)
    data = yaml.safe_load((ROOT / "src/rongcuo/extract/lexicon.yaml").read_text(encoding="utf-8"))
    data["facts"]["inspection_target_concealed"]["establish"].append("阳奉阴违")
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert propose(text, Lexicon.load(path)).facts["inspection_target_concealed"].value is True


# Evidence in the case schema ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "span, message",
    [
        ({"text": "损失", "start": 1, "end": 3}, "evidence.major_loss: narrative[1:3] is not the quoted text"),
        (
            {"text": "损失", "start": "0", "end": 2},
            "evidence.major_loss: start '0' and end 2 must be character offsets",
        ),
        ({"text": "损失", "start": True, "end": 2}, "must be character offsets"),
        ({"text": "损失", "start": 0}, "must be a mapping with text, start, end"),
    ],
)
def test_evidence_offsets_are_checked(span, message):
    with pytest.raises(CaseError) as e:
        parse_case({"id": "A", "narrative": "损失巨大", "evidence": {"major_loss": span}}, "c.yaml")
    assert message in str(e.value)


# Properties --------------------------------------------------------------------------------------


def _pieces() -> list[str]:
    """Text that the lexicon reacts to: its phrasings (gaps filled), cues, hedges, and dates."""
    raw = yaml.safe_load((ROOT / "src/rongcuo/extract/lexicon.yaml").read_text(encoding="utf-8"))
    phrases = [
        p.replace(GAP_MARK, "某")
        for entry in raw["facts"].values()
        for key in ("establish", "deny", "block")
        for p in entry.get(key, [])
    ]
    return phrases + raw["negation"]["cues"] + raw["hedges"] + ["2024年3月5日", "二〇二四年六月十一日", "7月2日"]


PIECES = _pieces()
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
narratives = st.lists(
    st.one_of(
        st.sampled_from(PIECES), st.sampled_from(list("，。；！？\n、：“”")), st.text(alphabet=HANZI, max_size=4)
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(narratives)
def test_proposals_use_the_vocabulary_and_quote_exactly(text):
    proposal = propose(text, LEXICON)
    assert set(proposal.facts) <= set(vocab.fact_ids())
    assert set(proposal.dates) <= set(vocab.date_keys())
    record = case_record("P", proposal, Path("p.txt"), "utf-8", LEXICON)
    for span in [*record["evidence"].values(), *record["extraction"]["dates"].values()]:
        assert text[span["start"] : span["end"]] == span["text"] and span["text"].strip()
    case = to_case(record, "p.txt")  # the case schema checks the offsets again
    assert set(case.facts) == set(case.evidence)


def test_a_bundled_narrative_quotes_exactly_after_a_yaml_round_trip(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "x.txt")
    assert rongcuo("extract", tmp_path / "x.txt", "--out", tmp_path).returncode == 0
    case = load_case(tmp_path / "x.yaml")
    assert all(case.narrative[e.start : e.end] == e.text for e in case.evidence.values())


# Generalised patterns: synonym classes, small gaps, the measure's wording -------------------------


def test_a_synonym_class_lets_every_phrasing_read_each_of_its_words():
    assert facts("发现错误后，执法人员当即撤销了该决定。")["corrected_timely"] is True
    assert facts("当事人随即递交了延期申请。")["extension_applied"] is True
    assert facts("经核查，举报反映的问题均不成立。")["report_found_untrue"] is True


def test_a_synonym_word_may_be_followed_by_a_small_gap_but_not_a_clause_mark():
    assert facts("执法人员随即予以撤销。")["corrected_timely"] is True


def test_a_synonym_class_is_data(tmp_path):
    text = "该店负责人玩失踪。"
    assert "counterparty_evaded_investigation" not in facts(text)
    data = yaml.safe_load((ROOT / "src/rongcuo/extract/lexicon.yaml").read_text(encoding="utf-8"))
    data["synonyms"]["evade"].append("玩失踪")
    data["facts"]["counterparty_evaded_investigation"]["establish"].append("逃避")
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert propose(text, Lexicon.load(path)).facts["counterparty_evaded_investigation"].value is True


def test_the_measures_own_wording_is_a_phrasing():
    label = vocab.label("facts", "harm_from_tampered_seized_property", "zh")
    assert facts(f"经查，{label}。")["harm_from_tampered_seized_property"] is True


# Negation scope from the sentence's structure ----------------------------------------------------


def test_a_negation_inside_a_modifier_does_not_reach_the_head():
    assert facts("一名不愿透露姓名的群众电话举报执法人员李某。")["report_received"] is True


def test_a_negated_attribute_leaves_the_noun_it_modifies():
    found = facts("局里收到一封未署名举报信。")
    assert found["report_received"] is True and found["report_real_name"] is False


def test_a_copula_negates_the_head_of_a_de_phrase_not_its_modifier():
    assert facts("该事项不属于执法大队的工作范围。")["enforcement_personnel"] is True
    assert facts("邹某不属于执法人员。")["enforcement_personnel"] is False


def test_a_negated_verb_still_negates_its_object():
    assert facts("当事人并未提出正式举报。")["report_received"] is False


# Mood: fears, threats, conditions and orders are not findings ------------------------------------


@pytest.mark.parametrize(
    "text, fact",
    [
        ("当事人担心会造成重大损失。", "major_loss"),
        ("该商户扬言要信访。", "report_received"),
        ("如该厂继续对抗执法，我局将移送公安机关处理。", "transferred_to_police"),
        ("局党组责成其30日内完成纠正。", "corrected_timely"),
    ],
)
def test_a_mention_in_an_irrealis_or_directive_scope_is_dropped_but_ranked(text, fact):
    proposal = propose(text, LEXICON)
    assert fact not in proposal.facts
    assert [c.reason for c in proposal.candidates if c.fact == fact] == ["mood"]


def test_mood_reaches_the_rest_of_its_sentence_only():
    found = facts("当事人担心被处罚。执法人员当即撤销了决定。")
    assert found["corrected_timely"] is True


# Cross-sentence rules ----------------------------------------------------------------------------


def test_noncompliance_then_an_accident_is_read_across_sentences_with_both_sentences():
    text = "该店拒不整改。次日，该店发生火灾事故。"
    mention = propose(text, LEXICON).facts["accident_during_rectification_noncompliance"]
    assert (mention.value, mention.reason, mention.source) == (True, "inferred", "rule")
    assert text[mention.sentence.start : mention.sentence.end] == text


def test_a_natural_disaster_that_stopped_the_officer_is_force_majeure():
    text = "当日突降暴雨。道路被冲毁，执法人员无法到达现场。"
    assert facts(text)["force_majeure_prevented_duty"] is True
    assert "force_majeure_prevented_duty" not in facts("当日突降暴雨。执法人员按时到达现场。")


def test_another_departments_wrong_act_is_other_department_fault():
    assert facts("县卫生健康局下发的通知有误，导致认定错误。")["other_department_fault"] is True


def test_a_rule_does_not_fire_when_negated_or_when_the_fact_is_stated():
    assert "accident_during_rectification_noncompliance" not in facts("该店拒不整改。所幸未发生火灾事故。")
    assert (
        facts("该店并非拒不执行整改要求。次日该店发生火灾事故。")["accident_during_rectification_noncompliance"]
        is False
    )


def test_an_inspection_by_an_officer_is_a_candidate_for_acted_within_duty_unless_stated_otherwise():
    proposal = propose("执法人员在日常检查中发现该店存在问题。", LEXICON)
    assert "acted_within_duty" not in proposal.facts
    assert [(c.reason, c.source) for c in proposal.candidates if c.fact == "acted_within_duty"] == [
        ("candidate", "rule")
    ]
    stated = propose("执法人员在日常检查中越权处罚，超越职权。", LEXICON)
    assert "acted_within_duty" not in {c.fact for c in stated.candidates}


def test_rules_are_data(tmp_path):
    data = yaml.safe_load((ROOT / "src/rongcuo/extract/lexicon.yaml").read_text(encoding="utf-8"))
    data["rules"]["cooperated_with_investigation"] = [{"name": "came", "steps": [["按时到场"], ["交代"]], "window": 1}]
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    text = "王某按时到场。王某交代了经过。"
    mention = propose(text, Lexicon.load(path)).facts["cooperated_with_investigation"]
    assert (mention.source, mention.support) == ("rule", "came")
    data["rules"]["cooperated_with_investigaton"] = data["rules"].pop("cooperated_with_investigation")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CaseError, match="did you mean cooperated_with_investigation"):
        Lexicon.load(path)


# Ranked candidates and the semantic layer --------------------------------------------------------


@pytest.fixture(scope="module")
def bank():
    from rongcuo.extract import semantic

    return semantic.load()


def test_candidates_are_ranked_decided_first_and_at_most_ten(bank):
    text = (NARRATIVES / "dev" / "N-004.txt").read_text(encoding="utf-8").strip()
    proposal = propose(text, LEXICON, bank)
    assert 0 < len(proposal.candidates) <= 10
    scores = [c.score for c in proposal.candidates]
    assert scores == sorted(scores, reverse=True)
    decided = {f for f, m in proposal.facts.items() if m.value is True}
    assert {c.fact for c in proposal.candidates[: len(decided)]} == decided
    assert not {c.fact for c in proposal.candidates} & {f for f, m in proposal.facts.items() if m.value is False}


def test_a_semantic_candidate_names_its_neighbour_and_is_never_a_decided_fact(tmp_path):
    from rongcuo.extract import semantic

    path = tmp_path / "bank.yaml"
    semantic.add_to_bank(path, "inspection_target_concealed", "店主把过期奶粉偷偷塞进了床底下")
    text = "检查时店主把过期奶粉偷偷塞进了床底下。"
    proposal = propose(text, LEXICON, semantic.load([path]))
    assert "inspection_target_concealed" not in proposal.facts
    found = [c for c in proposal.candidates if c.fact == "inspection_target_concealed"]
    assert [(c.source, c.support) for c in found] == [("semantic", "店主把过期奶粉偷偷塞进了床底下")]
    record = case_record("S", proposal, Path("s.txt"), "utf-8", LEXICON)
    candidate = next(c for c in record["extraction"]["candidates"] if c["fact"] == "inspection_target_concealed")
    assert candidate["needs_confirmation"] is True and candidate["source"] == "semantic"
    assert to_case(record, "s.txt").extraction.candidates


def test_a_rule_proposal_carries_its_source_in_the_case_file():
    text = "该店拒不整改。次日，该店发生火灾事故。"
    record = case_record("R", propose(text, LEXICON), Path("r.txt"), "utf-8", LEXICON)
    evidence = record["evidence"]["accident_during_rectification_noncompliance"]
    assert evidence["source"] == "rule" and evidence["text"] == text
    assert to_case(record, "r.txt").evidence["accident_during_rectification_noncompliance"].source == "rule"


def test_evaluation_reports_recall_at_ten_and_the_time(labelled, default_rules):
    ev = evaluate(NARRATIVES, labelled, default_rules, LEXICON, as_of=AS_OF)
    assert ev.candidates.tp + ev.candidates.fn == ev.micro.tp + ev.micro.fn
    assert ev.recall_at >= ev.micro.recall
    assert ev.seconds < 1.0


# The confirmation loop ---------------------------------------------------------------------------


def test_review_confirms_rejects_and_teaches_the_bank(tmp_path):
    from rongcuo.extract import semantic
    from rongcuo.extract.review import review

    text = "执法人员在日常检查中发现该店存在问题。当事人担心会造成重大损失。"
    record = case_record("V", propose(text, LEXICON), Path("v.txt"), "utf-8", LEXICON)
    answers = {"enforcement_personnel": "y", "acted_within_duty": "t", "major_loss": "n"}
    bank = tmp_path / "bank.yaml"
    reviewed, confirmed = review(record, lambda item: answers.get(item.fact, "s"), bank)
    case = to_case(reviewed, "v.txt")
    assert case.facts == {"enforcement_personnel": True, "acted_within_duty": True}
    assert not case.evidence["acted_within_duty"].needs_confirmation
    assert confirmed == ["enforcement_personnel", "acted_within_duty"]
    assert semantic.read_bank(bank)[1].text == "执法人员在日常检查中发现该店存在问题。"


# Quotations: someone else's words are no finding ------------------------------------------------


@pytest.mark.parametrize(
    "text, fact",
    [
        ("群众举报称“执法人员的行为造成重大损失”。", "major_loss"),
        ("当事人辩称“我们已经及时纠正了错误”。", "corrected_timely"),
        ("该商户在电话中扬言：「要把事情闹大，造成严重不良影响」。", "serious_adverse_impact"),
        ('来信写道"执法人员超越职权查封了仓库"。', "exceeded_statutory_scope"),
    ],
)
def test_a_mention_inside_reported_speech_is_dropped_but_ranked(text, fact):
    proposal = propose(text, LEXICON)
    assert fact not in proposal.facts
    assert [c.reason for c in proposal.candidates if c.fact == fact] == ["quoted"]


def test_a_negation_inside_reported_speech_decides_nothing():
    assert "counterparty_deception" not in facts("当事人辩称“我们从未提供虚假材料”。")


def test_the_report_around_a_quotation_is_still_read():
    found = facts("群众举报称“执法人员造成重大损失”。经查，该举报不属实。")
    assert found["report_received"] is True and found["report_found_untrue"] is True
    assert "major_loss" not in found


def test_a_quotation_ends_where_its_mark_closes():
    found = facts("当事人辩称“未造成任何损失”，经查，该行为造成重大损失。")
    assert found["major_loss"] is True
    assert "loss_or_adverse_impact" not in found


def test_a_recorded_quotation_or_a_term_in_quotes_is_read_as_text():
    assert facts("现场笔录载明：“执法人员当即撤销了该决定。”")["corrected_timely"] is True
    assert facts("经查，执法人员王某在“双随机”检查中未出示执法证件。")["violated_statutory_procedure"] is True


# Date keys from the date's own verb, in the scopes the facts use ---------------------------------


def keyed(text: str) -> dict[str, str]:
    return {k: d.value.isoformat() for k, d in propose(text, LEXICON).dates.items()}


def test_a_date_takes_the_cue_of_its_own_clause():
    assert keyed("2024年3月5日执法人员开展检查，次日告知当事人整改。") == {"conduct": "2024-03-05"}


@pytest.mark.parametrize(
    "text, key",
    [
        ("局党组计划于2024年5月10日作出容错认定决定。", "decision"),
        ("截至2024年6月1日，该店仍未完成整改。", "correction_completed"),
        ("当事人辩称“2024年3月1日已告知本人”。", "notified"),
    ],
)
def test_a_past_act_is_keyed_only_from_a_finding(text, key):
    assert key not in keyed(text)


def test_a_deadline_is_keyed_inside_a_directive_and_a_negated_object_keeps_its_act():
    assert keyed("局党组责成其于2024年6月30日前完成整改。") == {"correction_deadline": "2024-06-30"}
    assert keyed("2023年4月10日，执法人员作出不予处罚决定。") == {"conduct": "2023-04-10"}
