"""The RGE as code: pure rules that take facts and return a Decision with its articles.

This package never imports Django nor any other ``parcours`` package (import-linter contract
in ``pyproject.toml`` and ``tests/regulation/test_purity.py``).
"""

from parcours.regulation.explain import Decision, Reason, RuleError

__all__ = ["Decision", "Reason", "RuleError"]
