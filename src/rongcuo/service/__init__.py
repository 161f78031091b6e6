"""`rongcuo serve`: the JSON API and the analysts' web page over the engine."""

from .answers import Service
from .app import create_app
from .limits import Limits

__all__ = ["Limits", "Service", "create_app"]
