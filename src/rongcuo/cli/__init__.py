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
    serve,
)
from .app import app

__all__ = ["app"]
