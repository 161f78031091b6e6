"""The one place that talks to clingo.

- ``program``: a :class:`RuleSet` is the rule base of one profile, parsed once,
  refused when unsafe, hashed;
- ``inputs``: the input contract (declared once, in ``rules/_mechanism/input.lp``)
  and the one encoding of a case as symbols — never as program text;
- ``evaluate``: the fast path — many cases in one grounding, the rules split at
  the dates (``split``), the facts-only part compiled to clingo's ground program and
  evaluated bit-parallel (``compiled``), or grounded once per fact set where it cannot be;
  ``read`` turns the answer back into :class:`~rongcuo.model.result.Result`;
- ``memory``: what the engine remembers of the inputs that repeat, each memory bounded, and
  ``forget`` for a process that lives on novel inputs;
- ``trace``: derivations recorded by an AST pass, for explanations;
- ``hypotheses``: what-if and open world over one case (``hypotheses.lp``);
- ``corpus``: the a18 rules over a whole batch;
- ``space``: the drafters' scenario space and rule versions;
- ``timeline``: versions of the rules by date in one program (point-in-time evaluation, Q12).

Others import from this package only (``from rongcuo.engine import …``).
"""

from ..model.days import day
from ..model.result import Consequence, Defeat, Outcome, Result
from .corpus import Recurrence, recurrences
from .deadline import TimeLimit, time_limit
from .errors import RuleError
from .hypotheses import Assignment, OpenWorld, minimal_changes, open_world
from .inputs import PLUMBING
from .memory import forget
from .program import Citation, RuleSet, bundled_root, profiles
from .timeline import Span, Timeline
from .trace import CASE, Literal, RuleInfo, Trace

__all__ = [
    "CASE",
    "Assignment",
    "Citation",
    "Consequence",
    "Defeat",
    "Literal",
    "OpenWorld",
    "PLUMBING",
    "Outcome",
    "Recurrence",
    "Result",
    "RuleError",
    "RuleInfo",
    "RuleSet",
    "Span",
    "TimeLimit",
    "Timeline",
    "Trace",
    "bundled_root",
    "day",
    "forget",
    "minimal_changes",
    "open_world",
    "profiles",
    "recurrences",
    "time_limit",
]
