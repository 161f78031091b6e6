"""Presenting answers: jinja2 templates (templates/, by owner) and their words (messages/, zh and en)."""

from .render import message, render

__all__ = ["message", "render"]
