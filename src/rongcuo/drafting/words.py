"""The names of a check or diff report in words: each outcome, consequence, modality, fact and date by
its vocabulary label, each clause by the measure's numbering, in the report's language.

Ids are for the drafter who asks for them (``--ids``): then each label is followed by its id in a
code span (``label `id```; in HTML ``label <code>id</code>``). A name the vocabulary or the measure
does not know (a draft's new outcome or clause) is shown as written, in a code span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from ..model import measure
from ..model import vocabulary as vocab
from ..present.render import message

_KINDS = ("outcomes", "facts", "dates", "modalities", "consequences", "predicates")


class Words:
    def __init__(self, lang: str, ids: bool = False, html: bool = False) -> None:
        self.lang, self.ids, self.html = lang, ids, html

    # the pieces
    def code(self, text: object) -> str:
        """A code span: an id, a path, a rule, a command — a drafter's text shown as written."""
        if self.html:
            return Markup("<code>{}</code>").format(text)
        # Markdown: a fence longer than any run of backticks inside, so the text cannot end the span and
        # come out as Markdown (a link, an image, HTML); in text the usual single backticks.
        shown = str(text)
        fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
        pad = " " if shown.startswith("`") or shown.endswith("`") else ""
        return f"{fence}{pad}{shown}{pad}{fence}"

    def named(self, text: str, name: str, known: bool = True) -> str:
        """A label, its id after it under ``ids``; an unknown name as a code span."""
        if not known:
            return self.code(name)
        if not self.ids:
            return text
        return self.join([text, self.code(name)], " ")

    @property
    def sep(self) -> str:
        """Between the items of a list: 、 in Chinese."""
        return "、" if self.lang == "zh" else ", "

    def join(self, items: Iterable[str], sep: str | None = None) -> str:
        sep = self.sep if sep is None else sep
        if self.html:
            return Markup(escape(sep)).join(items)
        return sep.join(str(x) for x in items)

    def _t(self, key: str, **values) -> str:
        return message(f"drafting.{key}", self.lang, **values)

    def _of(self, kind: str, name: str) -> str:
        known = name in vocab.vocabulary()[kind]
        return self.named(vocab.label(kind, name, self.lang), name, known)

    # the names
    def outcome(self, name: str) -> str:
        return self._of("outcomes", name)

    def fact(self, name: str) -> str:
        return self._of("facts", name)

    def date(self, name: str) -> str:
        return self._of("dates", name)

    def modality(self, name: str) -> str:
        return self._of("modalities", name)

    def predicate(self, name: str) -> str:
        return self._of("predicates", name)

    def reading(self, name: str) -> str:
        """An interpretation question's reading (readings/q12_lenient.lp: q12_lenient); none: a dash."""
        return self._of("readings", name) if name else "-"

    def facts(self, names: Iterable[str], sep: str | None = None) -> str:
        """Facts in a list: joined by ； (; in English): their labels hold 、 and commas themselves."""
        return self.join([self.fact(f) for f in names], sep or ("；" if self.lang == "zh" else "; "))

    def dates(self, names: Iterable[str]) -> str:
        return self.join([self.date(d) for d in names])

    def fact_or_date(self, name: str) -> str:
        """One side of a contradiction: a fact, or a date key (two dates out of order)."""
        return self.date(name) if name in vocab.vocabulary()["dates"] else self.fact(name)

    def contradiction(self, pair: Iterable[str]) -> str:
        return self.join([self.fact_or_date(x) for x in pair], " + ")

    def clause(self, clause_id: str) -> str:
        try:
            text = measure.cite(clause_id, self.lang)
        except ValueError:
            return self.code(clause_id)
        return self.named(text, clause_id, clause_id in measure.clauses())

    def clauses(self, clause_ids: Iterable[str]) -> str:
        return self.join([self.clause(c) for c in clause_ids])

    def disposition(self, value: str) -> str:
        """A disposition as a diff states it: an outcome, ``rejected``, ``no_disposition``, or
        several possible ones joined by ``/`` (a case with unknown facts)."""
        parts = []
        for name in value.split("/"):
            if name in ("rejected", "no_disposition"):
                parts.append(self.named(self._t(f"disposition_{name}"), name))
            else:
                parts.append(self.outcome(name))
        return self.join(parts, " / ")

    def consequence(self, name: str, args: Iterable[str] = ()) -> str:
        """A consequence and its arguments (a due date): 应于此日前告知相关单位及当事人：2024-01-10."""
        text = self._of("consequences", name)
        args = list(args)
        if not args:
            return text
        return self.join([text, self.join(args, ", ")], message("colon", self.lang))

    def consequences(self, found: Iterable) -> str:
        """A result's consequences (model.result.Consequence)."""
        return self.join([self.consequence(c.consequence, c.args) for c in found], "；" if self.lang == "zh" else "; ")

    def consequence_key(self, key: str) -> str:
        """A consequence as diff names it: ``name`` or ``name(arg,…)``."""
        name, _, rest = key.partition("(")
        return self.consequence(name, [a for a in rest.rstrip(")").split(",") if a])

    def change(self, change) -> str:
        """One change of a diff class: 新增结论：从轻、减轻处理."""
        kind, name = change.kind, change.name
        if kind in ("outcome", "catch_all"):
            what = self.outcome(name)
        elif kind == "modality":
            outcome, _, modality = name.partition(": ")
            what = self.join([self.outcome(outcome), self.modality(modality)], message("colon", self.lang))
        elif kind == "consequence":
            what = self.consequence_key(name)
        else:
            what = self._of("predicates", name)
        head = self._t(f"sign_{change.sign}") + ("" if self.lang == "zh" else " ") + self._t(f"kind_{kind}")
        return self.join([head, what], message("colon", self.lang))
