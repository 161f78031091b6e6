"""The words of the command line's --help, in Chinese or English, from present/messages/cli.json.

typer fixes a help text when a command is declared, so the language is chosen once, when this module
is imported: ``--lang zh|en`` on the command line, else the locale (LC_ALL, LC_MESSAGES, LANG: the
first one set) — English for ``en*``, Chinese otherwise (unset, C, zh_CN…: the project is
Chinese-first). The catalogue is JSON, not YAML like the other message files: --help imports no yaml
(tests/test_startup.py; PyYAML costs ~20 ms), and typer has imported json already.

In Chinese, typer's own words are translated too (``Usage:``, the panel titles, ``--help``'s
help…): patched into typer as it builds the help, see _typer_in_chinese.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path

_CATALOGUE = Path(__file__).parents[1] / "present" / "messages" / "cli.json"


def language(argv: list[str], environ: dict[str, str] | os._Environ) -> str:
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in ("zh", "en"):
            return value
    locale = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    return "en" if locale.lower().startswith("en") else "zh"


LANG = language(sys.argv, os.environ)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    return json.loads(_CATALOGUE.read_text("utf-8"))


def h(key: str) -> str:
    """The help text ``key`` in the language of this run."""
    return catalogue()[key][LANG]


# typer's words (typer 0.29), in Chinese. Those it passes through gettext, and those it writes as they are.
TYPER_ZH = {
    "Usage: ": "用法：",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Error": "错误",
    "[default: {}]": "［默认：{}］",
    "[env var: {}]": "［环境变量：{}］",
    "[required]": "［必填］",
    "(deprecated) ": "（已弃用）",
    "(dynamic)": "（动态）",
    "Aborted.": "已中止。",
    "Aborted!": "已中止！",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "用 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "Show this message and exit.": "显示本帮助并退出。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前 shell 的命令补全脚本，供复制或自定义安装。"
    ),
}


def _zh(message: str) -> str:
    return TYPER_ZH.get(message, message)


def _typer_in_chinese() -> None:
    """typer's own words in Chinese: its modules' gettext ``_`` and the panel titles of its rich help
    (set as typer.rich_utils is imported, so before any help is built), the help of --help and of
    the completion options, and the usage line's prefix. Each only where typer is about to use it."""
    from typer import core
    from typer._click import core as click_core
    from typer._click import formatting

    core._ = _zh  # type: ignore[attr-defined]
    click_core._ = _zh  # type: ignore[attr-defined]
    params = click_core.Command.get_params
    if getattr(params, "rongcuo", False):
        return

    def get_params(self, ctx):  # type: ignore[no-untyped-def]
        found = params(self, ctx)
        for param in found:
            if getattr(param, "help", None) in TYPER_ZH:
                param.help = TYPER_ZH[param.help]
        _rich_titles()
        return found

    get_params.rongcuo = True  # type: ignore[attr-defined]
    click_core.Command.get_params = get_params  # type: ignore[method-assign]
    usage = formatting.HelpFormatter.write_usage

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # type: ignore[no-untyped-def]
        usage(self, prog, args, TYPER_ZH["Usage: "] if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]


def _rich_titles() -> None:
    """typer.rich_utils's module-level words (gettext'd at its import), when it is loaded."""
    rich = sys.modules.get("typer.rich_utils")
    if rich is None or getattr(rich, "rongcuo", False):
        return
    rich._ = _zh  # type: ignore[attr-defined]
    for name in (
        "DEPRECATED_STRING",
        "DEFAULT_STRING",
        "ENVVAR_STRING",
        "REQUIRED_LONG_STRING",
        "ARGUMENTS_PANEL_TITLE",
        "OPTIONS_PANEL_TITLE",
        "COMMANDS_PANEL_TITLE",
        "ERRORS_PANEL_TITLE",
        "ABORTED_TEXT",
        "RICH_HELP",
    ):
        setattr(rich, name, _zh(getattr(rich, name)))
    rich.rongcuo = True  # type: ignore[attr-defined]


if LANG == "zh":
    _typer_in_chinese()
