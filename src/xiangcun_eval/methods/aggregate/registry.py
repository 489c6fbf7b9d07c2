"""The registry of aggregation methods (合成方法注册表).

``REGISTRY`` maps a methodology's ``aggregate.method`` name to its kernel,
its pydantic ``Params`` model, a bilingual label, ``replicates`` and
``needs`` (see :class:`~xiangcun_eval.methods._registry.Registry`).

Adding an aggregation: write one module in this package with a ``Params``
model and a kernel named after the registry name,
``<name>(x, w, membership, n_groups, **params) -> (..., n_units, n_groups)``,
built on the validation and weighted-mean helpers of ``groups``
(``_prepare``, ``_wmean``, ``_finish``); decorate it with
``@REGISTRY.register("<name>", ...)``, import it in
``aggregate/__init__.py`` and add it to ``__all__`` there; then follow the
checklist in CONTRIBUTING.md.
"""

from __future__ import annotations

from .._registry import Registry

__all__ = ["REGISTRY"]

REGISTRY = Registry("aggregate")
