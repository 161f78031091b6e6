"""A rule set from outside the bundle, tried once under a time and a memory budget before it is used.

clingo's grounding cannot be interrupted, and a rule that grounds without bound (``p(C, X, Y) :-
case(C), X = 1..100000, Y = 1..100000.``) would take the process's memory or hang it. So a rule set a
user brings is first evaluated for one case with every fact true and every date set — the largest
grounding a case can ask of it — in a child process with an address-space limit and an alarm; a child
that runs out of either is a refusal naming the budget, and the command never starts the run. The
bundled rules are held within it by the tests and are not tried. Where fork or resource limits do not
exist (not Linux), nothing is tried.
"""

from __future__ import annotations

import datetime as dt
import os
import signal

from ..model.case import parse_case
from ..model.vocabulary import date_keys, fact_ids
from .errors import RuleError

SECONDS = 30  # a case's evaluation takes milliseconds: this is an unbounded grounding
BYTES = 4 * 1024**3  # address space of the child (the bundled rules need ~200 MiB)
_OUT_OF_MEMORY, _FAILED = 3, 4


def within_budget(rules, name: str | None = None) -> None:  # rules: RuleSet
    """Refuse ``rules`` (RuleError, naming them as ``name``, else their root) when one case's evaluation
    passes the time or memory budget."""
    try:
        import resource
    except ImportError:  # not a POSIX system
        return
    if not hasattr(os, "fork"):
        return
    # Under a tighter limit of the user's own (ulimit -v) the child keeps that one: raising past it fails,
    # and a probe that could not set its limit ran the grounding in the parent, to a MemoryError traceback.
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = min(x for x in (BYTES, soft, hard) if x != resource.RLIM_INFINITY)
    pid = os.fork()
    if pid == 0:  # the child: the probe, then out without running the parent's cleanup
        code = 0
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(SECONDS)
            rules.evaluate([_largest_case()], as_of=dt.date(2024, 12, 31))
        except MemoryError:
            code = _OUT_OF_MEMORY
        except BaseException as e:  # clingo reports a failed allocation as a RuntimeError
            code = _OUT_OF_MEMORY if "bad_alloc" in str(e) else _FAILED
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    where = name or str(rules.root)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
        raise RuleError("errors.rules_time_budget", root=where, seconds=SECONDS)
    if (os.WIFEXITED(status) and os.WEXITSTATUS(status) == _OUT_OF_MEMORY) or os.WIFSIGNALED(status):
        raise RuleError("errors.rules_memory_budget", root=where, mib=limit // 1024**2)
    # any other failure of the probe is the evaluation's own to report, in the parent, as it is


def _largest_case():
    """Every fact true, every date set: the most a case can ground (contradictions are reported, not a
    failure: the rules still ground them)."""
    days = {key: (dt.date(2024, 1, 1) + dt.timedelta(days=i)).isoformat() for i, key in enumerate(date_keys())}
    return parse_case({"id": "probe", "facts": dict.fromkeys(fact_ids(), True), "dates": days}, "<budget>")
