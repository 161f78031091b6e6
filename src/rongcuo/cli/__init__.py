"""The command line. Each module registers its commands on the one typer app."""

from . import (  # noqa: F401  (registers the commands)
    batch,
    drafting,  # noqa: F401  (check, diff)
    evaluate,
    explain,
    extract,
    golden,
    reference,
    serve,  # noqa: F401  (rongcuo serve)
)
from .app import app

__all__ = ["app"]
