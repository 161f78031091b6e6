"""The one place that talks to clingo.

A :class:`RuleSet` is the rule base of one profile, parsed once and checked;
:meth:`RuleSet.evaluate` grounds many cases in one program (the case index is
an argument of every atom), solves once, and reads the answer set into
:class:`Result` objects. The rules are split at the dates (:mod:`.split`): the
part that reads only facts is grounded once per distinct fact set and
remembered. Case facts reach clingo as symbols through the backend, never as
program text.
"""

from .deadline import TimeLimit, time_limit
from .results import Consequence, Defeat, Outcome, Result
from .ruleset import Citation, RuleError, RuleSet, bundled_root, profiles
from .symbols import day
from .trace import Literal, RuleInfo, Trace

__all__ = [
    "Citation",
    "Consequence",
    "Defeat",
    "Literal",
    "Outcome",
    "Result",
    "RuleError",
    "RuleInfo",
    "RuleSet",
    "TimeLimit",
    "Trace",
    "bundled_root",
    "day",
    "profiles",
    "time_limit",
]
