"""Explaining many cases pauses the cyclic garbage collector (engine.evaluate.uncollected: many small
objects, no cycles), and gives it back as it found it, even when an explanation fails."""

from __future__ import annotations

import gc

import pytest

from rongcuo.ask import Ask
from rongcuo.explain import explain
from rongcuo.explain.tree import TreeBuilder
from rongcuo.model.files import case_files, load_case

from .conftest import AS_OF, ROOT

CASES = [load_case(p) for p in case_files([ROOT / "measure" / "golden"])][:3]


@pytest.fixture
def collector():
    enabled = gc.isenabled()
    yield
    gc.enable() if enabled else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_explain_and_trace_leave_the_collector_as_they_found_it(default_rules, collector, enabled):
    gc.enable() if enabled else gc.disable()
    explain(Ask(default_rules, AS_OF), CASES)
    default_rules.tracer.trace(CASES, as_of=AS_OF)
    assert gc.isenabled() is enabled


def test_trees_are_built_with_the_collector_paused(default_rules, collector, monkeypatch):
    gc.enable()
    seen = []
    plain = TreeBuilder.outcome

    def outcome(self, name):
        seen.append(gc.isenabled())
        return plain(self, name)

    monkeypatch.setattr(TreeBuilder, "outcome", outcome)
    explain(Ask(default_rules, AS_OF), CASES)
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_failing_explanation_gives_the_collector_back(default_rules, collector, monkeypatch):
    gc.enable()

    def outcome(self, name):
        raise RuntimeError("boom")

    monkeypatch.setattr(TreeBuilder, "outcome", outcome)
    with pytest.raises(RuntimeError):
        explain(Ask(default_rules, AS_OF), CASES)
    assert gc.isenabled()
