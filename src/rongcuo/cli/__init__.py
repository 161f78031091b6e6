"""The command line. Each module registers its commands on the one typer app."""

from . import evaluate, explain, extract, golden, reference  # noqa: F401  (registers the commands)
from .app import app

__all__ = ["app"]
