"""Results leaving the library.

One column-naming scheme (:mod:`.columns`), tidy pandas frames (:mod:`.frames`),
CSV with a provenance header (:mod:`.csv`) and the Excel workbook (:mod:`.excel`,
``excel`` extra).

Every text cell written goes through
:func:`xiangcun_eval.io.safety.neutralise` (formula injection) and every
file through :mod:`xiangcun_eval.io.files` (atomic, no silent overwrite).
"""
