"""Array kernels of the composite-indicator stages, one room per stage.

The stages are ``impute``, ``treat``, ``normalise``, ``weights``, ``aggregate``, ``rank``.

``normalise``, ``weights`` and ``aggregate`` are packages with one module per
method family and a ``registry`` module holding the stage's ``REGISTRY``;
everything public is re-exported from the package itself
(``from xiangcun_eval.methods.weights import entropy_weights``).
"""
