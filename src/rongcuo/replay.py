"""The decision log, the content-addressed store, and certified replay (issue 18.5).

- :class:`DecisionLog` appends one JSON line per decision (`evaluate --log`, `batch --log`, `serve
  --decision-log`): the input's digest (sha256 of the case's canonical JSON), the full rule-set digest,
  the profile, the evaluation and commencement dates, the answer's digest (sha256 of the result's
  canonical JSON), the case id, a timestamp and rongcuo's version. Each line is one ``os.write`` on a
  file opened with ``O_APPEND``: concurrent writers (service workers, two batches) never interleave.
- :class:`Store` is a folder of files named by their sha256 (``objects/ab/abcd…``): every file a logged
  rule set covers, with a manifest per rule set (``rules/SHA256.json``, what `rongcuo rules show`
  lists), and the canonical JSON of every logged case. A decision of a timeline evaluation
  (``--timeline``) names the version it applied and why, that version's rule set (``rules_sha256``,
  as a plain decision names its one), the timeline file's digest (``timeline``: the file is stored
  too), the timeline program's digest (``timeline_sha256``: what the answer's ``rules_sha256`` says)
  and its Q12 reading (``q12``); the store keeps every version's rule set and a manifest of the
  timeline (``timelines/SHA256.json``: the file, the profile, each version's dates and rule set).
  The inputs are stored, not left to the user: a case file is edited or renamed, a CSV row is read
  through a mapping that changes; the canonical JSON is the case exactly as the rules read it, so
  replay depends on nothing outside the store. The bundled rule sets' files are stored too (once:
  content-addressed): an upgrade replaces the installed package, and the manifest's ``bundled`` says
  the installed package had them.
- :func:`replay` re-derives logged decisions, grouped by rule set and dates (one grounding per group
  and chunk, rongcuo.ask), and says for each whether the answer is byte for byte the logged one, or why
  not: another engine, calendar or vocabulary; a rule set or input missing from the store; a changed
  answer. With ``under``, every decision is asked of another rule set: which would change, old → new,
  each labelled with the class `rongcuo diff` gives that change (engine.space.classify: diff.lp over the
  decision's case, between its logged rule set and the other). A timeline decision is replayed under
  its timeline, rebuilt from the store (each version's rule set, the file, the dates): the version Q12
  applies is re-derived by clingo as the answer is, so ``version``, ``version_reason`` and
  ``versions_consulted`` are certified with the rest; with one of its versions missing, every decision
  of that timeline is named (its answer's digest covers every version).

Python compares digests here; every answer is clingo's, asked through rongcuo.ask.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .ask import Ask, Evaluated, Rejected
from .ask import evaluate as ask_evaluate
from .engine import RuleError, RuleSet, profiles
from .model.case import Case, CaseError, parse_case
from .model.shapes import ResultJSON

if TYPE_CHECKING:
    from .drafting.diff import Change
    from .engine.timeline import Timeline

LOG_FORMAT = 1  # the log line's format
PROVENANCE_KEYS = ("rules", "rules_sha256")  # the answer's keys that name the rule set, not the finding
ANSWER_KEYS = frozenset(ResultJSON.__required_keys__ | ResultJSON.__optional_keys__)
NEEDED = ("case", "input", "rules_sha256", "profile", "as_of", "answer")  # what replay cannot do without

# Why a decision replays as it does (replay.yaml words each).
CERTIFIED, CHANGED, ENGINE, CALENDAR, VOCABULARY = "certified", "changed", "engine", "calendar", "vocabulary"
MISSING_RULES, MISSING_INPUT, UNREADABLE = "missing_rules", "missing_input", "unreadable"


def canonical(data: Any) -> bytes:
    """The one byte form digests are taken of: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def case_json(case: Case) -> dict:
    """The case as the rules read it, in JSON (parse_case reads it back to the same case)."""
    return case.model_dump(mode="json", exclude_defaults=True)


def finding(answer: dict) -> dict:
    """The answer without the keys naming the rule set: what a new engine may still give byte for byte."""
    return {k: v for k, v in answer.items() if k not in PROVENANCE_KEYS}


def answer_of(line: dict) -> dict:
    """A case's answer (evaluate's JSON) from a line that carries more (results.jsonl)."""
    return {k: v for k, v in line.items() if k in ANSWER_KEYS}


# ---------------------------------------------------------------------------------------------- the store


class Store:
    """Files under their sha256, a manifest per rule set, the logged cases' canonical JSON."""

    def __init__(self, root: Path):
        self.root = root

    def object(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest

    def manifest_path(self, rules_sha256: str) -> Path:
        return self.root / "rules" / f"{rules_sha256}.json"

    def put(self, data: bytes) -> str:
        digest = sha256(data)
        path = self.object(digest)
        if not path.exists():
            _write_once(path, data)
        return digest

    def get(self, digest: str) -> bytes | None:
        """An object's bytes, None when missing or not what its name says."""
        try:
            data = self.object(digest).read_bytes()
        except OSError:
            return None
        return data if sha256(data) == digest else None

    def put_rules(self, rules: RuleSet) -> None:
        """The rule set's files and its manifest (nothing when the manifest is there: content-addressed)."""
        path = self.manifest_path(rules.sha256)
        if path.exists():
            return
        from .model import vocabulary as vocab

        for f in rules.provenance.files:
            source = vocab.source() if f.kind == "vocabulary" else rules.root / f.path
            if self.put(source.read_bytes()) != f.sha256:  # the file changed since the rules were loaded
                raise OSError(f"{source}: changed since the rules were loaded")
        _write_once(path, canonical(manifest(rules)))

    def manifest(self, rules_sha256: str) -> dict | None:
        return _manifest_at(self.manifest_path(rules_sha256), rules_sha256)

    def timeline_path(self, timeline_sha256: str) -> Path:
        return self.root / "timelines" / f"{timeline_sha256}.json"

    def put_timeline(self, timeline: Timeline) -> None:
        """A timeline's file, every version's rule set, and its manifest (each version's id, dates and
        rule set; the file's digest; the profile and the Q12 reading)."""
        path = self.timeline_path(timeline.sha256)
        if path.exists():
            return
        if timeline.source is None or self.put(timeline.source) != timeline.source_digest:
            raise OSError("the timeline file changed since it was loaded")
        for span in timeline.spans:
            self.put_rules(span.rules)
        _write_once(path, canonical(timeline_manifest(timeline)))

    def timeline_manifest(self, timeline_sha256: str) -> dict | None:
        return _manifest_at(self.timeline_path(timeline_sha256), timeline_sha256)


def _manifest_at(path: Path, digest: str) -> dict | None:
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("sha256") == digest else None


def timeline_manifest(timeline: Timeline) -> dict:
    """What a timeline decision is replayed under: the file, each version's dates and rule set, the
    profile, the Q12 reading (the program's digest, ``sha256``, covers them all and the timeline layer)."""
    return {
        "sha256": timeline.sha256,
        "file": timeline.source_digest,
        "profile": timeline.profile,
        "q12": timeline.reading,
        "versions": [
            {
                "id": s.id,
                "from": s.start and s.start.isoformat(),
                "until": s.end and s.end.isoformat(),
                "rules_sha256": s.rules.sha256,
            }
            for s in timeline.spans
        ],
        "rongcuo": __version__,
    }


def manifest(rules: RuleSet) -> dict:
    """What a rule set's hash covers (`rongcuo rules show --format json`), and whether it was bundled."""
    from .engine import bundled_root

    bundled = rules.root == bundled_root().resolve()
    return {**rules.provenance_json(), "bundled": bundled, "rongcuo": __version__}


def _write_once(path: Path, data: bytes) -> None:
    """Written whole or not at all (a temporary file renamed over): two writers of one object agree."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_store(log: Path) -> Path:
    """The store beside a log when none is named: LOG.store/."""
    return log.with_name(log.name + ".store")


# ------------------------------------------------------------------------------------------------ the log


@dataclass
class DecisionLog:
    """Appends decisions to ``path``, their rule sets and inputs to the store."""

    path: Path
    store: Store
    source: str  # evaluate | batch | serve
    _stored: set[str] = field(default_factory=set, init=False, repr=False)

    @classmethod
    def at(cls, path: Path, store: Path | None, source: str) -> DecisionLog:
        return cls(path, Store(store or default_store(path)), source)

    def entry(
        self,
        rules: RuleSet,
        case: Case,
        answer: dict,
        effective_date: dt.date | None,
        open_world: bool,
        timeline: Timeline | None = None,
    ) -> dict:
        """One decision's line (its input stored); under a timeline, ``rules`` is the version's it applied."""
        line = {
            "log": LOG_FORMAT,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "rongcuo": __version__,
            "source": self.source,
            "case": case.id,
            "input": self.store.put(canonical(case_json(case))),
            "rules_sha256": rules.sha256,
            "rules": rules.digest,
            "profile": rules.profile,
            "as_of": answer.get("as_of"),
            "effective_date": effective_date and effective_date.isoformat(),
            "open_world": open_world,
            "disposition": answer.get("disposition"),
            "answer": sha256(canonical(answer)),
            "finding": sha256(canonical(finding(answer))),
        }
        if timeline is not None:
            line |= {
                "version": answer.get("version"),
                "version_reason": answer.get("version_reason"),
                "timeline": timeline.source_digest,
                "timeline_sha256": timeline.sha256,
                "q12": timeline.reading,
            }
        return line

    def append(
        self,
        rules: RuleSet,
        decided: Iterable[tuple[Case, dict]],
        effective_date: dt.date | None,
        open_world: bool,
        timeline: Timeline | None = None,
    ) -> int:
        """The decisions (case, its answer's JSON) as lines, one write each; how many. Under a
        ``timeline``, each decision names the version its answer applied and that version's rule set."""
        if timeline is not None and timeline.sha256 not in self._stored:
            self.store.put_timeline(timeline)
            self._stored.add(timeline.sha256)
        elif timeline is None and rules.sha256 not in self._stored:
            self.store.put_rules(rules)
            self._stored.add(rules.sha256)

        def rules_of(answer: dict) -> RuleSet:
            return timeline.rules_of(answer.get("version")) if timeline is not None else rules

        lines = [
            canonical(self.entry(rules_of(a), c, a, effective_date, open_world, timeline)) + b"\n" for c, a in decided
        ]
        append_lines(self.path, lines)
        return len(lines)

    def answers(self, ask: Ask, answers: Iterable[Evaluated | Rejected]) -> int:
        """The evaluated answers of one Ask (a rejected case is no decision)."""
        decided = [(a.case, dict(a.to_json())) for a in answers if isinstance(a, Evaluated)]
        return self.append(ask.rules, decided, ask.effective_date, ask.open_world, ask.timeline)


def append_lines(path: Path, lines: Sequence[bytes]) -> None:
    """Each line one write on an O_APPEND descriptor: lines of concurrent writers never interleave."""
    if not lines:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        for line in lines:
            if os.write(fd, line) != len(line):
                raise OSError(f"{path}: short write")
    finally:
        os.close(fd)


def log_batch(
    out: Path,
    log: DecisionLog,
    rules: RuleSet,
    effective: dt.date | None,
    read: Callable[[], Iterable[tuple[dict, Case]]],
    timeline: Timeline | None = None,
) -> int:
    """A finished batch's decisions from its results.jsonl: each evaluated line's answer, with its case
    read again from the inputs (``read``: each record's position and case), matched by position; under
    a ``timeline``, each names the version it applied."""
    cases = {canonical(position): case for position, case in read()}
    decided: list[tuple[Case, dict]] = []
    with (out / "results.jsonl").open("rb") as f:
        for raw in f:
            line = json.loads(raw)
            if line.get("status") != "evaluated":
                continue
            position = {k: line[k] for k in ("source", "line", "row") if k in line}
            case = cases.get(canonical(position))
            if case is not None:
                decided.append((case, answer_of(line)))
    return log.append(rules, decided, effective, True, timeline)


# --------------------------------------------------------------------------------------------- the replay


@dataclass(frozen=True)
class Bad:
    """A log line that is not a decision: its number and what is wrong (a catalogue key and its values)."""

    line: int
    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DiffClass:
    """The class `rongcuo diff` gives a change: the dispositions before and after, and what changed."""

    old: str
    new: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Replayed:
    """One logged decision replayed: its status (CERTIFIED …), the disposition logged and now."""

    line: int
    case: str
    status: str
    old: str | None
    new: str | None = None
    same_otherwise: bool | None = None  # another engine/calendar/vocabulary: the finding still byte-equal
    detail: str = ""
    diff: DiffClass | None = None  # under another rule set: the change's class (None: its rules are missing)


def read_log(path: Path) -> tuple[list[tuple[int, dict]], list[Bad]]:
    """The log's decisions with their line numbers, and the lines that are none (truncated, garbled)."""
    entries: list[tuple[int, dict]] = []
    bad: list[Bad] = []
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as e:
                bad.append(Bad(number, "errors.replay_not_json", {"detail": f"{e.msg}, column {e.colno}"}))
                continue
            except ValueError:  # not UTF-8
                bad.append(Bad(number, "errors.replay_not_json", {"detail": "not UTF-8"}))
                continue
            missing = [k for k in NEEDED if not isinstance(data, dict) or not isinstance(data.get(k), str)]
            if missing:
                bad.append(Bad(number, "errors.replay_not_decision", {"keys": ", ".join(missing)}))
                continue
            entries.append((number, data))
    return entries, bad


class Resolver:
    """The rule set a logged digest names: a bundled profile's, else rebuilt from the store's files."""

    def __init__(self, store: Store | None):
        self.store = store
        self._bundled: dict[str, RuleSet] | None = None
        self._found: dict[str, tuple[RuleSet | None, str]] = {}
        self._timelines: dict[str, tuple[Timeline | None, str, str]] = {}
        self._folders: list[tempfile.TemporaryDirectory] = []

    def bundled(self) -> dict[str, RuleSet]:
        if self._bundled is None:
            self._bundled = {r.sha256: r for r in (RuleSet.load(p) for p in profiles())}
        return self._bundled

    def rules(self, digest: str, profile: str) -> tuple[RuleSet | None, str]:
        """The rule set and how it matches: CERTIFIED (the same digest), ENGINE, CALENDAR or VOCABULARY
        (the same rule files under another), MISSING_RULES (with none)."""
        if digest not in self._found:
            self._found[digest] = self._resolve(digest, profile)
        return self._found[digest]

    def _resolve(self, digest: str, profile: str) -> tuple[RuleSet | None, str]:
        if digest in self.bundled():
            return self.bundled()[digest], CERTIFIED
        found = self.store.manifest(digest) if self.store else None
        if found is None:
            return None, MISSING_RULES
        folder = tempfile.TemporaryDirectory(prefix="rongcuo-replay-")
        self._folders.append(folder)
        root = Path(folder.name)
        assert self.store is not None
        for f in found["files"]:
            if f["kind"] == "vocabulary":
                continue
            data = self.store.get(f["sha256"])
            if data is None or Path(f["path"]).is_absolute() or ".." in Path(f["path"]).parts:
                return None, MISSING_RULES
            (root / f["path"]).parent.mkdir(parents=True, exist_ok=True)
            (root / f["path"]).write_bytes(data)
        corpus = any(f["kind"] == "corpus" for f in found["files"])
        try:
            rebuilt = RuleSet.load(found.get("profile", profile), root, corpus=corpus)
        except RuleError:
            return None, MISSING_RULES
        if rebuilt.sha256 == digest:
            return rebuilt, CERTIFIED
        now = manifest(rebuilt)
        if now["engine"] != found["engine"]:
            return rebuilt, ENGINE
        if now["calendar"] != found["calendar"]:
            return rebuilt, CALENDAR
        return rebuilt, VOCABULARY

    def timeline(self, digest: str, profile: str) -> tuple[Timeline | None, str, str]:
        """The timeline a logged ``timeline_sha256`` names, rebuilt from the store's manifest, file and
        versions' rule sets, and how it matches (as :meth:`rules`); with MISSING_RULES, what is missing:
        ``timeline`` (its manifest or file) or ``version:ID`` (that version's rule set)."""
        if digest not in self._timelines:
            self._timelines[digest] = self._rebuilt(digest, profile)
        return self._timelines[digest]

    def _rebuilt(self, digest: str, profile: str) -> tuple[Timeline | None, str, str]:
        from .engine.timeline import Span, Timeline

        found = self.store.timeline_manifest(digest) if self.store else None
        source = self.store.get(found["file"]) if self.store and found and isinstance(found.get("file"), str) else None
        if found is None or source is None:
            return None, MISSING_RULES, "timeline"
        spans, matches = [], []
        for v in found["versions"]:
            rules, match = self.rules(v["rules_sha256"], found.get("profile", profile))
            if rules is None:
                return None, MISSING_RULES, f"version:{v['id']}"
            spans.append(Span(v["id"], _day(v["from"]), _day(v["until"]), rules))
            matches.append(match)
        rebuilt = Timeline(spans, found["file"], found.get("profile", profile), source=source)
        if rebuilt.sha256 == digest:
            return rebuilt, CERTIFIED, ""
        # The same versions under another engine (a rule set's, or the timeline layer's own code).
        return rebuilt, next((m for m in matches if m != CERTIFIED), ENGINE), ""

    def close(self) -> None:
        for folder in self._folders:
            folder.cleanup()


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _inputs(entries: Sequence[tuple[int, dict]], store: Store | None) -> tuple[list, list[Replayed]]:
    """Each decision with its case read back from the store, or why it cannot be."""
    ready, missing = [], []
    for number, e in entries:
        data = store.get(e["input"]) if store else None
        case = None
        if data is not None:
            try:
                case = parse_case(json.loads(data), f"input {e['input'][:16]}")
            except (ValueError, CaseError):
                case = None
        if case is None:
            missing.append(Replayed(number, e["case"], MISSING_INPUT, e.get("disposition")))
        else:
            ready.append((number, e, case))
    return ready, missing


def _rounds(items: list) -> list[list]:
    """The items in rounds within which no case id repeats (ids are one grounding's names)."""
    rounds: list[list] = []
    seen: dict[str, int] = {}
    for item in items:
        k = seen[item[2].id] = seen.get(item[2].id, -1) + 1
        if k == len(rounds):
            rounds.append([])
        rounds[k].append(item)
    return rounds


def _asked(rules: RuleSet | Timeline, e: dict, cases: list) -> list:
    """The cases asked as the decision ``e`` was: of one rule set, or of a timeline (each case under the
    version its Q12 reading applies)."""
    days = _day(e["as_of"]), _day(e.get("effective_date"))
    world = bool(e.get("open_world", True))
    if isinstance(rules, RuleSet):
        ask = Ask(rules, *days, world)
    else:
        ask = Ask.on(rules, *days, world)
    return ask_evaluate(ask, [case for _, _, case in cases])


def replay(entries: Sequence[tuple[int, dict]], store: Store | None) -> list[Replayed]:
    """Each logged decision re-derived: certified byte-equal, or why not. One grounding per rule set, dates
    and chunk (rongcuo.ask)."""
    ready, out = _inputs(entries, store)
    resolver = Resolver(store)
    groups: dict[tuple, list] = {}
    for item in ready:
        e = item[1]
        # A timeline decision is asked of its timeline (named by the program's digest), any other of its rule set.
        named = ("timeline", e["timeline_sha256"]) if isinstance(e.get("timeline_sha256"), str) else e["rules_sha256"]
        key = (named, e["profile"], e["as_of"], e.get("effective_date"), e.get("open_world", True))
        groups.setdefault(key, []).append(item)
    try:
        for (named, profile, *_), items in groups.items():
            rules: RuleSet | Timeline | None
            if isinstance(named, tuple):
                rules, match, missing = resolver.timeline(named[1], profile)
            else:
                (rules, match), missing = resolver.rules(named, profile), ""
            if rules is None:
                out += [
                    Replayed(n, e["case"], MISSING_RULES, e.get("disposition"), detail=missing) for n, e, _ in items
                ]
                continue
            for batch in _rounds(items):
                for (n, e, _), answer in zip(batch, _asked(rules, batch[0][1], batch), strict=True):
                    out.append(_compared(n, e, answer, match))
    finally:
        resolver.close()
    return sorted(out, key=lambda r: r.line)


def _compared(number: int, e: dict, answer: Evaluated | Rejected, match: str) -> Replayed:
    old = e.get("disposition")
    if isinstance(answer, Rejected):
        return Replayed(number, e["case"], CHANGED, old, None, detail=answer.error.code)
    now = dict(answer.to_json())
    new = answer.result.disposition
    if match == CERTIFIED:
        equal = sha256(canonical(now)) == e["answer"]
        return Replayed(number, e["case"], CERTIFIED if equal else CHANGED, old, new)
    same = "finding" in e and sha256(canonical(finding(now))) == e["finding"]
    return Replayed(number, e["case"], match, old, new, same_otherwise=same)


def under(
    entries: Sequence[tuple[int, dict]], store: Store | None, rules_of: Callable[[str], RuleSet]
) -> list[Replayed]:
    """Every decision asked of another rule set (``rules_of(profile)``): the ones whose disposition
    would change, logged → new, each with its diff class."""
    ready, out = _inputs(entries, store)
    groups: dict[tuple, list] = {}
    for item in ready:
        e = item[1]
        groups.setdefault((e["profile"], e["as_of"], e.get("effective_date"), e.get("open_world", True)), []).append(
            item
        )
    changed: list[tuple[Replayed, dict, Case]] = []
    for (profile, *_), items in groups.items():
        rules = rules_of(profile)
        for batch in _rounds(items):
            for (n, e, case), answer in zip(batch, _asked(rules, batch[0][1], batch), strict=True):
                old = e.get("disposition")
                if isinstance(answer, Rejected):
                    changed.append((Replayed(n, e["case"], CHANGED, old, None, detail=answer.error.code), e, case))
                elif (new := answer.result.disposition) != old:
                    changed.append((Replayed(n, e["case"], CHANGED, old, new, detail=_outcomes(answer)), e, case))
    return sorted([*out, *_classed(changed, store, rules_of)], key=lambda r: r.line)


def _classed(
    changed: Sequence[tuple[Replayed, dict, Case]], store: Store | None, rules_of: Callable[[str], RuleSet]
) -> list[Replayed]:
    """Each changed decision with the class of its change, between the rule set it was logged under
    (bundled, or rebuilt from the store) and the other: one grounding per rule set and dates (and chunk)."""
    from .drafting.diff import class_of
    from .engine.space.classify import classes

    groups: dict[tuple, list[tuple[Replayed, dict, Case]]] = {}
    for item in changed:
        e = item[1]
        groups.setdefault((e["rules_sha256"], e["profile"], e["as_of"], e.get("effective_date")), []).append(item)
    resolver = Resolver(store)
    out: list[Replayed] = []
    try:
        for (digest, profile, as_of, effective), items in groups.items():
            logged, _ = resolver.rules(digest, profile)
            if logged is None:
                out += [r for r, _, _ in items]
                continue
            found = classes(
                logged, rules_of(profile), [c for _, _, c in items], dt.date.fromisoformat(as_of), _day(effective)
            )
            for (r, _, _), terms in zip(items, found, strict=True):
                out.append(replace(r, diff=DiffClass(*class_of(terms)) if terms else None))
    finally:
        resolver.close()
    return out


def _outcomes(answer: Evaluated) -> str:
    """The new answer's outcomes (the logged answer is a digest: its outcomes are not in the log)."""
    return ", ".join(o.outcome for o in answer.result.outcomes)
