"""Array kernels of the composite-indicator stages, one module per stage:
``impute``, ``treat``, ``normalise``, ``weights``, ``aggregate``, ``rank``."""
