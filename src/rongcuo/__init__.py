"""rongcuo (容错): the 奈曼旗市场监督管理局行政执法容错纠错实施办法 as Answer Set Programming.

The library's public names (rongcuo.api, documented there and in the README): ``rules``, ``question``,
``load_case``, ``parse_case``, ``evaluate``, ``explain``, ``whatif``, ``render``, ``batch``, ``check``,
``diff``, and the types of what they take and return. They are imported when first used, so that
`import rongcuo` (and the command line's start) loads nothing heavy.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    **{name: "rongcuo.api" for name in ("rules", "question", "load_case", "parse_case", "evaluate", "explain")},
    **{name: "rongcuo.api" for name in ("whatif", "render", "batch", "check", "diff")},
    "Ask": "rongcuo.ask",
    "Evaluated": "rongcuo.ask",
    "Rejected": "rongcuo.ask",
    "Case": "rongcuo.model.case",
    "CaseError": "rongcuo.model.case",
    "Result": "rongcuo.model.result",
    "RuleSet": "rongcuo.engine",
    "RuleError": "rongcuo.engine",
    "Explanation": "rongcuo.explain",
    "Alternative": "rongcuo.explain",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        found = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = found  # once: later lookups find it here
        return found
    raise AttributeError(f"module 'rongcuo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(ModuleType):
    """Two public functions share their names with the packages behind them (rongcuo.explain,
    rongcuo.batch): importing such a package sets the attribute of that name on this module, which would
    hide the function (the code imports from them by name, `from .explain import …`, never the package
    as an attribute). The module's class keeps the function; the package stays in sys.modules (the
    documented way to customise a module's attributes: assigning its __class__)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


_FUNCTIONS = {name for name, module in _PUBLIC.items() if module == "rongcuo.api"}
sys.modules[__name__].__class__ = _Package
