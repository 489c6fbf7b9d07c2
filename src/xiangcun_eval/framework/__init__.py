"""Indicator frameworks (指标体系): tree model, loaders and built-in frameworks."""

from .loaders import IMeta, framework_from_toml, framework_to_toml, read_imeta, write_imeta
from .model import Benchmark, Framework, Group, Indicator, Node
from .registry import BUILTIN_FRAMEWORKS, load_framework, load_imeta
from .weightsets import AHPMatrices, PairwiseMatrix, WeightSet, WeightSetError

__all__ = [
    "BUILTIN_FRAMEWORKS",
    "AHPMatrices",
    "Benchmark",
    "Framework",
    "Group",
    "IMeta",
    "Indicator",
    "Node",
    "PairwiseMatrix",
    "WeightSet",
    "WeightSetError",
    "framework_from_toml",
    "framework_to_toml",
    "load_framework",
    "load_imeta",
    "read_imeta",
    "write_imeta",
]
