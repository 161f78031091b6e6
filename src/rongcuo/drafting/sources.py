"""The rule sets a drafter checks and compares: a bundled profile, a rule
directory, or a draft.

A *draft* is a directory holding a ``DRAFT.md`` (what it changes and why) and,
laid out as ``measure/`` is, only the files it changes: each replaces the bundled
file of the same path, a new file is added, an empty file takes one out. It is
merged into a temporary copy of the bundled rule base and loaded from there,
so RuleSet.load refuses ``#script`` and any ``#include`` that leaves the
merged tree exactly as it does for a rule directory. Symbolic links are copied
as links, so one that points outside is refused like such an ``#include``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import RuleError, RuleSet, bundled_root
from ..engine.program import MAX_RULE_FILE, parse

PROFILE_PREFIX = "profile:"
DRAFT_FILE = "DRAFT.md"


@dataclass(frozen=True)
class Version:
    """A rule set under a name, with the conflict checks that go with it."""

    name: str  # as the drafter wrote it: profile:default, measure/drafts/x
    rules: RuleSet
    checks: tuple  # statements of the checks (clingo AST)
    checks_digest: str
    draft: str | None = None  # a draft's title: the first line of its DRAFT.md
    lint: list = field(default_factory=list, compare=False)  # engine.lint's findings, when the caller lints


def load(spec: str, profile: str = "default", *, trusted: bool = False) -> Version:
    """``profile:NAME`` (bundled rules), a rule directory, or a draft directory."""
    if spec.startswith(PROFILE_PREFIX):
        return _version(spec, spec.removeprefix(PROFILE_PREFIX), bundled_root(), trusted)
    root = Path(spec)
    if not root.is_dir():
        raise RuleError("errors.no_rule_directory", spec=spec)
    if not is_draft(root):
        return _version(spec, profile, root, trusted)
    return _version(spec, profile, merged(root), trusted, title(root))


def is_draft(root: Path) -> bool:
    return (root / DRAFT_FILE).is_file()


def title(root: Path) -> str:
    """A draft's title: the first line of its DRAFT.md."""
    lines = (root / DRAFT_FILE).read_text(encoding="utf-8").strip().splitlines()
    return lines[0].lstrip("# ") if lines else str(root)


_MERGED: dict[Path, tempfile.TemporaryDirectory] = {}  # kept for the process: rules are read, explained, cited


def merged(root: Path) -> Path:
    """The rule tree a draft stands for: a temporary copy of the bundled one with the draft's files
    over it (made once per process; removed at exit). Any other directory is its own tree."""
    if not is_draft(root):
        return root
    key = root.resolve()
    if key not in _MERGED:
        _regular(root)
        tmp = tempfile.TemporaryDirectory(prefix="rongcuo-draft-")
        tree = Path(tmp.name) / "asp"
        shutil.copytree(bundled_root(), tree)
        shutil.copytree(root, tree, symlinks=True, dirs_exist_ok=True)
        _MERGED[key] = tmp
    return Path(_MERGED[key].name) / "asp"


def _regular(root: Path) -> None:
    """Refuse a draft holding anything but files, folders and links (a FIFO would hang the copy, a
    device feed it for ever) — before anything is read."""
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            mode = path.lstat().st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                raise RuleError("errors.not_rule_file", path=str(path), max=MAX_RULE_FILE)


def _version(name: str, profile: str, root: Path, trusted: bool, draft: str | None = None) -> Version:
    rules = RuleSet.load(profile, root, trusted=trusted)
    # A rule directory without checks of its own is held to the bundled ones (measure/analysis.md §6).
    checks_root = root if (root / "checks").is_dir() else bundled_root()
    files = sorted((checks_root / "checks").glob("*.lp"))
    digest = hashlib.sha256(b"".join(f.name.encode() + b"\0" + f.read_bytes() for f in files)).hexdigest()[:16]
    return Version(name, rules, parse(files, checks_root, trusted=trusted), digest, draft)
