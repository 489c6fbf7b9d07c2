"""Report sections.

Each module registers its sections on import; add a module here (one import
line) to contribute sections.
"""

from . import core, methods, panel, robustness  # noqa: F401
