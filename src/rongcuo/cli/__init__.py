"""The command line. Each module registers its commands on the one typer app.

Every command starts a fresh process, and all command modules are imported to
build the app, `--help` included: so a command module imports at its top only
typer, the standard library and its option definitions, and each command
imports its own stack (clingo, pydantic, jinja2, rich, fastapi, jieba, the
batch and drafting packages) inside its function, when it runs.
tests/test_startup.py holds the line; benchmarks/startup.py measures it.
"""

from . import (  # noqa: F401  (importing a module registers its commands)
    batch,
    drafting,
    evaluate,
    explain,
    extract,
    golden,
    opinion,
    provenance,
    reference,
    replay,
    serve,
)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """`rongcuo`: the app, with a usage error (an unknown option, a missing argument, a value the option
    refuses) as one line on stderr naming the command and where its help is, exit 2 — not click's usage
    block or typer's panel."""
    import sys

    import typer

    command = typer.main.get_command(app)
    try:
        code = command.main(prog_name="rongcuo", standalone_mode=False)
    except typer.TyperException as e:
        if type(e).__name__ == "NoArgsIsHelpError" or not hasattr(e, "format_message"):
            e.show()  # type: ignore[attr-defined]  # `rongcuo` alone: the help, as click shows it
            sys.exit(getattr(e, "exit_code", 2))
        typer.echo(f"rongcuo: {usage_line(e)}", err=True)
        sys.exit(getattr(e, "exit_code", 2))
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def usage_line(e) -> str:  # type: ignore[no-untyped-def]
    """click's usage error in the words of the run's language (--lang on the line, else the locale)."""
    import re

    from .app import _language, said
    from .words import LANG

    _language[0] = LANG  # the command's --lang may not have been parsed
    ctx = getattr(e, "ctx", None)
    where = ctx.command_path if ctx is not None else "rongcuo"
    kind = type(e).__name__
    hint = getattr(e, "param_hint", None) or (e.param.get_error_hint() if getattr(e, "param", None) else None)
    hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else hint
    if kind == "NoSuchOption":
        choices = ", ".join(sorted(e.possibilities or []))
        found = said("errors.cli_no_such_option", option=e.option_name) + (
            said("errors.cli_did_you_mean", choices=choices) if choices else ""
        )
    elif kind == "MissingParameter" and hint:
        found = said("errors.cli_missing", param=hint)
    elif kind == "BadParameter" and hint:
        found = said("errors.cli_bad_value", param=hint, detail=e.message)
    elif (
        command := re.search(r"'([^']*)'", e.message) if ctx is not None and hasattr(ctx.command, "commands") else None
    ):
        close = re.findall(r"Did you mean '([^']+)'", e.message)  # click's own suggestion for a command
        found = said("errors.cli_no_such_command", name=command.group(1)) + (
            said("errors.cli_did_you_mean", choices=", ".join(close)) if close else ""
        )
    else:
        found = e.format_message()
    return said("errors.cli_usage", command=where, detail=found)
