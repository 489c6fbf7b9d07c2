"""The registry of weighting methods (权重方法注册表).

``REGISTRY`` maps a methodology's ``weights.method`` name to its kernel, its
pydantic ``Params`` model, a bilingual label, ``replicates`` and ``needs``
(see :class:`~xiangcun_eval.methods._registry.Registry`).

Adding a weighting method: write one module in this package with a
``Params`` model and a kernel ``<name>_weights(x, **params)`` on a 2-D
``(n_units, n_cols)`` array returning ``(n_cols,)`` weights that sum to 1,
decorate it with ``@REGISTRY.register("<name>", ...)``, import the module in
``weights/__init__.py`` and add it to ``__all__`` there; then follow the
checklist in CONTRIBUTING.md (docstring with formula and reference, a test
against a published example or a peer library, the replicate-axis test when
``replicates=True``, a row in docs/methods-weights.md).
"""

from __future__ import annotations

from .._registry import Registry

__all__ = ["REGISTRY"]

REGISTRY = Registry("weights")
