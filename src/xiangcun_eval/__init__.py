"""xiangcun-eval: 数字乡村发展评价 / digital-village development evaluation."""

from ._version import __version__
from .errors import FrameworkError, MethodError, MissingExtraError, XiangcunError
from .framework import Framework, Group, Indicator
from .inputs import UnitData

__all__ = [
    "Framework",
    "FrameworkError",
    "Group",
    "Indicator",
    "MethodError",
    "MissingExtraError",
    "UnitData",
    "XiangcunError",
    "__version__",
]
