"""Indicator frameworks (指标体系): tree model, loaders and built-in frameworks."""

from .model import Framework, Group, Indicator, Node

__all__ = ["Framework", "Group", "Indicator", "Node"]
