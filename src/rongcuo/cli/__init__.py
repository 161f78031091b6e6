"""The command line. Each module registers its commands on the one typer app."""

from . import batch, evaluate, explain, extract, golden, reference  # noqa: F401  (registers the commands)
from . import drafting  # noqa: F401  (check, diff)
from . import serve  # noqa: F401  (rongcuo serve)
from .app import app

__all__ = ["app"]
