"""The timeline of rule versions (measure/versions.yaml): data beside the measure, loaded into one program.

Each version names the date it took effect (``from``; the first may leave it out), optionally the day
it ended (``until``, exclusive), its rule set — ``bundled``, or a draft folder merged over the bundled
rules as ``--rules DRAFT`` merges it (drafting.sources.merged) — and a note. The versions follow one
another without gap or overlap. engine.timeline grounds them all in one program; Q12 chooses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import RuleError, RuleSet, bundled_root
from .engine.timeline import Span, Timeline
from .model import days
from .model.coded import Place, msg
from .model.decode import DecodeError, decode_yaml

BUNDLED = "bundled"
ILLUSTRATIVE = "illustrative"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")  # an ASP constant: the version's tag in the program


def bundled_timeline() -> Path:
    """The law's timeline (measure/versions.yaml): only versions that are law — what `rongcuo batch` applies."""
    return bundled_root() / "versions.yaml"


def illustrative_timeline() -> Path:
    """The illustrative timeline (measure/versions.illustrative.yaml): the law's version and a made-up
    amendment and repeal, for the tests, the benchmarks and the documentation — NOT LAW."""
    return bundled_root() / "versions.illustrative.yaml"


def named(spec: str | Path | None) -> Path:
    """The timeline file ``--timeline`` names: ``bundled`` (or nothing) the law's, ``illustrative`` the
    illustrative one, anything else a versions file."""
    if spec is None or str(spec) == BUNDLED:
        return bundled_timeline()
    if str(spec) == ILLUSTRATIVE:
        return illustrative_timeline()
    return Path(spec)


@dataclass(frozen=True)
class Entry:
    """One version as versions.yaml states it."""

    id: str
    start: dt.date | None
    end: dt.date | None
    rules: str
    note: dict[str, str]
    illustrative: bool


def entries(path: Path) -> list[Entry]:
    """The versions of a timeline file, checked: ids, rule sets, dates that follow one another."""
    where = str(path)
    try:
        data = decode_yaml(path.read_text(encoding="utf-8"))  # the bounded loader case files have
    except (OSError, UnicodeDecodeError):
        raise RuleError("errors.timeline_unreadable", path=where) from None
    except DecodeError as bad:
        reason = msg(bad.code, **bad.values)
        raise RuleError("errors.timeline_undecodable", path=where, where=Place(bad.where), reason=reason) from None
    versions = data.get("versions") if isinstance(data, dict) else None
    if not isinstance(versions, list) or not versions or not all(isinstance(v, dict) for v in versions):
        raise RuleError("errors.timeline_malformed", path=where)
    out = [_entry(where, n, v) for n, v in enumerate(versions, 1)]
    if out[0].start is not None:  # a date before it would fall under no version (a20's commencement: --effective-date)
        raise RuleError("errors.timeline_first_from", path=where, id=out[0].id)
    if len({e.id for e in out}) != len(out):
        raise RuleError("errors.timeline_duplicate", path=where)
    for n, (before, after) in enumerate(zip(out, out[1:], strict=False), 2):
        if after.start is None or (before.end is not None and before.end != after.start):
            raise RuleError("errors.timeline_gap", path=where, n=n, id=after.id, previous=before.id)
    for e in out:
        if e.start and e.end and e.end <= e.start:
            raise RuleError("errors.timeline_gap", path=where, n=out.index(e) + 1, id=e.id, previous=e.id)
    # An open end is the next version's start.
    return [
        Entry(e.id, e.start, e.end or (out[i + 1].start if i + 1 < len(out) else None), e.rules, e.note, e.illustrative)
        for i, e in enumerate(out)
    ]


def _entry(where: str, n: int, v: dict[str, Any]) -> Entry:
    vid = v.get("id")
    if not isinstance(vid, str) or not _ID.match(vid):
        raise RuleError("errors.timeline_version_id", path=where, n=n, id=repr(vid))
    rules = v.get("rules", BUNDLED)
    try:  # the loader leaves dates as text: an impossible one (2024-02-30) is named, not a traceback
        start, end = (None if d is None else dt.date.fromisoformat(d) for d in (v.get("from"), v.get("until")))
    except (TypeError, ValueError):
        raise RuleError("errors.timeline_dates", path=where, id=vid) from None
    for d in (start, end):  # a transition's calendar windows lie around them: within the dates computed with
        if d is not None and not days.FIRST <= d <= days.LAST:
            first, last = str(days.FIRST), str(days.LAST)
            raise RuleError("errors.timeline_date_range", path=where, id=vid, value=str(d), first=first, last=last)
    note = v.get("note") or {}
    if not isinstance(note, (dict, str)) or not all(isinstance(t, str) for t in getattr(note, "values", list)()):
        raise RuleError("errors.timeline_note", path=where, id=vid)
    note = {lang: (note if isinstance(note, str) else note.get(lang, "")) for lang in ("zh", "en")}
    illustrative = v.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise RuleError("errors.timeline_illustrative", path=where, id=vid, value=repr(illustrative))
    return Entry(vid, start, end, str(rules), note, illustrative)


def applicable(path: Path) -> list[Entry]:
    """The versions of a timeline to judge cases by (:func:`load`, ``batch --at-date``): :func:`entries`,
    and for the law's timeline none marked illustrative — batch applies it by default, so made-up law
    there would judge a bureau's cases."""
    listed = entries(path)
    if path.resolve() == bundled_timeline().resolve() and (made_up := [e.id for e in listed if e.illustrative]):
        raise RuleError("errors.timeline_law_illustrative", path=str(path), ids=", ".join(made_up))
    return listed


def folder(path: Path, entry: Entry) -> Path | None:
    """A version's draft folder as the timeline file names it, from the file's own folder (None: the bundled rules)."""
    return None if entry.rules == BUNDLED else (path.parent / entry.rules).resolve()


def in_force(path: Path, day: dt.date) -> Entry | None:
    """The version of the timeline in force on ``day`` (``batch --at-date``), if one is: the versions follow one
    another without gap or overlap (:func:`entries`)."""
    listed = applicable(path)
    return next((e for e in listed if (e.start is None or e.start <= day) and (e.end is None or day < e.end)), None)


VERSION = "version:"  # a rule-set spec naming a version of the bundled timeline: `rongcuo diff version:A version:B`


def spec_of(spec: str, profile: str, path: str | Path | None = None) -> str:
    """A drafting spec (``profile:NAME`` or a draft folder) for ``version:ID``, from the timeline (the
    bundled one by default); any other spec as it is."""
    if not spec.startswith(VERSION):
        return spec
    path = named(path)
    wanted = spec.removeprefix(VERSION)
    for e in entries(path):
        if e.id == wanted:
            return str(folder(path, e) or f"profile:{profile}")
    raise RuleError(
        "errors.timeline_no_version", path=str(path), id=repr(wanted), known=", ".join(e.id for e in entries(path))
    )


def amendment(before: str, after: str, path: str | Path | None = None) -> tuple[Entry, Entry]:
    """The two versions of ``version:A version:B`` (the bundled timeline by default) as an amendment:
    B takes effect the day A ends (``rongcuo diff --transition``)."""
    if not (before.startswith(VERSION) and after.startswith(VERSION)):
        raise RuleError("errors.transition_versions", old=before, new=after)
    path = named(path)
    listed = entries(path)
    ids = [e.id for e in listed]
    for spec in (before, after):
        if spec.removeprefix(VERSION) not in ids:
            raise RuleError(
                "errors.timeline_no_version", path=str(path), id=repr(spec.removeprefix(VERSION)), known=", ".join(ids)
            )
    i = ids.index(before.removeprefix(VERSION))
    following = listed[i + 1].id if i + 1 < len(listed) else None
    if following != after.removeprefix(VERSION):
        raise RuleError(
            "errors.transition_not_next",
            path=str(path),
            old=listed[i].id,
            new=after.removeprefix(VERSION),
            next=following or "-",
        )
    return listed[i], listed[i + 1]


def load(path: str | Path | None = None, profile: str = "default", *, trusted: bool = False) -> Timeline:
    """The timeline of ``path`` (a file, or a name :func:`named` knows; the law's, measure/versions.yaml,
    by default) under one profile, as one program."""
    from .drafting.sources import is_draft, merged

    path = named(path)
    listed = applicable(path)
    spans = []
    for e in listed:
        draft = folder(path, e)
        if draft is None:
            rules = RuleSet.load(profile)
        else:
            if not draft.is_dir() or not is_draft(draft):
                raise RuleError("errors.timeline_version_rules", path=str(path), id=e.id, rules=e.rules)
            rules = RuleSet.load(profile, merged(draft), trusted=trusted)
        spans.append(Span(e.id, e.start, e.end, rules))
    data = path.read_bytes()
    notes = {e.id: e.note for e in listed}
    return Timeline(spans, hashlib.sha256(data).hexdigest(), profile, notes=notes, source=data)
