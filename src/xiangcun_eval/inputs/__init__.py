"""Inputs: county submissions, generic unit tables, readers and validation rules."""

from .data import UnitData

__all__ = ["UnitData"]
