"""The baseline the benchmarks compare with: one clingo Control per case.

Each case alone: the whole rule base grounded and solved, nothing remembered
between cases. (RuleSet.evaluate would remember the facts-only part of the
rules per fact set — engine/split.py — and so is no baseline.)
"""

from __future__ import annotations

import datetime as dt

from rongcuo.engine import Result, RuleSet
from rongcuo.engine.inputs import add_all, add_case, params
from rongcuo.engine.read import read_results
from rongcuo.model.case import Case


def one_control_per_case(rules: RuleSet, cases: list[Case], as_of: dt.date) -> list[Result]:
    results = []
    for case in cases:
        ctl = rules.control(["--models=2"])
        with ctl.backend() as backend:
            add_all(backend, params(as_of))
            add_case(backend, 0, case)
        ctl.ground([("base", [])])
        with ctl.solve(yield_=True) as handle:
            atoms = [str(s) for s in next(iter(handle)).symbols(shown=True)]
        results += read_results(atoms, [case], rules.profile, rules.sha256, as_of)
    return results
