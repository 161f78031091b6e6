"""The engine's one error: a rule set that cannot be used."""

from ..model.coded import Coded


class RuleError(Coded):
    """A rule set that cannot be used: missing, unsafe, or without a unique answer (a catalogue key and its
    values; the file or rule set is one of them)."""
