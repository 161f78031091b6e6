"""Case files on disk: decoding YAML and JSON, finding case files under folders.

Every problem becomes a :class:`CaseError` naming the file, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .case import Case, CaseError, parse_case
from .coded import os_reason
from .decode import MAX_BYTES, DecodeError, decode_json, decode_yaml

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def read_file(path: Path) -> Any:
    """Decode a YAML or JSON file (model.decode's bounds), as a CaseError when it is not well-formed."""
    try:
        if path.stat().st_size > MAX_BYTES or not path.is_file():
            raise CaseError(str(path), "(file)", "errors.not_case_file", max=MAX_BYTES)
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CaseError(str(path), "(file)", "errors.cannot_read", reason=os_reason(e)) from None
    try:
        return decode_json(text) if path.suffix == ".json" else decode_yaml(text)
    except DecodeError as e:
        raise CaseError(str(path), e.where, e.code, **e.values) from None


GOLDEN_KEYS = ("expect",)  # a golden file's as_of is the case's own


def load_case(path: Path) -> Case:
    """A case file; a golden case file is read as the case it holds."""
    return case_of(read_file(path), str(path))


def case_of(data: Any, source: str) -> Case:
    """The case a decoded case file holds (a golden file's: its ``expect`` left out)."""
    if isinstance(data, dict) and "expect" in data:
        data = {k: v for k, v in data.items() if k not in GOLDEN_KEYS}
    return parse_case(data, source)


def case_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Case files named directly, or found under folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in CASE_SUFFIXES and p.is_file())
        elif path.exists():
            yield path
        else:
            raise CaseError(str(path), "(file)", "errors.no_such_file")
