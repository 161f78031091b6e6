"""The drafters' toolkit: `check` a rule base exhaustively (drafting.check),
`diff` two versions of it (drafting.diff).

Every answer is a search of the solver over the whole scenario space
(engine.space); this package makes the queries, turns
the minimal scenarios into case files, and arranges the findings for the
templates.
"""

from .sources import Version, load

__all__ = ["Version", "load"]
