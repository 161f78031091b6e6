"""CSV layouts: which column holds which part of a case, and how cells spell values.

The default layout names columns after the case schema — ``id``, ``title``,
``subject.name``, ``subject.unit``, ``field``, ``error_type``,
``recorded_decision``, ``narrative``, each date key (``conduct``, …) and each
fact id — with fact cells ``true``, ``false``, ``unknown`` or blank (unlisted).
A mapping file (YAML) describes any other layout::

    columns: {编号: id, 领域: field, 事发日期: dates.conduct, 系执法人员: facts.enforcement_personnel}
    ignore: [备注]
    true: [是, Y]
    false: [否, N]
    unknown: [不详]
    decisions: {容错免责: exempt, 从轻减轻: mitigated}
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..model import vocabulary as vocab
from ..model.case import CaseError, case_error
from ..model.coded import ids, msg, suggest
from ..model.files import read_file

TOP_LEVEL = ("id", "title", "field", "error_type", "recorded_decision", "narrative")
SUBJECT = ("subject.name", "subject.unit")


@cache
def targets() -> dict[str, str]:
    """Every part of a case a column can hold, by its default column name."""
    names = {name: name for name in (*TOP_LEVEL, *SUBJECT)}
    names.update({key: f"dates.{key}" for key in vocab.date_keys()})
    names.update({fact: f"facts.{fact}" for fact in vocab.fact_ids()})
    return names


class Mapping(BaseModel):
    """A mapping file, as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    columns: dict[str, str] = {}
    ignore: list[str] = []
    true: list[str] = []
    false: list[str] = []
    unknown: list[str] = []
    decisions: dict[str, str] = {}


class Layout(BaseModel):
    """How cells become a case: the value spellings (the column header is resolved separately)."""

    model_config = ConfigDict(frozen=True)
    columns: dict[str, str] = {}
    ignore: tuple[str, ...] = ()
    spellings: dict[str, bool | str] = {"true": True, "false": False, "unknown": "unknown"}
    decisions: dict[str, str] = {}

    def header(self, cells: list[str], source: str) -> list[str | None]:
        """The target of each column (None: ignored); an unknown column is an error for the whole file."""
        resolved: list[str | None] = []
        for cell in cells:
            name = cell.strip()
            if name in self.ignore:
                resolved.append(None)
            elif name in self.columns:
                resolved.append(self.columns[name])
            elif name in targets():
                resolved.append(targets()[name])
            else:
                hint = suggest(name, [*targets(), *self.columns], "", msg("errors.map_the_column"))
                raise CaseError(source, f"column {name!r}", "errors.unknown_column", hint=hint)
        taken = [t for t in resolved if t]
        if "id" not in taken:
            raise CaseError(source, "header", "errors.no_id_column")
        if len(taken) != len(set(taken)):
            twice = next(t for t in taken if taken.count(t) > 1)
            raise CaseError(source, "header", "errors.two_columns", target=twice)
        return resolved

    def case_data(self, cells: dict[str, str]) -> dict[str, Any]:
        """A row's cells (by target) as a case record for parse_case; blank cells are left out."""
        data: dict[str, Any] = {}
        for target, cell in cells.items():
            cell = cell.strip()
            if not cell:
                continue
            group, _, key = target.partition(".")
            if group == "facts":
                data.setdefault("facts", {})[key] = self.spellings.get(cell.lower(), cell)
            elif group in ("dates", "subject"):
                data.setdefault(group, {})[key] = cell
            elif group == "recorded_decision":
                data[group] = self.decisions.get(cell, cell)
            else:
                data[group] = cell
        return data


def load_layout(path: Path | None) -> Layout:
    """The default layout, or the one a mapping file describes (a CaseError naming the entry to fix)."""
    if path is None:
        return Layout()
    data = _plain(read_file(path), str(path))
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as e:
        found = case_error(str(path), e.errors()[0], list(Mapping.model_fields))
        where = "(mapping)" if found.field == "(case)" else found.field
        raise CaseError(str(path), where, "errors.mapping_invalid", reason=msg(found.code, **found.values)) from None
    allowed = set(targets().values())
    for column, target in mapping.columns.items():
        if target not in allowed:
            hint = suggest(target, sorted(allowed), "", msg("errors.targets_are"))
            raise CaseError(str(path), f"columns.{column}", "errors.not_a_target", target=repr(target), hint=hint)
    names = vocab.outcome_names()
    for label, outcome in mapping.decisions.items():
        if outcome not in names:
            hint = suggest(outcome, names, "outcomes", msg("errors.use_one_of", choices=ids("outcomes", names)))
            raise CaseError(str(path), f"decisions.{label}", "errors.not_outcome", value=repr(outcome), hint=hint)
    spellings = dict(Layout().spellings)
    for value, words in ((True, mapping.true), (False, mapping.false), ("unknown", mapping.unknown)):
        spellings.update({word.strip().lower(): value for word in words})
    return Layout(
        columns=mapping.columns, ignore=tuple(sorted(mapping.ignore)), spellings=spellings, decisions=mapping.decisions
    )


def _plain(data: Any, source: str) -> dict:
    """The mapping as text: YAML reads the keys true and false as booleans and 1 as a number."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CaseError(source, "(mapping)", "errors.mapping_not_mapping")

    def text(value: Any, where: str) -> str:
        if isinstance(value, bool):
            raise CaseError(source, where, "errors.mapping_truth_value", value=repr(value))
        return str(value) if isinstance(value, int | float) else value

    plain: dict[Any, Any] = {}
    for key, value in data.items():
        key = str(key).lower() if isinstance(key, bool) else key
        if isinstance(value, list):
            value = [text(v, str(key)) for v in value]
        elif isinstance(value, dict):
            value = {text(k, f"{key}.{k}"): text(v, f"{key}.{k}") for k, v in value.items()}
        plain[key] = value
    return plain
