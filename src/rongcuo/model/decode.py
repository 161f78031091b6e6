"""The one safe decoder of untrusted YAML and JSON: case files, mapping files, request bodies, pasted text.

Everything is bounded before anything large is built, and every problem is a
:class:`DecodeError` saying where (a line) and what, never a traceback:

- YAML through PyYAML's C parser, composed first: the node graph is measured
  with aliases expanded (a "billion laughs" document is refused before it is
  built), nested at most :data:`MAX_DEPTH` deep, with at most
  :data:`MAX_NODES` values; a key given twice is an error naming it; only
  YAML 1.2's ``true``/``false`` are booleans (``yes``, ``on`` stay words);
- JSON likewise: duplicate keys refused, depth and size bounded (a request body read by orjson
  when its reading cannot differ: :func:`read_json`);
- dates stay text for the case model to read (an impossible date names its key);
- every string valid Unicode (no lone surrogates), at most
  :data:`MAX_STRING` characters; every integer at most :data:`MAX_DIGITS`
  digits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import orjson
import yaml

from .coded import Coded, Msg, msg, place

MAX_BYTES = 4_000_000  # one document
MAX_DEPTH = 32  # nesting of mappings and lists (a case file needs 4)
MAX_NODES = 20_000  # values in one document, aliases expanded
MAX_STRING = 1_000_000  # characters of one string (a narrative)
MAX_DIGITS = 18  # digits of one integer (character offsets, counts)
MAX_ID = 200  # characters of a case's id (it names the record in every output line)

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DecodeError(Coded, ValueError):
    """A document that is not well-formed or passes a bound: where (``line 3``) and what (a catalogue key)."""

    def __init__(self, where: str, code: str, **values: Any):
        super().__init__(code, **values)
        self.where = where

    def text(self, lang: str = "en") -> str:
        return f"{place(self.where, lang)}: {self.reason(lang)}"


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader with YAML 1.2's booleans: true and false only."""


# Dates stay text (the case model reads them, naming the key of a bad one), booleans are YAML 1.2's.
_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def decode_yaml(text: str) -> Any:
    """A YAML document as Python values, within the bounds."""
    _size(text)
    _shallow(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        return _check_values(loader.construct_document(node))
    except yaml.YAMLError as e:
        raise DecodeError(_where(e, text), "errors.not_yaml", problem=yaml_problem(e)) from None
    except DecodeError:
        raise
    except (ValueError, RecursionError) as e:  # an integer past Python's digit limit, a deep construct
        raise _unreadable(e) from None
    finally:
        loader.dispose()


def _shallow(text: str) -> None:
    """Nesting bounded before composing: the C composer recurses (100,000 levels crash it); its parser
    yields events one by one."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    where = f"line {event.start_mark.line + 1}" if event.start_mark else "(document)"
                    raise DecodeError(where, "errors.too_deep", max=MAX_DEPTH)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as e:
        raise DecodeError(_where(e, text), "errors.not_yaml", problem=yaml_problem(e)) from None


def decode_json(text: str | bytes) -> Any:
    """A JSON document as Python values, within the bounds (duplicate keys refused)."""
    _size(text)
    try:
        # bytes are UTF-8 here (json.loads would guess UTF-16 from a byte-order mark)
        data = json.loads(text.decode("utf-8") if isinstance(text, bytes) else text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as e:
        raise DecodeError(f"line {e.lineno} column {e.colno}", "errors.not_json", problem=json_problem(e.msg)) from None
    except UnicodeDecodeError:
        raise DecodeError("(document)", "errors.not_utf8") from None
    except RecursionError:
        raise DecodeError("(document)", "errors.too_deep", max=MAX_DEPTH) from None
    except DecodeError:
        raise
    except ValueError as e:  # an integer past Python's digit limit
        raise _unreadable(e) from None
    return _check_values(data)


def read_json(data: bytes) -> Any:
    """``decode_json(data.decode("utf-8"))``: the same values or the same error, read by orjson when its
    reading cannot differ (a case of benchmarks/service.py: 6 µs, not 14), else by the strict decoder."""
    try:
        found = orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    else:
        if read_alike(data, found):
            return found
    return decode_json(data.decode("utf-8"))


def read_alike(data: bytes, found: Any) -> bool:
    """Whether ``found``, orjson's reading of ``data``, is what the strict decoder reads. orjson refuses what
    that refuses (invalid UTF-8, lone surrogates, NaN) in other words, keeps the last of a repeated key, reads
    a 20-digit integer as a float and nests 1,024 deep: such a document, or one that might be, is not."""
    return (
        len(data) <= MAX_STRING  # nor a string past MAX_STRING
        and _LONG_NUMBER not in data.translate(_DIGITS)
        and _keys(found) == len(_KEY_COLON.findall(data))
    )


# A key's closing quote and its colon, whatever JSON whitespace is between: every key matches, and only a quote
# escaped in a text matches besides — so as many matches as keys read means no key given twice.
_KEY_COLON = re.compile(rb'"[ \t\r\n]*:')
# Each digit as 0, any other byte as a space: a run of zeros past MAX_DIGITS is an integer orjson may read as a
# float, or a run of digits in a text or a float (read strictly all the same). translate: 8× a regex's speed.
_DIGITS = bytes(ord("0") if chr(i) in "0123456789" else ord(" ") for i in range(256))
_LONG_NUMBER = b"0" * (MAX_DIGITS + 1)


def _keys(data: Any, depth: int = 0) -> int | None:
    """The keys of every mapping in ``data``; None when one is nested past MAX_DEPTH (recursion as deep)."""
    values: Iterable[Any]
    if type(data) is dict:
        count, values = len(data), data.values()
    elif type(data) is list:
        count, values = 0, data
    else:
        return 0
    if depth >= MAX_DEPTH:
        return None
    for value in values:  # plain loops: this runs for every record of a batch
        if type(value) is dict or type(value) is list:
            inner = _keys(value, depth + 1)
            if inner is None:
                return None
            count += inner
    return count


def _unreadable(e: Exception) -> DecodeError:
    """A value the decoder could not make: an integer past Python's digit limit in words, else as Python says it."""
    if "integer string conversion" in str(e):
        return DecodeError("(document)", "errors.number_too_large")
    return DecodeError("(document)", "errors.unreadable_value", detail=str(e).split(":")[0])


def _size(text: str | bytes) -> None:
    if len(text) > MAX_BYTES:
        raise DecodeError("(document)", "errors.too_large", max=MAX_BYTES)


def _where(e: yaml.YAMLError, text: str) -> str:
    """The line of a YAML error: where the problem is, or, past the end, where the open structure began."""
    mark = getattr(e, "problem_mark", None)
    if mark and mark.line >= text.count("\n") + (not text.endswith("\n")):
        mark = getattr(e, "context_mark", None) or mark
    return f"line {mark.line + 1}" if mark else "(document)"


def yaml_problem(e: yaml.YAMLError) -> Msg:
    """PyYAML's problem, in words when it is a common one, else as PyYAML states it."""
    problem = getattr(e, "problem", None) or getattr(e, "reason", None) or str(e).splitlines()[0]
    return _problem(problem, _YAML_PROBLEMS)


def json_problem(problem: str) -> Msg:
    """The JSON parser's problem (json and orjson state them alike), in words when it is a common one."""
    return _problem(problem, _JSON_PROBLEMS)


def _problem(problem: str, known: dict[str, str]) -> Msg:
    for start, key in known.items():
        if problem.startswith(start):
            return msg(key)
    return msg("errors.parser_said", problem=problem)


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "errors.yaml_mapping_values",
    "could not find expected ':'": "errors.yaml_expected_colon",
    "found character that cannot start any token": "errors.yaml_bad_character",
    "found unexpected end of stream": "errors.yaml_unexpected_end",
    "found undefined alias": "errors.yaml_undefined_alias",
    "expected <block end>": "errors.yaml_bad_indentation",
    "did not find expected key": "errors.yaml_bad_indentation",
    "did not find expected ','": "errors.yaml_unclosed",
    "did not find expected '-' indicator": "errors.yaml_bad_indentation",
    "found a tab character": "errors.yaml_tab",
    "expected a single document": "errors.yaml_several_documents",
    "but found another document": "errors.yaml_several_documents",
}
_JSON_PROBLEMS = {
    "Expecting value": "errors.json_expecting_value",
    "Expecting property name": "errors.json_expecting_name",
    "Expecting ',' delimiter": "errors.json_expecting_comma",
    "Expecting ':' delimiter": "errors.json_expecting_colon",
    "Extra data": "errors.json_extra_data",
    "Unterminated string": "errors.json_unterminated",
    "Invalid control character": "errors.json_control",
    "unexpected character": "errors.json_expecting_value",
    "unexpected content after document": "errors.json_extra_data",
    "trailing comma is not allowed": "errors.json_trailing_comma",
    "control character": "errors.json_control",
    "unexpected end of data": "errors.json_unexpected_end",
    "number is infinity when parsed": "errors.json_number_too_large",  # orjson: 1e999, a 5,000-digit integer
}


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DecodeError("(document)", "errors.duplicate_key", key=repr(key))
        out[key] = value
    return out


def _check_nodes(root: yaml.Node) -> None:
    """Depth, expanded size and duplicate keys of a composed YAML document, without recursion.
    An alias is the same node object as its anchor: its size is counted at every use."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise DecodeError(f"line {node.start_mark.line + 1}", "errors.too_deep", max=MAX_DEPTH)
        children = _children(node)
        if done or not children:
            size = 1 + sum(sizes[id(c)] for c in children)
            if size > MAX_NODES:
                raise DecodeError(f"line {node.start_mark.line + 1}", "errors.too_many_values", max=MAX_NODES)
            sizes[id(node)] = size
            continue
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.MappingNode):
            _unique_keys(node)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _unique_keys(node: yaml.MappingNode) -> None:
    seen: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                raise DecodeError(f"line {key.start_mark.line + 1}", "errors.duplicate_key", key=repr(key.value))
            seen.add(key.value)


def _check_values(data: Any) -> Any:
    """Strings valid Unicode and bounded, integers bounded, nesting bounded: walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise DecodeError("(document)", "errors.text_too_long", max=MAX_STRING)
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise DecodeError("(document)", "errors.lone_surrogate", value=repr(value[:20])) from None
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and len(str(abs(value))) > MAX_DIGITS:
            raise DecodeError("(document)", "errors.too_many_digits", max=MAX_DIGITS)
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise DecodeError("(document)", "errors.too_deep", max=MAX_DEPTH)
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return data
