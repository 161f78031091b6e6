"""The draft 认定意见 of a case: what `rongcuo opinion` and /v1/opinion write, in Markdown, HTML or Word.

One :class:`Draft` is built from the case and its result — its words from
messages/opinion.yaml, the measure's articles cited by its numbering and
quoted — and then laid out: by the jinja templates opinion/opinion.md.j2 and
opinion/opinion.html.j2, and by :func:`docx` (python-docx, imported there) on
the Word template shipped in templates/opinion/opinion.docx, whose styles
(标题, 标题 1, 正文, 引文) a bureau can restyle or replace (``--template``).

Sections, in the order of a bureau's document: 一、基本情况 (the subject, the
case's dates, its narrative), 二、认定依据 (each ground of the disposition
quoted, with the facts of its clauses and their evidence; grounds defeated),
三、认定意见 (the disposition in the modality the measure words it, and that
the determination is the party group's, a14), 四、后续事项 (the consequences:
the notice and its due date, the correction and its deadline, publicity, the
a19 feedback). Under a timeline of rule versions (``--timeline``), 二、认定依据 opens with the
version of the measure applied, named by the dates it was in force, and why (Q12: the version in force
at the conduct date, or the more lenient one in force at the determination, 从旧兼从轻), what the
timeline says of it, and the disposition under each version consulted; the colophon names the timeline,
the version and its rule set. Without one, the document is as it always was.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..ask import Ask, Day
from ..engine import bundled_root
from ..engine.timeline import Span
from ..model import measure
from ..model import vocabulary as vocab
from ..model.case import Case
from ..model.result import Result
from .render import message, render

TEMPLATE = Path(__file__).with_name("templates") / "opinion" / "opinion.docx"
FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "text"  # text | quote (the measure's words) | evidence (the case's words)


@dataclass
class Section:
    heading: str
    paras: list[Para] = field(default_factory=list)


@dataclass
class Draft:
    lang: str
    title: str
    addressee: str
    sections: list[Section]
    signature: str
    date: str
    colophon: str


def draft(case: Case, result: Result, asked: Ask, lang: str = "zh") -> Draft:
    """The opinion of one case evaluated under ``asked`` (its date: Ask.day_of; its timeline, if any), in ``lang``."""

    def t(key: str, **values) -> str:
        return message(f"opinion.{key}", lang, **values)

    def cites(ids) -> str:
        unique = sorted(dict.fromkeys(ids), key=measure.order)
        return ("、" if lang == "zh" else "; ").join(measure.cite(c, lang) for c in unique)

    day = asked.day_of(case)
    name = (case.subject.name if case.subject else None) or t("unnamed")
    disposition = result.disposition or "none"
    facts = Section(t("h_facts"), _facts(case, day, lang, t))
    version = _version(result, asked, lang, t) if asked.timeline else []
    grounds = Section(t("h_grounds"), version + _grounds(case, result, lang, t, cites))
    finding = Section(t("h_finding"), _finding(result, name, lang, t, cites))
    follow_up = Section(t("h_follow_up"), _follow_up(case, result, lang, t, cites))
    stated = {"profile": result.profile, "as_of": day.date.isoformat(), "why": message(f"day_{day.source}", lang)}
    if asked.timeline is None:
        colophon = t("colophon", rules=result.rules, **stated)
    else:  # the result's rule set is the timeline's program; the version applied has its own
        applied, rules = result.version or message("timeline.none", lang), asked.rules_of(result).digest
        colophon = t("colophon_timeline", timeline=result.rules, version=applied, rules=rules, **stated)
    return Draft(
        lang,
        t(f"title_{disposition}", name=name),
        t("addressee"),
        [facts, grounds, finding, follow_up],
        t("signature"),
        t("date_blank"),
        colophon,
    )


def written(day: dt.date, lang: str) -> str:
    """A date as the document writes it: 2024年3月27日, or ISO in English."""
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _facts(case: Case, day: Day, lang: str, t) -> list[Para]:
    out = []
    subject = case.subject
    if subject and (subject.name or subject.unit):
        name = subject.name or t("unnamed")
        out.append(
            Para(t("subject", name=name, unit=subject.unit) if subject.unit else t("subject_no_unit", name=name))
        )
    out.append(Para(t("case_ref", id=case.id)))
    if case.title:
        out.append(Para(t("case_title", title=case.title.rstrip("。."))))
    for key in vocab.date_keys():
        if key in case.dates:
            label = vocab.label("dates", key, lang)
            out.append(Para(t("date_line", label=label[:1].upper() + label[1:], date=written(case.dates[key], lang))))
    out.append(Para(t("narrative", text=case.narrative) if case.narrative else t("no_narrative")))
    return out


def _version(result: Result, asked: Ask, lang: str, t) -> list[Para]:
    """Under a timeline: the version of the measure the result applied, by the dates it was in force, and
    why (Q12's reason, timeline.yaml); what the timeline says of it; the disposition under each version
    consulted; and, when its rules are not the bundled ones, that the provisions quoted are the bundled text."""
    timeline = asked.timeline
    assert timeline is not None
    spans = {s.id: s for s in timeline.spans}
    if result.version not in spans or result.version_reason is None:
        return [Para(t("version_none"))]
    reason = message(f"timeline.reason_{result.version_reason}", lang)
    out = [Para(t("version_applied", version=_named(spans[result.version], lang, t), reason=reason))]
    if note := timeline.notes.get(result.version, {}).get(lang):
        out.append(Para(t("version_note", note=note.rstrip("。."))))
    if result.versions_consulted:
        each = [
            t("version_gives", version=_named(spans[v], lang, t), disposition=vocab.label("outcomes", d, lang))
            for v, d in result.versions_consulted
        ]
        out.append(Para(t("versions_compared", each=("；" if lang == "zh" else "; ").join(each))))
    if asked.rules_of(result).root != bundled_root().resolve():
        out.append(Para(t("version_text")))
    return out


def _named(span: Span, lang: str, t) -> str:
    """A version as the document names it: by the dates it was in force (``end`` is the next one's first day)."""
    if span.start and span.end:
        return t("version_between", start=written(span.start, lang), last=written(span.end - dt.timedelta(1), lang))
    if span.start:
        return t("version_from", start=written(span.start, lang))
    if span.end:
        return t("version_until", end=written(span.end, lang))
    return t("version_only")


def _grounds(case: Case, result: Result, lang: str, t, cites) -> list[Para]:
    chosen = result.outcome(result.disposition) if result.disposition else None
    out: list[Para] = []
    if chosen is None or not chosen.grounds:
        out.append(Para(t("no_grounds")))
    else:
        out.append(Para(t("ground_intro")))
        for ground in sorted(dict.fromkeys(chosen.grounds), key=measure.order):
            out.append(Para(t("ground", cite=measure.cite(ground, lang), text=measure.text(ground)), "quote"))
            for item in _items(ground, chosen.grounds):
                out.append(Para(t("ground", cite=measure.cite(item, lang), text=measure.text(item)), "quote"))
            out += _facts_of(case, ground, chosen.grounds, lang, t)
    for d in result.defeated:
        outcome = vocab.label("outcomes", d.outcome, lang)
        out.append(Para(t("defeated", grounds=cites(d.grounds), outcome=outcome, blocked=cites([d.blocked_by]))))
    return out


def _items(ground: str, grounds: tuple[str, ...]) -> list[str]:
    """A ground's own items when the ground is a paragraph whose items are its conditions (a11.p2's three)
    and no item of it is cited itself (a12.p1 is cited with the one item that applies)."""
    items = [c for c in measure.clauses() if c.startswith(ground + ".") and c.count(".") == ground.count(".") + 1]
    return [] if any(g.startswith(ground + ".") for g in grounds) else sorted(items, key=measure.order)


def _facts_of(case: Case, ground: str, grounds: tuple[str, ...], lang: str, t) -> list[Para]:
    """The case's stated facts that belong to the ground's clause or its items (and to no more specific ground
    cited: a12.p1.i2's facts under a12.p1.i2, not again under a12.p1), with their evidence."""

    def under(clause: str, g: str) -> bool:
        return clause == g or clause.startswith(g + ".")

    out = []
    for fact in vocab.fact_ids():
        clause = vocab.vocabulary()["facts"][fact].get("clause", "")
        if fact not in case.facts or not under(clause, ground):
            continue
        if any(len(g) > len(ground) and under(clause, g) for g in grounds):
            continue
        value, label = case.facts[fact], vocab.label("facts", fact, lang)
        out.append(
            Para(t("fact_true" if value is True else "fact_false" if value is False else "fact_unknown", label=label))
        )
        if (evidence := case.evidence.get(fact)) is not None:
            key = "evidence_unconfirmed" if evidence.needs_confirmation else "evidence"
            out.append(Para(t(key, text=evidence.text), "evidence"))
    return out


def _finding(result: Result, name: str, lang: str, t, cites) -> list[Para]:
    disposition = result.disposition or "none"
    chosen = result.outcome(disposition)
    grounds = cites(chosen.grounds) if chosen else ""
    modality = vocab.label("modalities", result.disposition_modality, lang) if result.disposition_modality else ""
    out = [Para(t(f"finding_{disposition}", name=name, grounds=grounds, modality=modality))]
    if chosen and chosen.catch_all:
        out.append(Para(t("catch_all", grounds=grounds)))
    out.append(Para(t("party_group")))
    return out


def _follow_up(case: Case, result: Result, lang: str, t, cites) -> list[Para]:
    out = []
    held = {c.consequence for c in result.consequences}
    for c in result.consequences:
        name = c.consequence
        if name == "notification_due":
            out.append(Para(t("c_notification_due", date=written(dt.date.fromisoformat(c.args[0]), lang))))
            if "notified" in case.dates and "notification_late" not in held:
                out.append(Para(t("c_notified", date=written(case.dates["notified"], lang))))
        elif name == "notification_late":
            decision, notified = case.dates.get("decision"), case.dates.get("notified")
            out.append(
                Para(
                    t(
                        "c_notification_late",
                        decision=written(decision, lang) if decision else "—",
                        notified=written(notified, lang) if notified else t("not_notified"),
                    )
                )
            )
        elif name == "correction_required":
            out.append(Para(t("c_correction_required")))
            deadline = case.dates.get("extended_deadline") or case.dates.get("correction_deadline")
            out.append(Para(t("c_deadline", date=written(deadline, lang)) if deadline else t("c_no_deadline")))
        elif f"opinion.c_{name}" in _keys():
            out.append(Para(t(f"c_{name}")))
        else:
            label = vocab.label("consequences", name, lang)
            out.append(Para(t("c_other", label=label[:1].upper() + label[1:], grounds=cites(c.grounds))))
    return out or [Para(t("no_follow_up"))]


def _keys() -> set[str]:
    from .render import messages

    return set(messages())


def text(d: Draft, format: str) -> str:
    """The draft in Markdown or HTML (the jinja templates)."""
    return render(f"opinion/opinion.{format}.j2", d.lang, d=d)


def docx(d: Draft, template: Path | None = None) -> bytes:
    """The draft as a Word document on the shipped template (or a bureau's own: its styles are used)."""
    import docx as python_docx  # python-docx: only the opinion needs it

    document = python_docx.Document(str(template or TEMPLATE))
    body = document.element.body
    for child in list(body):  # the template's sample text goes; its styles, page set-up and sections stay
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    styles = {s.name for s in document.styles}

    def style(*names: str) -> str | None:
        return next((n for n in names if n in styles), None)

    document.add_paragraph(d.title, style=style("Title"))
    document.add_paragraph(d.addressee, style=style("Salutation", "Normal"))
    for section in d.sections:
        document.add_paragraph(section.heading, style=style("Heading 1"))
        for p in section.paras:
            kind = {"quote": style("Quote", "Normal"), "evidence": style("Intense Quote", "Quote", "Normal")}
            document.add_paragraph(p.text, style=kind.get(p.kind, style("Normal")))
    document.add_paragraph(d.signature, style=style("Signature", "Normal"))
    document.add_paragraph(d.date, style=style("Signature", "Normal"))
    document.add_paragraph(d.colophon, style=style("Caption", "Normal"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_template(path: Path = TEMPLATE) -> None:
    """Write the shipped Word template: python-docx's default document restyled in the register of a bureau
    document (GB/T 9704 margins; 方正小标宋 title, 黑体 headings, 仿宋 text, 三号/16 pt). Run once by a
    maintainer (`python -c 'from rongcuo.present.opinion import make_template; make_template()'`); the file is
    committed, and a bureau restyles it in Word."""
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = python_docx.Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin, page.left_margin, page.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)

    def font(style_name: str, east_asian: str, size: float, bold: bool = False, align=None, indent=None) -> None:
        s = document.styles[style_name]
        s.font.name, s.font.size, s.font.bold = east_asian, Pt(size), bold
        s.font.color.rgb = None
        fonts = s.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # the theme's fonts would win
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:eastAsia"), east_asian)
        if align is not None:
            s.paragraph_format.alignment = align
        if indent is not None:
            s.paragraph_format.first_line_indent = indent
        s.paragraph_format.space_after = Pt(0)
        s.paragraph_format.line_spacing = Pt(28)

    font("Normal", "仿宋_GB2312", 16, indent=Pt(32))
    font("Title", "方正小标宋简体", 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=Pt(0))
    font("Heading 1", "黑体", 16, indent=Pt(32))
    font("Quote", "楷体_GB2312", 16, indent=Pt(32))
    font("Intense Quote", "楷体_GB2312", 16, indent=Pt(32))
    font("Caption", "仿宋_GB2312", 10.5, indent=Pt(0))
    for name in ("Salutation", "Signature"):
        if name not in {s.name for s in document.styles}:
            document.styles.add_style(name, 1).base_style = document.styles["Normal"]
    font("Salutation", "仿宋_GB2312", 16, indent=Pt(0))
    font("Signature", "仿宋_GB2312", 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(0))
    title = document.styles["Title"]
    title.element.get_or_add_pPr()  # no bottom border line of the default Title
    for border in title.element.pPr.findall(qn("w:pBdr")):
        title.element.pPr.remove(border)
    document.add_paragraph("关于××同志容错免责认定的意见（草稿）", style="Title")
    document.add_paragraph("一、基本情况", style="Heading 1")
    document.add_paragraph("（正文：仿宋_GB2312 三号。本页文字在生成时被替换，样式保留。）", style="Normal")
    document.save(str(path))
