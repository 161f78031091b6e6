"""The engine's memories are bounded, and forgetting them changes no answer (engine.memory); the service
forgets every ``forget_every`` requests, so its memory stays what a few thousand requests leave."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient

from rongcuo.engine import forget
from rongcuo.engine.memory import Memory, remembering
from rongcuo.service import Limits, Service, create_app

from .test_compiled import random_cases
from .test_service import EXEMPT

AS_OF = dt.date(2024, 12, 31)


def remembered(rules) -> int:
    """What the rule set remembers now: its answers read (compiled) and the explanations' fact sets."""
    return len(rules.evaluator.compiled._answers) + len(rules.tracer._memory)


def test_a_memory_is_emptied_past_its_bound_and_by_forget():
    memory = Memory(2)
    memory.update(a=1, b=2)
    assert memory.bounded() == {"a": 1, "b": 2}
    memory["c"] = 3
    assert memory.bounded() == {}
    memory["d"] = 4
    forget()
    assert memory == {}


def test_forget_empties_every_remembering_call():
    calls = []

    @remembering(8)
    def twice(n: int) -> int:
        calls.append(n)
        return 2 * n

    assert twice(3) == twice(3) == 6 and calls == [3]
    forget()
    assert twice(3) == 6 and calls == [3, 3]


def test_answers_are_the_same_after_forgetting(default_rules):
    cases = random_cases(300, seed=4)
    before = default_rules.evaluate(cases, as_of=AS_OF)
    default_rules.tracer.trace(cases[:20], as_of=AS_OF)
    assert remembered(default_rules) > 0
    forget()
    assert remembered(default_rules) == 0
    assert default_rules.evaluate(cases, as_of=AS_OF) == before


def test_the_service_forgets_every_so_many_requests(rulesets):
    rules = rulesets["default"]
    app = create_app(Service(rulesets, "default", Limits(forget_every=3)))
    rules.evaluate(random_cases(8, seed=5), as_of=AS_OF)  # past a first call of a few cases (Evaluator.evaluate)
    with TestClient(app, raise_server_exceptions=False) as client:
        forget()
        held = []
        for n in range(4):  # four fact sets never sent before, one request each
            case = {
                **EXEMPT,
                "id": f"m{n}",
                "facts": {**EXEMPT["facts"], "major_loss": n % 2 == 1, "violation_continued": n > 1},
            }
            response = client.post(f"/v1/evaluate?as_of={AS_OF}", content=json.dumps(case))
            assert response.status_code == 200, response.text
            held.append(remembered(rules))
        assert held == [1, 2, 1, 2]  # the third request found what the first two left forgotten
