"""The rule catalogue: importing this package registers every rule, family by family.

Each family is one module (`syntax`, `pedagogy`, `curriculum`, `writing`, `assets`, `reviews`)
of decorated check functions; they import `..registry` and `..context`, never the engine.
"""

from __future__ import annotations

from ..registry import FAMILIES, REGISTRY, Fix, Hit, Options, Rule, Scope, get

from . import syntax  # isort: skip  (catalogue order: S, P, C, W, A, R)
from . import pedagogy  # isort: skip
from . import curriculum  # isort: skip
from . import writing  # isort: skip
from . import assets  # isort: skip
from . import reviews  # isort: skip

__all__ = [
    "FAMILIES",
    "REGISTRY",
    "Fix",
    "Hit",
    "Options",
    "Rule",
    "Scope",
    "assets",
    "curriculum",
    "get",
    "pedagogy",
    "reviews",
    "syntax",
    "writing",
]
