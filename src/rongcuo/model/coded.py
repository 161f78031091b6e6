"""Errors as a catalogue key and its values, rendered in the user's language at the edge.

An error does not carry a finished sentence: it carries a stable key of
``present/messages/errors.yaml`` (``errors.unknown_fact``) and the values the
sentence names. The CLI, the batch report and the service render it in the
user's language with :func:`text`; ``str(error)`` is the English rendering, so
that logs, tracebacks seen by developers and callers that only want a line keep
working (English is the language every developer of rongcuo reads, and the
one the existing callers and tests were written against).

Values are plain (text, numbers, a ``repr`` of what the user typed) or:

- :class:`Id` — a vocabulary id the program names (a suggestion, a list of
  keys): in zh with its label, ``major_loss（造成重大损失）``; an id the user
  typed stays a plain string, as typed;
- :class:`Msg` — a nested message (a hint, a reason of a wrapped error);
- a list or tuple of these — joined (``, `` in en, ``、`` in zh).

A place (the field of a case error, the ``where`` of a decode error) is the
user's own field path, or one of the fixed pseudo-places below (``(file)``,
``line 3``, ``cases.csv row 5``…), which are rendered in words.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, NamedTuple

LANGS = ("zh", "en")


class Id(NamedTuple):
    """A vocabulary id the message names: ``kind`` is facts, dates or outcomes."""

    kind: str
    name: str


class Msg(NamedTuple):
    """A nested message: a catalogue key and its values."""

    key: str
    values: dict[str, Any]


class Place(NamedTuple):
    """A place (a decode error's ``where``, ``line 3``) named inside another message, in words (:func:`place`)."""

    where: str


def msg(key: str, **values: Any) -> Msg:
    return Msg(key, values)


def suggest(word: str, choices: list[str], kind: str, otherwise: Msg) -> Msg:
    """A fix for a misspelt id: the closest choice (named with its label in zh), or where to look."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return msg("errors.did_you_mean", choice=Id(kind, close[0]) if kind else close[0]) if close else otherwise


def ids(kind: str, names: list[str]) -> list[Id]:
    return [Id(kind, n) for n in names]


class Coded(Exception):
    """An error with a catalogue key (:attr:`code`) and the values it names (:attr:`values`)."""

    def __init__(self, code: str, **values: Any):
        super().__init__(code)
        self.code, self.values = code, values

    def reason(self, lang: str = "en") -> str:
        """What is wrong and the fix, in ``lang``, without the place."""
        return render(self.code, lang, self.values)

    def text(self, lang: str = "en") -> str:
        """The whole line in ``lang``: where, what, the fix."""
        return self.reason(lang)

    def __str__(self) -> str:
        return self.text("en")

    def __reduce__(self):  # pickled across processes with its values (Exception pickles args only)
        return _rebuilt, (type(self), self.__dict__)


class OptionError(Coded, ValueError):
    """A bad value of an option (CLI) or a parameter (service): its name, and what is wrong."""

    def __init__(self, option: str, code: str, **values: Any):
        super().__init__(code, **values)
        self.option = option

    def text(self, lang: str = "en") -> str:
        return f"{self.option}: {self.reason(lang)}"


def _rebuilt(cls: type[Coded], state: dict) -> Coded:
    error = Exception.__new__(cls)
    Exception.__init__(error, state.get("code"))
    error.__dict__.update(state)
    return error


def text(error: BaseException, lang: str = "en") -> str:
    """Any error as one line in ``lang``: a coded one rendered, any other as Python states it."""
    return error.text(lang) if isinstance(error, Coded) else str(error)


def render(key: str, lang: str, values: dict[str, Any]) -> str:
    """One catalogue message in ``lang`` with its values in words."""
    from ..present.render import message

    return message(key, lang).format(**{name: value_text(value, lang) for name, value in values.items()})


def value_text(value: Any, lang: str) -> Any:
    if isinstance(value, Id):
        from . import vocabulary as vocab

        label = vocab.label(value.kind, value.name, lang)
        return f"{value.name}（{label}）" if lang == "zh" and label != value.name else value.name
    if isinstance(value, Msg):
        return render(value.key, lang, value.values)
    if isinstance(value, Place):
        return place(value.where, lang)
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(str(value_text(v, lang)) for v in value)
    return value


# The fixed places, by how a message names them.
PLACES = {
    "(case)": "errors.place_case",
    "(file)": "errors.place_file",
    "(row)": "errors.place_row",
    "(line)": "errors.place_line",
    "(list)": "errors.place_list",
    "(mapping)": "errors.place_mapping",
    "(label)": "errors.place_label",
    "(lexicon)": "errors.place_lexicon",
    "(document)": "errors.place_document",
    "(request)": "errors.place_request",
    "(rules)": "errors.place_rules",
    "header": "errors.place_header",
    "case": "errors.place_the_case",
    "cases": "errors.place_the_cases",
    "pasted case": "errors.place_pasted",
}
_AT = re.compile(r"^(?:(?P<head>.*) )?(?P<unit>line|row|column) (?P<n>\d+)(?: column (?P<col>\d+))?$")
_UNITS = {"line": "errors.place_line_n", "row": "errors.place_row_n", "column": "errors.place_column_n"}
_COLUMN = re.compile(r"^column (?P<name>'.*'|\".*\")$")


def place(where: str, lang: str) -> str:
    """A field path or source as the user wrote it; a fixed place (``(file)``, ``line 3``) in words."""
    if where in PLACES:
        return render(PLACES[where], lang, {})
    if m := _COLUMN.match(where):
        return render("errors.place_column_named", lang, {"name": m["name"]})
    if m := _AT.match(where):
        at = render(_UNITS[m["unit"]], lang, {"n": m["n"]})
        if m["col"]:
            at += ("" if lang == "zh" else " ") + render("errors.place_column_n", lang, {"n": m["col"]})
        head = m["head"]
        return f"{place(head, lang)} {at}" if head else at
    return where


def os_reason(e: OSError | UnicodeDecodeError) -> Msg:
    """Why a file could not be read or written: the common causes in words, any other as the system says it."""
    import errno

    if isinstance(e, UnicodeDecodeError):
        return msg("errors.os_not_utf8")
    known = {
        errno.ENOENT: "errors.os_not_found",
        errno.EACCES: "errors.os_denied",
        errno.EPERM: "errors.os_denied",
        errno.EISDIR: "errors.os_is_folder",
        errno.ENOTDIR: "errors.os_not_folder",
        errno.ENOSPC: "errors.os_no_space",
        errno.EROFS: "errors.os_read_only",
        errno.EADDRINUSE: "errors.os_address_in_use",
        errno.EADDRNOTAVAIL: "errors.os_address_not_here",
    }
    return msg(known[e.errno]) if e.errno in known else msg("errors.parser_said", problem=e.strerror or str(e))
