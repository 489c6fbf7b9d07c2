"""xiangcun-eval: 数字乡村发展评价 / digital-village development evaluation.

The public API (see the README for a tour):

* frameworks: :func:`load_framework`, :class:`Framework`, :class:`WeightSet`,
  :class:`AHPMatrices`;
* inputs: :func:`read_submissions`, :func:`read_unit_table`,
  :class:`CountySubmission`, :class:`UnitData`, :class:`SubmissionError`;
* scoring: :class:`Methodology`, :func:`evaluate`, :class:`Evaluation`,
  :func:`compare`;
* robustness: :func:`uncertainty`, :func:`sensitivity`,
  :class:`UncertaintySpace`.
"""

from ._version import __version__
from .errors import FrameworkError, MethodError, MissingExtraError, XiangcunError
from .evaluate import evaluate
from .framework import (
    BUILTIN_FRAMEWORKS,
    AHPMatrices,
    Framework,
    Group,
    Indicator,
    WeightSet,
    WeightSetError,
    load_framework,
    read_imeta,
)
from .inputs import UnitData
from .inputs.availability import availability
from .inputs.problems import Problem, SubmissionError
from .inputs.readers import QuarantineResult, read_submissions, read_unit_table
from .inputs.submission import CountySubmission
from .io.toml import TomlError
from .methodology import (
    AggregateSpec,
    GradingSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    RankingSpec,
    TreatSpec,
    WeightSpec,
)
from .results import Evaluation, compare
from .table import Table

__all__ = [
    "BUILTIN_FRAMEWORKS",
    "AHPMatrices",
    "AggregateSpec",
    "CountySubmission",
    "Evaluation",
    "Framework",
    "FrameworkError",
    "GradingSpec",
    "Group",
    "ImputeSpec",
    "Indicator",
    "MethodError",
    "Methodology",
    "MissingExtraError",
    "NormaliseSpec",
    "Problem",
    "QuarantineResult",
    "RankingSpec",
    "SubmissionError",
    "Table",
    "TomlError",
    "TreatSpec",
    "UnitData",
    "WeightSet",
    "WeightSetError",
    "WeightSpec",
    "XiangcunError",
    "__version__",
    "availability",
    "compare",
    "evaluate",
    "load_framework",
    "read_imeta",
    "read_submissions",
    "read_unit_table",
]
