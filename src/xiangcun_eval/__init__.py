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

from . import analysis
from ._version import __version__
from .analysis.audit import Audit, audit
from .analysis.importance import Importance, effective_importance
from .archive import Archive, ArchiveError, ImportResult
from .errors import (
    FrameworkError,
    MethodError,
    MissingExtraError,
    OptionError,
    OutputExistsError,
    UnknownCodeError,
    XiangcunError,
)
from .evaluate import evaluate
from .framework import (
    BUILTIN_FRAMEWORKS,
    AHPMatrices,
    Benchmark,
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
from .inputs.problem_sheet import write_problems
from .inputs.problems import Problem, SubmissionError, SubmissionWarning
from .inputs.readers import QuarantineResult, read_submissions, read_unit_table
from .inputs.submission import CountySubmission
from .inputs.template import write_template
from .io.toml import TomlError
from .methodology import (
    AggregateSpec,
    GradingSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    RankingSpec,
    TransformSpec,
    TreatSpec,
    WeightSpec,
)
from .panel import Crosswalk, PanelError, PanelEvaluation, Transitions, evaluate_panel
from .results import Evaluation, compare
from .sensitivity.api import (
    AnalysisInterrupted,
    LeaveOneOutResult,
    MemoryBudgetError,
    OATResult,
    RunOptions,
    SensitivityResult,
    UncertaintyResult,
    leave_one_out,
    one_at_a_time,
    replay,
    sensitivity,
    uncertainty,
)
from .sensitivity.space import (
    AggregateAlternatives,
    DataNoise,
    Exclusion,
    ImputeAlternatives,
    NormaliseAlternatives,
    ParameterRange,
    TreatAlternatives,
    UncertaintySpace,
    WeightAlternatives,
    WeightDirichlet,
    WeightNoise,
    WeightSetAlternatives,
)
from .table import Table

__all__ = [
    "BUILTIN_FRAMEWORKS",
    "AHPMatrices",
    "AggregateAlternatives",
    "AggregateSpec",
    "AnalysisInterrupted",
    "Archive",
    "ArchiveError",
    "Audit",
    "Benchmark",
    "CountySubmission",
    "Crosswalk",
    "DataNoise",
    "Evaluation",
    "Exclusion",
    "Framework",
    "FrameworkError",
    "GradingSpec",
    "Group",
    "ImportResult",
    "Importance",
    "ImputeAlternatives",
    "ImputeSpec",
    "Indicator",
    "LeaveOneOutResult",
    "MemoryBudgetError",
    "MethodError",
    "Methodology",
    "MissingExtraError",
    "NormaliseAlternatives",
    "NormaliseSpec",
    "OATResult",
    "OptionError",
    "OutputExistsError",
    "PanelError",
    "PanelEvaluation",
    "ParameterRange",
    "Problem",
    "QuarantineResult",
    "RankingSpec",
    "RunOptions",
    "SensitivityResult",
    "SubmissionError",
    "SubmissionWarning",
    "Table",
    "TomlError",
    "TransformSpec",
    "Transitions",
    "TreatAlternatives",
    "TreatSpec",
    "UncertaintyResult",
    "UncertaintySpace",
    "UnitData",
    "UnknownCodeError",
    "WeightAlternatives",
    "WeightDirichlet",
    "WeightNoise",
    "WeightSet",
    "WeightSetAlternatives",
    "WeightSetError",
    "WeightSpec",
    "XiangcunError",
    "__version__",
    "analysis",
    "audit",
    "availability",
    "compare",
    "effective_importance",
    "evaluate",
    "evaluate_panel",
    "leave_one_out",
    "load_framework",
    "one_at_a_time",
    "read_imeta",
    "read_submissions",
    "read_unit_table",
    "replay",
    "sensitivity",
    "uncertainty",
    "write_problems",
    "write_template",
]


def __getattr__(name: str) -> object:
    """Resolve the deprecated aliases of renamed public names (DeprecationWarning)."""
    if name == "WeightSets":  # renamed WeightSetAlternatives in 0.2; alias goes in 0.3
        from .sensitivity import space

        return getattr(space, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
