"""Reading a narrative file: UTF-8 first, then GB18030, which older Chinese systems write."""

from __future__ import annotations

from pathlib import Path

from ..model.case import CaseError
from ..model.coded import os_reason

ENCODINGS = ("utf-8", "gb18030")
NARRATIVE_SUFFIX = ".txt"


MAX_NARRATIVE = 1_000_000  # bytes of one narrative (a report runs to a few thousand characters)


def read_narrative(path: Path) -> tuple[str, str]:
    """The text (line ends normalised, no BOM) and the encoding it was read with."""
    try:
        if path.stat().st_size > MAX_NARRATIVE:
            raise CaseError(str(path), "(file)", "errors.narrative_too_large", max=MAX_NARRATIVE)
        data = path.read_bytes()
    except OSError as e:
        raise CaseError(str(path), "(file)", "errors.cannot_read", reason=os_reason(e)) from None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise CaseError(str(path), "(file)", "errors.narrative_encoding")


def narrative_files(paths: list[Path]) -> list[Path]:
    """Narratives named directly, or the .txt files under folders, in a stable order."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob(f"*{NARRATIVE_SUFFIX}") if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise CaseError(str(path), "(file)", "errors.no_such_file")
    return found
