"""Several years: panel evaluation on common references.

:func:`evaluate_panel` and :class:`PanelEvaluation`, year-over-year changes and
their decomposition, code crosswalks (:class:`Crosswalk`), grade transitions
(:class:`Transitions`).
"""

from .crosswalk import Crosswalk, PanelError
from .evaluate import evaluate_panel
from .markov import Transitions
from .result import PanelEvaluation

__all__ = ["Crosswalk", "PanelError", "PanelEvaluation", "Transitions", "evaluate_panel"]
