"""The report of a batch: the chunks' summaries merged, a18 over the batch, rendered in Markdown and HTML.

Everything here arranges what the engine said; no outcome is decided here. A
disagreement is explained by the result's own grounds and defeated grounds,
quoted from the measure.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..engine import RuleSet
from ..explain import held_fixed
from ..model import measure
from ..model import vocabulary as vocab
from ..present.render import markdown_text, message, render
from . import charts, excel, worker
from .recurrence import Alert, Occurrences, alerts
from .summary import GROUPS, UNDETERMINED, Listing, Summary
from .workdir import WorkDir
from .worker import WHATIF_CHANGES

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from .inputs import Reader
    from .run import Batch


@dataclass(frozen=True)
class Disagreement:
    """Cases whose recorded decision the rules do not give, on the same decisive grounds (worker._disagreement):
    the disposition on the same grounds, the recorded outcome holding, blocked or not given alike; what
    else holds and what is defeated is the group's first case's (``outcomes[1:]``, ``defeated``)."""

    recorded: str
    disposition: str
    outcomes: list[dict]  # outcome, modality, grounds, catch_all — the disposition's first
    defeated: list[dict]  # outcome, grounds, blocked_by
    recorded_is: str  # holds (but the disposition precedes it) | blocked | not_given
    given: list[str]  # the disposition's grounds
    fate: list[str]  # the recorded outcome's grounds (holds) or the clauses blocking it (blocked)
    clauses: list[str]  # every clause cited, for quoting
    cases: Listing
    changes: list[tuple[list[str], list[str]]] | None  # the smallest fact changes (true, false) that give the
    #                                                    recorded decision for the group's first case; None: not asked


def write_outputs(
    work: WorkDir,
    batch: Batch,
    reader: Reader,
    rules: RuleSet,
    compare: RuleSet | None,
    occurrences: Occurrences,
    summary: Summary,
    pool: Pool,
) -> None:
    """Render the report of ``summary`` (the chunks', merged in input order as they settled) and move every
    output into place. The what-ifs of the disagreements and the rows of the Excel ledger are made in the
    workers (``pool``) while this process finds the a18 warnings and renders the report."""
    ledger = work.out / ".results.xlsx.tmp"
    # the ledger for Excel, read from the results before results.jsonl moves into place: its rows made in the
    # workers, compressed in a thread of this process (zlib lets go of the interpreter)
    ledger_written = _in_background(excel.write_file, work.results, ledger, batch.lang, pool, 2 * batch.workers)
    groups = _disagreements(summary)
    asked = [(i, summary.examples[key]) for i, (key, _) in enumerate(groups[:WHATIF_GROUPS]) if summary.examples[key]]
    changes = pool.starmap_async(worker.changes_to, [(example, groups[i][1].recorded) for i, example in asked])
    corpus = [r for r in batch.settings.load(corpus=True) if r]
    found = alerts(occurrences, work.label_chunks, corpus, batch.threshold, batch.window)
    disagreements = [group for _, group in groups[:SHOWN]]
    for (i, _), found_changes in zip(asked, changes.get(), strict=True):
        disagreements[i] = replace(disagreements[i], changes=found_changes)
    listed = [group for _, group in groups[SHOWN:LISTED]]
    context = _context(summary, found, disagreements, batch, reader, rules, compare)
    context["more_disagreements"] = {
        "listed": listed,
        "groups": max(0, len(groups) - LISTED),
        "cases": sum(g.cases.count for _, g in groups[LISTED:]),
        "untallied": summary.untallied,
        "tallied": GROUPS,
    }
    reports = {
        name: render(f"batch/report.{kind}.j2", batch.lang, **context)
        for name, kind in (("report.md", "md"), ("report.html", "html"))
    }
    ledger_written()
    os.replace(ledger, work.out / "results.xlsx")
    work.finish(reports)


def _in_background(fn: Callable, *args) -> Callable[[], object]:
    """``fn(*args)`` in a daemon thread (should the run stop first, the interpreter does not wait for it):
    a call that waits for it and gives its result, or raises its exception."""
    done: dict = {}

    def run() -> None:
        try:
            done["result"] = fn(*args)
        except BaseException as e:  # raised in the caller's thread, at its wait
            done["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def result() -> object:
        thread.join()
        if "error" in done:
            raise done["error"]
        return done["result"]

    return result


def _timeline_digest(settings) -> str | None:
    """Under a timeline, its digest: what each results line's ``rules`` names (the program of every version
    and Q12), not the first version's rule set."""
    if settings.timeline is None:
        return None
    from .. import timeline as versions

    return versions.load(settings.timeline, settings.profile, trusted=settings.trusted).digest


def _context(
    summary: Summary,
    found: list[list[Alert]],
    disagreements: list[Disagreement],
    batch: Batch,
    reader: Reader,
    rules: RuleSet,
    compare: RuleSet | None,
) -> dict:
    settings = batch.settings
    names = vocab.outcome_names()
    shown = [*names, UNDETERMINED] if summary.dispositions[UNDETERMINED] or summary.compared[UNDETERMINED] else names
    lang = batch.lang
    agreement, confusion = _agreement(summary), _confusion(summary, names)
    return {
        "name": lambda outcome: _name(outcome, lang),
        "meta": {
            "as_of": settings.as_of.isoformat(),
            "effective_date": settings.effective_date and settings.effective_date.isoformat(),
            "rules": _timeline_digest(settings) or rules.digest,  # as the results lines name it
            "profile": rules.profile,
            "timeline": settings.timeline and str(settings.timeline),
            "compare": compare and {"rules": compare.digest, "profile": compare.profile},
            "inputs": [str(p) for p in batch.inputs],
            "files": len(reader.files),
            "blank": reader.blank,
            "threshold": batch.threshold,
            "window": batch.window,
        },
        "summary": summary,
        "dispositions": [(n, summary.dispositions[n]) for n in shown],
        "outcomes": [(n, summary.outcomes[n]) for n in names],
        "agreement": agreement,
        "confusion": confusion,
        "disagreements": disagreements,
        "whatif_changes": WHATIF_CHANGES,
        # what the what-if held fixed, for the report to say so (none when the recorded decision is out_of_scope)
        "whatif_held": lambda recorded: [vocab.label("facts", f, lang) for f in held_fixed(recorded)],
        "alerts": found[0],
        "alert_changes": _alert_changes(*found) if compare else None,
        "compared": [(n, summary.dispositions[n], summary.compared[n]) for n in shown] if compare else None,
        "changes": sorted(
            ((a, b, listing) for (a, b), listing in summary.changes.items()),
            key=lambda c: (-c[2].count, _order(c[0]), _order(c[1])),
        ),
        "changed": sum(listing.count for listing in summary.changes.values()),
        "rejected_fields": sorted(summary.rejected_fields.items(), key=lambda f: (-f[1], f[0])),
        "quote": measure.text,
        "md": markdown_text,
        "percent": lambda n, total: f"{n / total:.1%}" if total else "—",
        "charts": _charts(summary, shown, names, agreement, confusion, found[0], lang),
    }


def _name(outcome: str, lang: str) -> str:
    return message(f"batch.{UNDETERMINED}", lang) if outcome == UNDETERMINED else vocab.label("outcomes", outcome, lang)


def _order(outcome: str) -> int:
    names = vocab.outcome_names()
    return names.index(outcome) if outcome in names else len(names)


def _agreement(summary: Summary) -> dict:
    with_record = sum(summary.confusion.values()) + summary.uncertain_recorded
    agreed = summary.agreed
    return {
        "recorded": with_record,
        "agreed": agreed,
        "disagreed": with_record - agreed - summary.undetermined_agreement,
        "undetermined": summary.undetermined_agreement,
        "unrecorded": summary.evaluated - with_record,
        "rate": f"{agreed / with_record:.1%}" if with_record else "—",
    }


def _confusion(summary: Summary, names: list[str]) -> dict:
    rows = [r for r in names if any(summary.confusion[(r, c)] for c in names)]
    return {"rows": rows, "columns": names, "counts": {(r, c): summary.confusion[(r, c)] for r in rows for c in names}}


def _disagreements(summary: Summary) -> list[tuple[str, Disagreement]]:
    """The disagreement groups, largest first, each with its key in the summary (changes not asked yet)."""
    groups = []
    for key, cases in summary.disagreements.items():
        _, _, given, recorded_is, fate = json.loads(key)
        reason = json.loads(summary.reasons[key])  # the group's first case's disagreements.jsonl line
        recorded, disposition, outcomes, defeated = (
            reason[k] for k in ("recorded", "disposition", "outcomes", "defeated")
        )
        outcomes.sort(key=lambda o: o["outcome"] != disposition)
        cited = [c for o in outcomes for c in o["grounds"]] + [
            c for d in defeated for c in (*d["grounds"], d["blocked_by"])
        ]
        groups.append(
            (
                key,
                Disagreement(
                    recorded,
                    disposition,
                    outcomes,
                    defeated,
                    recorded_is,
                    given,
                    fate,
                    sorted(set(cited), key=measure.order),
                    cases,
                    None,
                ),
            )
        )
    groups.sort(
        key=lambda kg: (-kg[1].cases.count, _order(kg[1].recorded), _order(kg[1].disposition), kg[1].cases.items)
    )
    return groups


SHOWN = 20  # disagreement groups the report shows in full, largest first
LISTED = 100  # … and one line each for the next ones; the rest counted (all in disagreements.jsonl)
WHATIF_GROUPS = SHOWN  # what-if for the groups shown in full only: each is an optimisation


def _alert_changes(mine: list[Alert], theirs: list[Alert]) -> dict:
    ours, others = {a.recurrence for a in mine}, {a.recurrence for a in theirs}
    return {
        "gone": [a for a in mine if a.recurrence not in others],
        "new": [a for a in theirs if a.recurrence not in ours],
    }


def _charts(
    summary: Summary,
    shown: list[str],
    names: list[str],
    agreement: dict,
    confusion: dict,
    found: list[Alert],
    lang: str,
) -> dict:

    def words(key: str) -> str:
        return message(f"batch.{key}", lang)

    def name(n: str) -> str:
        return _name(n, lang)

    rows, columns = confusion["rows"], confusion["columns"]
    return {
        "dispositions": charts.bars([(n, name(n), summary.dispositions[n]) for n in shown]),
        "outcomes": charts.bars([(n, name(n), summary.outcomes[n]) for n in names]),
        "agreement": charts.bars(
            [
                ("agree", words("agree"), agreement["agreed"]),
                ("disagree", words("disagree"), agreement["disagreed"]),
                (UNDETERMINED, words("agreement_undetermined"), agreement["undetermined"]),
                ("no_record", words("no_record"), agreement["unrecorded"]),
            ]
        ),
        "confusion": charts.matrix(
            [name(r) for r in rows],
            [name(c) for c in columns],
            {(i, j): confusion["counts"][(r, c)] for i, r in enumerate(rows) for j, c in enumerate(columns)},
        ),
        "alerts": charts.timeline(
            [
                (
                    f"{words('kind_' + a.recurrence.kind)} {a.recurrence.key}",
                    a.recurrence.first,
                    a.recurrence.last,
                    a.recurrence.cases,
                )
                for a in found
            ]
        ),
    }
