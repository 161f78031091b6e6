"""The measure folder holds together: the rules quote the text, the readings quote the questions, the
vocabulary orders the outcomes as the rules do, and one clause can be followed from text to golden case."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from rongcuo.engine import profiles
from rongcuo.model import measure
from rongcuo.model import vocabulary as vocab

MEASURE = measure.root()

# -- the rules quote the measure verbatim ----------------------------------------------------------

# `% [a11.p1.i1] (一)贯彻执行……` opens a quote; the `%` lines right after it whose text starts further
# right than the `[` continue it.
QUOTE = re.compile(r"^%\s*\[(?P<id>a\d+(?:\.p\d+(?:\.i\d+)?)?)\]\s*(?P<text>.*)$")
ELISION = "……"


def quoting_files() -> list[Path]:
    # Not measure/drafts: a draft quotes the text it proposes, not the text in force.
    return sorted(
        [*(MEASURE / "rules").rglob("*.lp"), *(MEASURE / "readings").glob("*.lp"), *MEASURE.glob("corpus/*.lp")]
    )


def quotes(path: Path) -> list[tuple[int, str, str]]:
    """(line, clause id, quoted text) of every quote in a rule file, continuation lines joined."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, n = [], 0
    while n < len(lines):
        m = QUOTE.match(lines[n])
        if not m:
            n += 1
            continue
        column, parts, start = lines[n].index("["), [m["text"]], n
        n += 1
        while n < len(lines) and lines[n].startswith("%"):
            body = lines[n][1:]
            text = body.lstrip()
            if not text or 1 + len(body) - len(text) <= column:
                break
            parts.append(text)
            n += 1
        found.append((start + 1, m["id"], "".join(p.strip() for p in parts)))
    return found


def all_quotes() -> list[tuple[str, int, str, str]]:
    return [(str(p.relative_to(MEASURE)), *q) for p in quoting_files() for q in quotes(p)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_quotes_are_found():
    found = all_quotes()
    assert len(found) >= 45, f"only {len(found)} quotes found: is the parser broken?"
    assert {cid.split(".")[0] for _, _, cid, _ in found} == {f"a{n}" for n in range(1, 21)}, "every article quoted"
    # continuation lines are joined: this quote spans two comment lines and is the whole item
    (i1,) = [q for f, _, cid, q in found if cid == "a11.p1.i1" and f == "rules/a11_tolerance.lp"]
    assert i1 == measure.text("a11.p1.i1")


def test_every_quoted_id_is_a_clause_of_the_measure():
    unknown = [f"{f}:{line}: [{cid}]" for f, line, cid, _ in all_quotes() if cid not in measure.clauses()]
    assert not unknown, "\n".join(unknown)


def test_every_quote_is_the_measure_verbatim():
    """Each fragment between elisions (……) occurs in the clause's text, whitespace aside (punctuation as is)."""
    clauses = measure.clauses()
    wrong = []
    for f, line, cid, quote in all_quotes():
        if cid not in clauses:
            continue  # test_every_quoted_id_is_a_clause_of_the_measure
        text = squeeze(measure.text(cid))
        for fragment in map(squeeze, quote.split(ELISION)):
            if fragment and fragment not in text:
                wrong.append(f"{f}:{line}: [{cid}] quotes {fragment!r}; text.zh.md has {text!r}")
    assert not wrong, "\n".join(wrong)


# -- the readings quote their questions, the profiles answer each once ------------------------------


def questions() -> dict[str, str]:
    """Q number → the question cell of analysis.md §3's table."""
    analysis = (MEASURE / "analysis.md").read_text(encoding="utf-8")
    section = analysis.split("\n## 3.", 1)[1].split("\n## ", 1)[0]
    cells = {}
    for row in section.splitlines():
        if re.match(r"^\|\s*Q\d+\s*\|", row):
            parts = [c.strip() for c in row.strip().strip("|").split("|")]
            assert len(parts) == 4, f"analysis.md §3: a row of four cells, not {row!r}"
            cells[parts[0]] = parts[1]
    return cells


def test_analysis_lists_the_questions():
    assert list(questions()) == [f"Q{n}" for n in range(1, 13)]


READINGS = sorted((MEASURE / "readings").glob("q*.lp"))


@pytest.mark.parametrize("path", READINGS, ids=lambda p: p.stem)
def test_every_reading_quotes_its_question(path):
    number = int(re.match(r"q(\d+)_", path.name)[1])
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"% Q{number} — {questions()[f'Q{number}']}"


def test_there_are_readings():
    assert len(READINGS) >= 11


INCLUDE = re.compile(r'^#include\s+"(?P<file>[^"]+)"\s*\.', re.M)


def answers(profile: str) -> dict[str, list[str]]:
    """Question → the readings the profile includes for it."""
    path = MEASURE / "profiles" / f"{profile}.lp"
    found = defaultdict(list)
    for m in INCLUDE.finditer(path.read_text(encoding="utf-8")):
        target = (path.parent / m["file"]).resolve()
        assert target.is_file(), f"{path.name}: includes {m['file']}, which is not a file"
        assert target.parent == (MEASURE / "readings").resolve(), f"{path.name}: {m['file']} is not a reading"
        number = int(re.match(r"q(\d+)_", target.name)[1])
        found[f"Q{number}"].append(target.name)
    return dict(found)


@pytest.mark.parametrize("profile", profiles())
def test_every_profile_includes_one_reading_per_question(profile):
    found = answers(profile)
    assert found, f"{profile} includes no reading"
    assert {q: r for q, r in found.items() if len(r) != 1} == {}
    assert set(found) <= set(questions())


def test_the_bundled_profiles_answer_the_same_questions():
    assert {"default", "literal", "strict"} <= set(profiles())
    answered = {p: sorted(answers(p)) for p in profiles()}
    assert len({tuple(q) for q in answered.values()}) == 1, answered


# -- the vocabulary orders the outcomes as the rules do ---------------------------------------------


def chain(pairs: list[tuple[str, str]]) -> list[str]:
    """The order precedes/2 gives, when its pairs are one chain."""
    after = dict(pairs)
    assert len(after) == len(pairs), f"an outcome precedes two others: {pairs}"
    (first,) = set(after) - set(after.values())
    order = [first]
    while order[-1] in after:
        order.append(after[order[-1]])
    assert len(order) == len(pairs) + 1, f"precedes/2 is not one chain: {pairs}"
    return order


@pytest.mark.parametrize("profile", profiles())
def test_the_vocabulary_orders_the_outcomes_as_precedes_does(rulesets, profile):
    pairs = rulesets[profile].static_atoms("precedes", 2)
    assert chain(pairs) == vocab.outcome_names()


# -- the one-minute trail: grep a clause id through the folder --------------------------------------

# As `grep -rn a11.p2.i2 measure/` reads it: a dot is any character, so a11_p2_i2 in a rule matches too.
TRAIL = re.compile(r"a11.p2.i2")


def grep(pattern: re.Pattern) -> dict[str, list[str]]:
    """File (relative to measure/) → its lines that match, over the text files of measure/."""
    hits = {}
    for path in sorted(MEASURE.rglob("*")):
        if path.is_file() and path.suffix in {".md", ".lp", ".yaml"}:
            lines = [line for line in path.read_text(encoding="utf-8").splitlines() if pattern.search(line)]
            if lines:
                hits[str(path.relative_to(MEASURE))] = lines
    return hits


def cited(expect: dict) -> set[str]:
    return {g for block in expect.values() for grounds in (block.get("grounds") or {}).values() for g in grounds}


def test_one_clause_followed_from_the_text_to_a_golden_case():
    hits = grep(TRAIL)
    # the text
    assert any("[a11.p2.i2]" in line and measure.text("a11.p2.i2") in line for line in hits.get("text.zh.md", []))
    # a rule file quoting it
    assert any(
        line.startswith("% [a11.p2.i2]") for f, lines in hits.items() if f.startswith("rules/") for line in lines
    )
    # a reading that derives or reads it (Q5: when a11.p2.i2 fails)
    assert any(
        not line.lstrip().startswith("%")
        for f, lines in hits.items()
        if re.match(r"readings/q05_\w+\.lp$", f)
        for line in lines
    )
    # a golden case citing it among its expected grounds, or named for it (g-a11-p2-i2-….yaml)
    golden = sorted((MEASURE / "golden").glob("*.yaml"))
    citing = [p.name for p in golden if "a11.p2.i2" in cited(yaml.safe_load(p.read_text(encoding="utf-8"))["expect"])]
    named = [p.name for p in golden if TRAIL.search(p.stem)]
    assert citing or named


# -- every fact says what it is, for what-if ----------------------------------------------------------


def test_every_fact_has_a_kind():
    facts = vocab.vocabulary()["facts"]
    assert {f: e.get("kind") for f, e in facts.items() if e.get("kind") not in vocab.FACT_KINDS} == {}
    assert sorted(f for k in vocab.FACT_KINDS for f in vocab.facts_of_kind(k)) == sorted(facts)
    # What the measure's own words make a thing to do, and what already happened.
    assert {"remedied_actively", "cooperated_with_investigation", "accepted_responsibility"} <= set(
        vocab.facts_of_kind(vocab.ACTIONABLE)
    )
    assert {"counterparty_deception", "major_loss", "force_majeure_prevented_duty", "enforcement_personnel"} <= set(
        vocab.facts_of_kind(vocab.HISTORICAL)
    )
    assert "not_prohibited_by_law" in vocab.facts_of_kind(vocab.INVESTIGABLE)
