"""The engine's one error: a rule set that cannot be used."""


class RuleError(Exception):
    """A rule set that cannot be used: missing, unsafe, or without a unique answer."""
