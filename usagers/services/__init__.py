"""Workflows of the usagers app: involuntary care (ssc) and user relations (relations)."""

from .relations import *  # noqa: F401,F403
from .ssc import *  # noqa: F401,F403
from .ssc import _actes, _en_hc, _nom  # noqa: F401  (used by tests and generators)
