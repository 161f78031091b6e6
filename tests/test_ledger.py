"""The clause ledger covers the measure; rules cite only clauses that exist."""

from rongcuo import ledger
from rongcuo.engine import RuleSet, profiles
from rongcuo.model import measure


def all_rules():
    return [RuleSet.load(p, corpus=True) for p in profiles()]


def test_every_clause_is_in_the_ledger_and_none_is_missing():
    entries = ledger.ledger(all_rules())
    assert [e.clause for e in entries] == list(measure.clauses())
    assert [e.clause for e in entries if e.status == "missing"] == []


def test_all_twenty_articles():
    articles = [c for c in measure.clauses() if "." not in c]
    assert articles == [f"a{n}" for n in range(1, 21)]


def test_rules_cite_only_existing_clauses():
    assert ledger.unknown_citations(all_rules()) == []


def test_unknown_citation_is_detected(tmp_path):
    root = tmp_path / "asp"
    (root / "rules").mkdir(parents=True)
    (root / "profiles").mkdir()
    (root / "rules" / "x.lp").write_text("grant(C, exempt, a11_p9, a11_p9) :- case(C).\n")
    (root / "profiles" / "p.lp").write_text("")
    bad = ledger.unknown_citations([RuleSet.load("p", root)])
    assert [(c.clause, c.file, c.line) for c in bad] == [("a11.p9", "rules/x.lp", 1)]


def test_not_computable_clauses_have_reasons():
    entries = {e.clause: e for e in ledger.ledger(all_rules())}
    assert entries["a1"].status == "not_computable" and entries["a1"].reason == "purpose"
    assert entries["a14"].status == "partly"
    assert entries["a11.p1.i6"].status == "encoded"
    assert entries["a11.p1.i6"].rules[0].file == "rules/a11_tolerance.lp"


def test_citation_in_the_measures_numbering():
    assert measure.cite("a11.p2.i3") == "第十一条第二款第（三）项"
    assert measure.cite("a10.p1.i11") == "第十条第（十一）项"
    assert measure.cite("a20") == "第二十条"
    assert measure.cite("a11.p2.i3", "en") == "Art. 11(2)(iii)"
    assert measure.text("a11.p2.i3") == "(三)积极主动消除不良影响、挽回损失的。"


def test_every_label_has_both_languages_and_nothing_else():
    """A comma in an unquoted flow-mapping value splits it into a stray key."""
    from rongcuo.model import vocabulary

    for section, entries in vocabulary.vocabulary().items():
        for name, entry in entries.items():
            assert set(entry) - {"group", "clause", "kind", "says", "absent", "step"} == {"zh", "en"}, (
                section,
                name,
                entry,
            )
            for wording in ("says", "absent"):  # a predicate's sentences: lists of wordings in both languages
                if wording in entry:
                    assert set(entry[wording]) == {"zh", "en"}, (section, name, wording)
                    assert len(entry[wording]["zh"]) == len(entry[wording]["en"]) >= 1, (section, name, wording)
