"""Every rendered text goes through a jinja2 template in templates/, its words through one accessor.

Templates live in folders by owner (explain/, drafting/, batch/, extract/,
reference/, page/); a template whose name ends in ``.html`` or ``.html.j2`` is
autoescaped, and so is every macro file it imports, whatever its name (:func:`html`); in
Markdown, a case's text goes through ``| text`` (inert Markdown). Their words come from
``messages/*.yaml`` through one function, ``t(key, **values)``: ``common.yaml``'s keys as they are, each
other file's under its name (``t('batch.records')``).
"""

from __future__ import annotations

import hashlib
import re
import sys
from functools import cache
from pathlib import Path

import jinja2
import markupsafe
import yaml

from ..model import measure
from ..model import vocabulary as vocab
from ..model.days import date_of

_MESSAGES = Path(__file__).with_name("messages")


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every message by key: common.yaml's as they are, the others' prefixed with their file's name."""
    found: dict[str, dict[str, str]] = {}
    for stem in _files():
        found.update(_messages_of(stem))
    return found


@cache
def _files() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in _MESSAGES.glob("*.yaml")))


@cache
def _messages_of(stem: str) -> dict[str, dict[str, str]]:
    """One file's messages, keyed as messages() keys them. A command reads only the files it uses
    (evaluate: common.yaml, 4 of 20 kB; ~6 ms saved)."""
    prefix = "" if stem == "common" else f"{stem}."
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (_MESSAGES / f"{stem}.yaml").read_text("utf-8")
    return {prefix + key: entry for key, entry in yaml.load(text, Loader=loader).items()}


def message(key: str, lang: str, count: int | None = None, **values) -> str:
    """One message in ``lang``, with ``{name}`` fields filled from ``values``; its ``{lang}_one`` form, where
    it has one, when ``count`` is 1 ("1 record")."""
    head, dot, _ = key.partition(".")
    found = _messages_of(head if dot and head in _files() else "common")
    entry = (found if key in found else messages())[key]
    text = entry.get(f"{lang}_one", entry[lang]) if count == 1 else entry[lang]
    return text.format(**values) if values else text


_SALT = hashlib.sha1(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, so that a command does not compile its templates again
    (~40 ms for evaluate's and the macros it imports): jinja2's cache in the user's own temporary folder, each
    entry checked against the template's source. Written only where Python writes its bytecode (not
    under PYTHONDONTWRITEBYTECODE); a cache that cannot be written is no cache."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # Compiled code also depends on the environment (finalize, autoescape…) set up in this file and on
        # jinja2's version: both are part of the key, so a change to either compiles afresh.
        return hashlib.sha1(f"{super().get_cache_key(name, filename)}\0{_SALT}".encode()).hexdigest()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if sys.dont_write_bytecode:
            return
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _Compiled()
    except (OSError, RuntimeError):  # no safe temporary folder: compile every time
        return None


IN_HTML = "@html"  # a macro file's name as an HTML template imports it: compiled apart, autoescaped


def html(name: str | None) -> bool:
    """Whether a template's output is HTML: its name ends in .html or .html.j2, or it is a macro file
    as an HTML template (or a macro file imported by one) imports it."""
    return name is not None and name.endswith((".html", ".html.j2", IN_HTML))


class _Environment(jinja2.Environment):
    """jinja2 autoescapes by the name of the template a macro is written in, but marks what a macro
    returns as safe by the caller's: the text macros shared by every format (explain/words.j2,
    drafting/macros.j2) came out of an HTML page unescaped and marked safe — rule text, a string in a
    comparison, live. Imported into HTML, a macro file is compiled under a name of its own that is
    autoescaped (``…@html``, :data:`IN_HTML`), so whatever it prints is escaped there."""

    def join_path(self, template: str, parent: str) -> str:
        return template + IN_HTML if html(parent) and not html(template) else template


class _Loader(jinja2.FileSystemLoader):
    def get_source(self, environment: jinja2.Environment, template: str):
        return super().get_source(environment, template.removesuffix(IN_HTML))


@cache
def environment() -> jinja2.Environment:
    env = _Environment(
        loader=_Loader(Path(__file__).with_name("templates")),
        bytecode_cache=_bytecode_cache(),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        finalize=_inert,
    )
    env.globals.update(
        cite=measure.cite, clause_text=measure.text, label=vocab.label, iso=iso, term=term, statement=statement
    )
    env.filters["cites"] = cites
    env.filters["md"] = markdown_text
    env.filters["text"] = case_text
    return env


_CONTROL = {c: None for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0))}


def _inert(value):
    """Every value a template prints: control characters (terminal escapes) dropped from text."""
    return value.translate(_CONTROL) if isinstance(value, str) else value


def iso(days: int) -> str:
    return date_of(days).isoformat()


def term(value, lang: str = "zh") -> str:
    """A value from a derived atom in words: outcome, clause, fact, date (days), or as written."""
    if isinstance(value, int):
        return iso(value) if value > 3650 else str(value)
    if isinstance(value, tuple):
        name, *args = value
        inner = ", ".join(dict.fromkeys(term(a, lang) for a in args if a != "any"))
        kind = next((k for k in ("consequences", "predicates") if name in vocab.vocabulary()[k]), "predicates")
        return vocab.label(kind, name, lang) + (
            f"（{inner}）" if inner and lang == "zh" else f" ({inner})" if inner else ""
        )
    for kind in ("outcomes", "facts", "consequences", "modalities", "dates", "predicates"):
        if value in vocab.vocabulary()[kind]:
            return vocab.label(kind, value, lang)
    if value in measure.clauses():
        return measure.cite(value, lang)
    return str(value)


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#!|~>"} | {"<": "&lt;", "&": "&amp;", "\n": " "})


def markdown_text(text) -> str:
    """Text from a case, inert in Markdown: no link, image, heading, emphasis, list or HTML it could start."""
    out = str(text).translate(_MARKDOWN)
    if out[:1] in ("-", "+"):  # a list item
        return "\\" + out
    number = len(out) - len(out.lstrip("0123456789"))
    return out[:number] + "\\" + out[number:] if number and out[number : number + 1] == "." else out  # "1." too


@jinja2.pass_context
def case_text(context, value):
    """A case's (or a rule's) own text where a template writes it: inert Markdown when the template
    renders Markdown (its ``md``), as it is otherwise (text; HTML escapes it anyway)."""
    return markdown_text(value) if context.get("md") and not context.get("html") else value


def statement(atom: tuple, which: str = "says", lang: str = "zh") -> str:
    """An atom (without its case) as a sentence: its predicate's ``says`` wording, or with ``absent`` the
    sentence that no such atom holds — the first wording whose arguments are all known (vocabulary.yaml)."""
    name, *args = atom
    entry = vocab.vocabulary()["predicates"].get(name) or {}
    known = [None if a in (None, "any") else term(a, lang) for a in args]
    for wording in (entry.get(which) or {}).get(lang, ()):
        used = [int(i) for i in _FIELDS.findall(wording)]
        if all(i < len(known) and known[i] is not None for i in used):
            return wording.format(*known)
    if which == "absent":
        return message("not_holds", lang) + message("colon", lang) + term(_bound(atom), lang)
    return term(_bound(atom), lang)


_FIELDS = re.compile(r"\{(\d+)\}")


def _bound(atom: tuple) -> tuple:
    return tuple(a for a in atom if a not in (None, "any"))


def cites(clause_ids, lang: str = "zh") -> str:
    """Several citations in the language's list style: 第四条、第十一条第二款."""
    return ("、" if lang == "zh" else "; ").join(measure.cite(c, lang) for c in clause_ids)


def render(template: str, lang: str = "zh", **context) -> str:
    def t(key: str, **values) -> str:
        if any(isinstance(v, markupsafe.Markup) for v in values.values()):  # HTML filled in: keep it markup
            return markupsafe.Markup(markupsafe.escape(message(key, lang))).format(**values)
        return message(key, lang, **values)

    context.setdefault("detail", False)  # the drafter's view: rule locations and atoms
    return environment().get_template(template).render(lang=lang, t=t, **context)
