import datetime as dt
from pathlib import Path

import pytest

from rongcuo.engine import RuleSet, profiles

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2024, 12, 31)


@pytest.fixture(scope="session")
def rulesets() -> dict[str, RuleSet]:
    return {p: RuleSet.load(p) for p in profiles()}


@pytest.fixture(scope="session")
def default_rules(rulesets) -> RuleSet:
    return rulesets["default"]
