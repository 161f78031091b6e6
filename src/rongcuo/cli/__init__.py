"""The command line. Each module registers its commands on the one typer app."""

from . import (  # noqa: F401  (importing a module registers its commands)
    batch,
    drafting,
    evaluate,
    explain,
    extract,
    golden,
    reference,
    serve,
)
from .app import app

__all__ = ["app"]
