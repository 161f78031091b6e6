"""Every rendered text goes through a jinja2 template in templates/."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.resources import files

import jinja2
import yaml

from . import measure
from . import vocabulary as vocab
from .engine.symbols import EPOCH


@cache
def _messages() -> dict[str, dict[str, str]]:
    return yaml.safe_load(files("rongcuo").joinpath("data/messages.yaml").read_text(encoding="utf-8"))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rongcuo", "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
    )
    env.globals.update(cite=measure.cite, clause_text=measure.text, label=vocab.label, iso=iso, term=term)
    env.filters["cites"] = cites
    return env


def iso(days: int) -> str:
    return (EPOCH + dt.timedelta(days=days)).isoformat()


def term(value, lang: str = "zh") -> str:
    """A value from a derived atom in words: outcome, clause, fact, date (days), or as written."""
    if isinstance(value, int):
        return iso(value) if value > 3650 else str(value)
    if isinstance(value, tuple):
        name, *args = value
        inner = ", ".join(dict.fromkeys(term(a, lang) for a in args if a != "any"))
        return vocab.label("predicates", name, lang) + (
            f"（{inner}）" if inner and lang == "zh" else f" ({inner})" if inner else ""
        )
    for kind in ("outcomes", "facts", "consequences", "modalities", "dates", "predicates"):
        if value in vocab.vocabulary()[kind]:
            return vocab.label(kind, value, lang)
    if value in measure.clauses():
        return measure.cite(value, lang)
    return str(value)


def cites(clause_ids, lang: str = "zh") -> str:
    """Several citations in the language's list style: 第四条、第十一条第二款."""
    return ("、" if lang == "zh" else "; ").join(measure.cite(c, lang) for c in clause_ids)


def render(template: str, lang: str = "zh", **context) -> str:
    messages = _messages()
    return environment().get_template(template).render(lang=lang, t=lambda key: messages[key][lang], **context)
