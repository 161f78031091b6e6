"""The drafting space: every case the vocabulary can state, several rule versions in one program.

``scenarios`` grounds the space (space.lp, twin.lp) with the rules under test;
``versions`` tags a rule base's predicates with a version name and numbers its
rules; check.lp, diff.lp and observe.lp are the queries drafting makes.
"""

from .scenarios import PRODUCED, WINDOWS, Scenario, Space, programs
from .versions import RuleRef, declared, numbered, shown, versioned

__all__ = [
    "PRODUCED",
    "WINDOWS",
    "RuleRef",
    "Scenario",
    "Space",
    "declared",
    "numbered",
    "programs",
    "shown",
    "versioned",
]
