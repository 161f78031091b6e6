"""Defaults from a configuration file and the environment, under the command line.

``rongcuo.toml`` in the working directory (or the file ``--config`` names) and
``RONGCUO_*`` variables give defaults to the commands' options: a top-level key
(``profile = "strict"``) to every command that has that option, a table
(``[batch] workers = 2``) to one command. The command line overrides the
environment, which overrides the file. They reach the commands as click's
``default_map`` (a command group is click's, as typer builds it), so every option keeps its own type check
and its own error.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE = "rongcuo.toml"
PREFIX = "RONGCUO_"
SKIP = {"help", "version", "config", "verbose", "quiet"}  # no defaults from a file for these


@dataclass(frozen=True)
class Setting:
    command: str | None  # None: every command with this option
    name: str  # the option's parameter name (as_of, profile, workers …)
    value: Any
    source: str  # the file (and its table) or the environment variable


class ConfigError(Exception):
    """A configuration file or variable that cannot be used: a catalogue key (errors.yaml) and its values."""

    def __init__(self, key: str, **values: Any):
        super().__init__(key)
        self.key, self.values = key, values


def options(group: Any) -> dict[str, set[str]]:
    """Each command's option names that a default can be given for."""
    return {
        name: {p.name for p in command.params if p.param_type_name == "option" and p.name and p.name not in SKIP}
        for name, command in group.commands.items()
    }


def read(path: Path | None, group: Any, environ: dict[str, str] | None = None) -> list[Setting]:
    """The settings of the file (``path``, else rongcuo.toml here if there is one) and the environment."""
    known = options(group)
    every = set().union(*known.values())
    found: list[Setting] = []
    file = path or (Path(FILE) if Path(FILE).is_file() else None)
    if file is not None:
        found += _file(file, known, every)
    for variable, value in sorted((environ if environ is not None else os.environ).items()):
        if variable.startswith(PREFIX) and variable != PREFIX + "CONFIG":
            name = variable[len(PREFIX) :].lower()
            if name not in every:
                raise ConfigError("errors.config_no_option", where=variable, option=_flag(name))
            found.append(Setting(None, name, value, variable))
    return found


def _file(file: Path, known: dict[str, set[str]], every: set[str]) -> list[Setting]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError("errors.config_unreadable", file=str(file), reason=e.strerror or str(e)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError("errors.config_not_toml", file=str(file), detail=str(e)) from None
    found = []
    for key, value in data.items():
        if isinstance(value, dict):
            if key not in known:
                raise ConfigError("errors.config_no_command", file=str(file), command=key)
            for name, inner in value.items():
                if name not in known[key]:
                    raise ConfigError("errors.config_no_option", where=f"{file} [{key}] {name}", option=_flag(name))
                found.append(Setting(key, name, inner, f"{file} [{key}]"))
        elif key in every:
            found.append(Setting(None, key, value, str(file)))
        else:
            raise ConfigError("errors.config_no_option", where=f"{file}: {key}", option=_flag(key))
    return found


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def winners(settings: list[Setting], group: Any) -> dict[tuple[str, str], Setting]:
    """For each (command, option) set somewhere, the setting that wins: environment over file, a
    command's own table over the top level."""
    known = options(group)
    found: dict[tuple[str, str], Setting] = {}
    for s in sorted(settings, key=_rank):
        for command in [s.command] if s.command else list(known):
            if s.name in known[command]:
                found[(command, s.name)] = s
    return found


def default_map(settings: list[Setting], group: Any, ctx: Any) -> dict[str, dict[str, Any]]:
    """click's default_map: per command, the value of each option that is set. Each value is checked by
    the option's own type first, so that a bad one is a line naming where it was set, not a usage error
    of the command."""
    out: dict[str, dict[str, Any]] = {}
    for (command, name), s in winners(settings, group).items():
        out.setdefault(command, {})[name] = _checked(s, group.commands[command], ctx)
    return out


def _checked(s: Setting, command: Any, ctx: Any) -> Any:
    """The value as the command's option takes it (one value for an option given many times is a list)."""
    option = next(p for p in command.params if p.name == s.name)
    value = [s.value] if option.multiple and not isinstance(s.value, list) else s.value
    try:
        option.process_value(ctx, value)
        return value
    except Exception as e:  # click's BadParameter (or a type's own error): the value cannot be this option's
        detail = getattr(e, "message", None) or str(e)
        raise ConfigError("errors.config_bad_value", where=s.source, option=_flag(s.name), detail=detail) from None


def _rank(s: Setting) -> int:
    """Later wins: the file's top level, the file's tables, the environment."""
    return 2 if s.source.startswith(PREFIX) else 1 if s.command else 0


def resolved(settings: list[Setting], group: Any) -> list[tuple[Setting, list[str]]]:
    """Each setting that wins for some command, with those commands (for `rongcuo config`)."""
    found = winners(settings, group)
    out: list[tuple[Setting, list[str]]] = []
    for s in settings:
        commands = sorted(c for (c, _), w in found.items() if w is s)
        if commands:
            out.append((s, commands))
    return out
