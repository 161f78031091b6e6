"""The JSON rongcuo prints, as types: what `evaluate --format json` (and every answer that embeds it —
explain, whatif, results.jsonl, the API) writes for one case, and the reference outputs (clauses,
vocabulary, the golden cases' test report).

The functions that build these dictionaries are typed with them (mypy checks every key), and the JSON
Schemas in schemas/ are generated from them and from the case model (`rongcuo schema`); a test holds
the two together and validates real outputs against them.
"""

from __future__ import annotations

from typing import (
    Any,
    NotRequired,  # pydantic reads TypedDicts from here on Python 3.11
)

from typing_extensions import TypedDict

Modality = str  # shall, may, shall_not (measure/vocabulary.yaml modalities)


class OutcomeJSON(TypedDict):
    outcome: str  # an outcome of measure/vocabulary.yaml
    modality: Modality | None  # as the strongest of its grounds words it
    grounds: list[str]  # clause ids (measure/text.zh.md), e.g. a11.p1.i6
    catch_all: bool  # rests on catch-all items only (Q7): the party group determines it


class ConsequenceJSON(TypedDict):
    consequence: str  # a consequence of measure/vocabulary.yaml
    args: list[str]  # e.g. the due date of notification_due (ISO)
    grounds: list[str]  # the clauses attaching it


class DefeatJSON(TypedDict):
    outcome: str
    grounds: list[str]  # the grant that would give the outcome
    blocked_by: str  # the clause whose grant defeats it


class AssignmentJSON(TypedDict):
    true: list[str]
    false: list[str]
    settles: bool  # these values alone settle the disposition


class OpenWorldJSON(TypedDict):
    unknown: list[str]  # the case's unknown facts
    certain: list[str]  # outcomes that hold whatever they are
    possible: list[str]  # outcomes that hold for some of their values
    dispositions: dict[str, AssignmentJSON]  # each possible disposition and the values it needs


class ConsultedJSON(TypedDict):
    version: str
    disposition: str


class ResultJSON(TypedDict):
    case: str
    profile: str
    rules: str  # the rule set's short hash (16 hex digits of rules_sha256)
    as_of: str  # the evaluation date (ISO)
    disposition: str | None
    disposition_modality: Modality | None
    outcomes: list[OutcomeJSON]
    consequences: list[ConsequenceJSON]
    defeated: list[DefeatJSON]
    rules_sha256: str  # the full hash: `rongcuo rules show` resolves it
    open_world: NotRequired[OpenWorldJSON]  # with unknown facts
    # Under a timeline (--timeline): the version applied and why (Q12), and the versions consulted.
    version: NotRequired[str | None]
    version_reason: NotRequired[str | None]
    versions_consulted: NotRequired[list[ConsultedJSON]]


class ClauseJSON(TypedDict):
    """One line of `rongcuo clauses --format json`: a clause of the measure and how the rules encode it."""

    clause: str  # its id (measure/text.zh.md)
    status: str  # encoded | partly | not_computable | missing (or via_parts)
    reason: str | None  # a not_computable key of the vocabulary
    rules: list[str]  # file:line of the rules citing it


class FactEntryJSON(TypedDict):
    fact: str
    clause: str
    label: str


class GroupJSON(TypedDict):
    group: str
    label: str
    facts: list[FactEntryJSON]


class VocabularyJSON(TypedDict):
    """`rongcuo vocabulary --format json`: the fact vocabulary by group, labelled in ``lang``."""

    lang: str
    groups: list[GroupJSON]


class CheckJSON(TypedDict):
    case: str
    source: str
    title: str | None
    profile: str
    passed: bool
    problems: list[str]  # what differs from the golden case's expectation, one line each


class TestReportJSON(TypedDict):
    """`rongcuo test --format json`: the counts and each golden case under each profile."""

    passed: bool
    total: int
    failed: int
    checks: list[CheckJSON]


class WitnessJSON(TypedDict):
    """A case that shows a conflict or a change: its facts and dates, and each rule set's answer."""

    case: str
    file: str | None  # the witness file written with --witnesses
    facts: list[str]  # its true facts
    dates: dict[str, str]
    as_of: str
    effective_date: str | None
    results: dict[str, ResultJSON]  # rule set → its answer


class SpaceJSON(TypedDict):
    """The scenario space a check or diff covers: every fact combination × every date setting."""

    facts: int
    combinations: int
    valid: int | None  # combinations free of contradictions (None: all count)
    days: int
    ordered_dates: int | None
    calendar_windows: list[str]
    date_settings: int
    total: int
    needed_days: int | None  # the window the rules' date arithmetic asks for
    proof: bool  # the space covers every situation the rules tell apart
    not_a_proof: str | None  # why it does not


class LintJSON(TypedDict):
    where: str
    kind: str
    code: str
    error: bool
    message: str


class ConflictJSON(TypedDict):
    name: str
    file: str
    status: str  # proved | conflict | not_applicable
    witness: WitnessJSON | None


class RuleRefJSON(TypedDict):
    id: str
    file: str
    line: int
    text: str


class FindingJSON(RuleRefJSON):
    kind: str  # dead | rejected_only | grounds_only | redundant
    facts: list[str]
    witness: WitnessJSON | None


class CheckReportJSON(TypedDict):
    """`rongcuo check --format json`."""

    command: str  # check
    source: str
    draft: str | None  # the draft folder, when the rules are a draft
    profile: str
    rules: str
    checks: str
    lint: list[LintJSON]
    space: SpaceJSON
    conflicts: list[ConflictJSON]
    rules_examined: int
    compiled: bool
    fallback: str | None
    dated_vectorised: bool
    dated_fallback: str | None
    findings: list[FindingJSON]
    outside: list[RuleRefJSON]
    unread: list[RuleRefJSON]
    inert_facts: list[str]
    never_decisive_facts: list[str]
    seconds: float


class VersionJSON(TypedDict):
    source: str
    draft: str | None
    profile: str
    rules: str


class ChangeJSON(TypedDict):
    sign: str  # gained | lost | changed
    kind: str  # outcome | modality | catch_all | consequence | predicate
    name: str


class ClassJSON(TypedDict):
    old: str
    new: str
    changes: list[ChangeJSON]
    witness: WitnessJSON
    # diff --transition: where the case's dates fall (straddling | after | undated | before), and which
    # version alone the timeline's answer (``new``) is compared with: old (the amendment's impact) or new
    # (where the earlier version is kept)
    segment: NotRequired[str]
    baseline: NotRequired[str]


class ChangedCaseJSON(TypedDict):
    case: str
    old: str
    new: str
    certain: bool
    deciding: list[str]  # unknown facts the change depends on


class CasesJSON(TypedDict):
    compared: int
    changed: list[ChangedCaseJSON]


class TransitionJSON(TypedDict):
    """`rongcuo diff version:A version:B --transition`: the amendment compared at its effective date."""

    timeline: str  # bundled, or the versions file
    timeline_rules: str  # the timeline program's digest
    old: str  # version ids
    new: str
    switch: str  # the day the new version takes effect
    reading: str  # the profile's reading of Q12 (readings/q12_*.lp)


class DiffReportJSON(TypedDict):
    """`rongcuo diff --format json`."""

    command: str  # diff
    transition: NotRequired[TransitionJSON]
    old: VersionJSON
    new: VersionJSON
    space: SpaceJSON
    same: bool
    complete: bool
    classes: list[ClassJSON]
    cases: CasesJSON | None
    seconds: float


SHAPES: dict[str, tuple[Any, str]] = {
    "result": (ResultJSON, "One case's result, as `rongcuo evaluate --format json` prints it"),
    "clause": (ClauseJSON, "One line of `rongcuo clauses --format json`"),
    "vocabulary": (VocabularyJSON, "`rongcuo vocabulary --format json`"),
    "test-report": (TestReportJSON, "`rongcuo test --format json`"),
    "check-report": (CheckReportJSON, "`rongcuo check --format json`"),
    "diff-report": (DiffReportJSON, "`rongcuo diff --format json`"),
}


def schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas of the case file and of what the commands print, generated from the models."""
    from pydantic import TypeAdapter

    from .case import Case

    def titled(schema: dict[str, Any], name: str, title: str) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://rongcuo.invalid/schemas/{name}.schema.json",
            **schema,
            "title": title,
        }

    found = {"case": titled(Case.model_json_schema(), "case", "A rongcuo case file (YAML or JSON)")}
    for name, (shape, title) in SHAPES.items():
        found[name] = titled(TypeAdapter(shape).json_schema(), name, title)
    return found
