"""Parcours — the student-administration system of a Haute École (FWB)."""

__version__ = "0.1.0"
