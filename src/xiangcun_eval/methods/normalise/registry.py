"""The registry of normalisation methods (标准化方法注册表).

``REGISTRY`` maps a methodology's ``normalise.method`` name to its kernel,
its pydantic ``Params`` model, a bilingual label, ``replicates`` and
``needs`` (see :class:`~xiangcun_eval.methods._registry.Registry`).

Adding a normalisation: write the kernel ``<name>(x, direction, **params)``
in the module of its family (or a new module), apply ``direction`` first
(``_prep``), handle degenerate columns with ``zero_variance`` if it scales by
a data range, decorate it with ``@REGISTRY.register("<name>", ...)`` and
re-export it from ``normalise/__init__.py``; then follow the checklist in
CONTRIBUTING.md.
"""

from __future__ import annotations

from .._registry import Registry

__all__ = ["REGISTRY"]

REGISTRY = Registry("normalise")
