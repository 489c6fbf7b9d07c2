"""Statistical audit of an evaluation (统计审计): ``xe.audit(evaluation)``.

Same definitions and defaults as COINr 1.1.14 where COINr has the function
(``get_stats``, ``get_data_avail``, ``get_corr``, ``get_corr_flags``,
``get_denom_corr``, ``get_cronbach``, ``get_PCA``, ``remove_elements``), so
that users moving from COINr get the same numbers; where we differ it is said
in the method's docstring and in ``docs/audit.md``.  Formulas of the
correlation, reliability and PCA kernels: :mod:`.coherence`; per-indicator
moments: :mod:`xiangcun_eval.methods._stats`.

References
----------
Becker, W. (2022). COINr: an R package for developing composite indicators.
*Journal of Open Source Software* 7(78), 4567. doi:10.21105/joss.04567
OECD/JRC (2008). *Handbook on Constructing Composite Indicators:
Methodology and User Guide*. OECD Publishing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import MethodError
from ..methods import _stats
from ..results import Evaluation
from ..table import Table
from . import coherence as _co

__all__ = ["STAGES", "Audit", "Stage", "audit"]

F64 = NDArray[np.float64]
Stage = Literal["raw", "denominated", "imputed", "treated", "normalised"]
STAGES: tuple[str, ...] = ("raw", "denominated", "imputed", "treated", "normalised")


def _flag(ok: NDArray[np.bool_], bad: str) -> list[str]:
    return ["ok" if v else bad for v in ok.tolist()]


@dataclass(frozen=True, eq=False)
class Audit:
    """Audit of one :class:`Evaluation` with its settings (COINr defaults).

    Every accessor returns a labelled :class:`~xiangcun_eval.table.Table`
    (or a number); :meth:`table` and :meth:`to_pandas` reach them by name.
    """

    evaluation: Evaluation
    stage: Stage = "normalised"
    method: _co.CorrMethod = "pearson"
    pval: float = 0.05
    collinear: float = 0.75
    negative: float = 0.0
    weak: float = 0.3
    denominator_threshold: float = 0.6
    t_skew: float = 2.0
    t_kurt: float = 3.5
    t_avail: float = 0.65
    t_zero: float = 0.5
    t_unq: float = 0.5

    # ----------------------------------------------------------------- data
    def data(self, level: int = 1, stage: Stage | None = None) -> tuple[tuple[str, ...], F64]:
        """Codes and ``(n_units, n_nodes)`` values of a level.

        Level 1 gives the indicators at ``stage``, levels >= 2 the aggregate scores.
        """
        fw = self.evaluation.framework
        if not 1 <= level <= fw.max_level:
            raise MethodError(f"层级须在 1..{fw.max_level} / level must be in 1..{fw.max_level}")
        if level > 1:
            return fw.level_codes(level), np.asarray(self.evaluation.level_scores[level - 1])
        st = stage or self.stage
        if st not in STAGES:
            raise MethodError(f"未知阶段 {st!r} / unknown stage {st!r}; use one of {STAGES}")
        return fw.indicator_codes, np.asarray(getattr(self.evaluation.preprocessed, st))

    def _codes_values(self, codes: Sequence[str], stage: Stage | None) -> F64:
        fw = self.evaluation.framework
        unknown = [c for c in codes if c not in fw]
        if unknown:
            raise MethodError(f"框架中没有这些代码 / no such nodes: {unknown}")
        cols = []
        for c in codes:
            lev = fw[c].level
            lc, x = self.data(lev, stage)
            cols.append(x[:, lc.index(c)])
        return np.column_stack(cols)

    # ---------------------------------------------------------------- stats
    def stats(self, stage: Stage | None = None, level: int = 1) -> Table:
        """Per-indicator statistics and flags (COINr ``get_stats``).

        Min, Max, Mean, Median, Std (sample, n − 1), Skew, Kurt (bias-corrected
        G1, G2), N.Avail, N.NonZero, N.Unique, N.Same (largest count of one
        value), Frc.* (over available values; Frc.Avail over all units) and the
        flags: Flag.Avail "LOW" if Frc.Avail < t_avail; Flag.NonZero "LOW" if
        N.NonZero / n_units < t_zero; Flag.Unique "LOW" if N.Unique / n_units <
        t_unq (both divide by all units, as COINr); Flag.SkewKurt "OUT" if
        |Skew| > t_skew and Kurt > t_kurt.  Not rounded (COINr rounds to 3
        significant figures by default).
        """
        codes, x = self.data(level, stage)
        n = x.shape[0]
        avail = _stats.nan_count(x)[0].astype(np.float64)
        nonzero = np.sum((x != 0) & ~np.isnan(x), axis=0).astype(np.float64)
        s = np.sort(x, axis=0)  # NaN last
        newv = np.ones_like(s, dtype=bool)
        newv[1:] = s[1:] != s[:-1]
        valid = ~np.isnan(s)
        nunique = np.sum(newv & valid, axis=0).astype(np.float64)
        nsame = np.zeros(x.shape[1])
        for j in range(x.shape[1]):  # run lengths per column (columns, not units)
            v = s[valid[:, j], j]
            if v.size:
                starts = np.flatnonzero(np.r_[True, v[1:] != v[:-1]])
                nsame[j] = np.diff(np.r_[starts, v.size]).max()
        with np.errstate(invalid="ignore", divide="ignore"):
            fa, fnz, fu, fs = avail / n, nonzero / avail, nunique / avail, nsame / avail
        sk, ku = _stats.nan_skew(x)[0], _stats.nan_kurt(x)[0]
        fw = self.evaluation.framework
        out = {
            "代码 code": codes,
            "名称 name": [fw[c].label for c in codes],
            "最小值 Min": _stats.nan_min(x)[0], "最大值 Max": _stats.nan_max(x)[0],
            "均值 Mean": _stats.nan_mean(x)[0], "中位数 Median": _stats.nan_median(x)[0],
            "标准差 Std": _stats.nan_std(x)[0], "偏度 Skew": sk, "峰度 Kurt": ku,
            "有效数 N.Avail": avail.astype(int), "非零数 N.NonZero": nonzero.astype(int),
            "不同值数 N.Unique": nunique.astype(int), "最多重复 N.Same": nsame.astype(int),
            "可得率 Frc.Avail": fa, "非零率 Frc.NonZero": fnz, "不同值率 Frc.Unique": fu,
            "重复率 Frc.Same": fs,
            "可得性 Flag.Avail": _flag(fa >= self.t_avail, "LOW"),
            "非零 Flag.NonZero": _flag(nonzero / n >= self.t_zero, "LOW"),
            "不同值 Flag.Unique": _flag(nunique / n >= self.t_unq, "LOW"),
            "偏峰 Flag.SkewKurt": _flag(~((np.abs(sk) > self.t_skew) & (ku > self.t_kurt)), "OUT"),
        }
        where = (stage or self.stage) if level == 1 else f"level {level}"
        return Table.from_columns(out, title=f"指标统计 / indicator statistics ({where})")

    # --------------------------------------------------------- availability
    def availability(self, stage: Stage = "raw") -> Table:
        """Tabulate data availability per unit (COINr ``get_data_avail``).

        N_missing, N_zero, N_miss_or_zero, Dat_Avail = 1 − N_missing / n_ind,
        Non_Zero = 1 − N_zero / (n_ind − N_missing); then, for every aggregate
        at every level, the share of its indicators (all levels down) that the
        unit has.
        """
        ev = self.evaluation
        fw = ev.framework
        _, x = self.data(1, stage)
        miss = np.isnan(x)
        k = x.shape[1]
        nm = miss.sum(axis=1)
        nz = np.sum((x == 0) & ~miss, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            nonzero = 1.0 - nz / (k - nm)
        cols: dict[str, Any] = {"代码 code": ev.units, "名称 name": ev.data.names,
                                "缺失数 N_missing": nm, "零值数 N_zero": nz,
                                "缺失或零 N_miss_or_zero": nm + nz,
                                "可得率 Dat_Avail": 1.0 - nm / k, "非零率 Non_Zero": nonzero}
        have = (~miss).astype(np.float64)
        for lev in range(2, fw.max_level + 1):
            gcodes = fw.level_codes(lev)
            member = np.array([gcodes.index(fw.ancestor(c, lev)) for c in fw.indicator_codes])
            onehot = np.zeros((k, len(gcodes)))
            onehot[np.arange(k), member] = 1.0
            share = (have @ onehot) / onehot.sum(axis=0)
            for j, g in enumerate(gcodes):
                cols[f"可得率 avail {g}"] = share[:, j]
        return Table.from_columns(cols, title=f"数据可得性 / data availability by unit ({stage})")

    # --------------------------------------------------------- correlations
    def correlation_matrix(
        self, level: int = 1, with_level: int | None = None, *,
        method: _co.CorrMethod | None = None, pval: float | None = None,
        stage: Stage | None = None,
    ) -> Table:
        """Correlations between the nodes of two levels, wide.

        The nodes of ``level`` against those of ``with_level`` (default the same
        level); entries with p > ``pval`` are missing (``pval = 0`` keeps all), as
        COINr ``get_corr(make_long = FALSE)``.
        """
        rows, cols, r, _, _ = self._corr(level, with_level or level, method, pval, stage)
        out: dict[str, Any] = {"代码 code": rows}
        for j, c in enumerate(cols):
            out[c] = r[:, j]
        m = method or self.method
        return Table.from_columns(out, title=f"相关矩阵 / correlation matrix ({m})")

    def _corr(
        self, level: int, with_level: int, method: _co.CorrMethod | None, pval: float | None,
        stage: Stage | None, need_p: bool = False,
    ) -> tuple[tuple[str, ...], tuple[str, ...], F64, F64, F64]:
        m = method or self.method
        pv = self.pval if pval is None else pval
        if not 0 <= pv <= 1:
            raise MethodError("pval 须在 [0, 1] / pval must be in [0, 1]")
        rc, x = self.data(level, stage)
        cc, y = self.data(with_level, stage)
        if pv > 0 or need_p:
            r, n, p = _co.corr_with_pvalues(x, y, m)
            if pv > 0:
                r = np.where(p > pv, np.nan, r)
        else:
            r, n = _co.pairwise_corr(x, y, m)
            p = np.full(r.shape, np.nan)
        return rc, cc, r, p, n

    def correlations(
        self, level: int = 1, with_level: int | None = None, *, within: int | None = None,
        method: _co.CorrMethod | None = None, pval: float | None = None,
        stage: Stage | None = None,
    ) -> Table:
        """Long table of correlations (COINr ``get_corr``).

        * ``with_level`` above ``level``: each node with its ancestor at
          ``with_level`` (``withparent = TRUE``);
        * same level (default): every pair, or with ``within`` only pairs in
          the same group at level ``within`` (``grouplev``).
        ``r`` is missing where p > ``pval`` (default 0.05; 0 = no filter).
        """
        fw = self.evaluation.framework
        wl = with_level or level
        if wl < level:
            level, wl = wl, level
        rc, cc, r, p, n = self._corr(level, wl, method, pval, stage, need_p=True)
        pairs: list[tuple[int, int, str]] = []
        if wl > level:
            for i, c in enumerate(rc):
                anc = fw.ancestor(c, wl)
                pairs.append((i, cc.index(anc), anc))
        else:
            if within is not None and not level < within <= fw.max_level:
                raise MethodError(
                    f"within 须在 {level + 1}..{fw.max_level} / within must be a level above "
                    f"{level}"
                )
            for i in range(len(rc)):
                for j in range(i + 1, len(cc)):
                    g = fw.ancestor(rc[i], within) if within else ""
                    if within and fw.ancestor(cc[j], within) != g:
                        continue
                    pairs.append((i, j, g))
        return Table.from_columns(
            {"代码1 code 1": [rc[i] for i, _, _ in pairs],
             "代码2 code 2": [cc[j] for _, j, _ in pairs],
             "分组 group": [g for _, _, g in pairs],
             "相关系数 r": [r[i, j] for i, j, _ in pairs],
             "p 值 p": [p[i, j] for i, j, _ in pairs],
             "单位数 n": [int(n[i, j]) for i, j, _ in pairs]},
            title=f"相关系数 / correlations ({method or self.method})",
        )

    def parent_correlations(
        self, *, method: _co.CorrMethod | None = None, stage: Stage | None = None
    ) -> Table:
        """Correlation of every node below the index with its parent and the index.

        No p-value filter is applied.
        """
        fw = self.evaluation.framework
        codes, lev_l, parents, rp, ri = [], [], [], [], []
        root = fw.root.code
        for lev in range(1, fw.max_level):
            rc, cc, r, _, _ = self._corr(lev, lev + 1, method, 0.0, stage)
            _, _, rix, _, _ = self._corr(lev, fw.max_level, method, 0.0, stage)
            for i, c in enumerate(rc):
                par = fw[c].parent or root
                codes.append(c)
                lev_l.append(lev)
                parents.append(par)
                rp.append(r[i, cc.index(par)])
                ri.append(rix[i, 0])
        return Table.from_columns(
            {"代码 code": codes, "层级 level": lev_l, "上级 parent": parents,
             "与上级 r parent": rp, "与指数 r index": ri},
            title=("与上级和指数的相关 / correlation with parent and index "
                   f"({method or self.method})"),
        )

    def flags(self, stage: Stage | None = None) -> Table:
        """Correlation flags at every level.

        On the audit's stage (default normalised) with its method, no p-value
        filter (as COINr ``get_corr_flags``):

        * collinear: two children of the same parent with r > ``collinear``
          (COINr's default check uses 0.75 on normalised data);
        * negative: two children of the same parent with r < ``negative``
          (``get_corr_flags(thresh_type = "low")``);
        * weak link: a node whose correlation with its own parent is below
          ``weak`` (JRC audit practice, default 0.3).
        """
        fw = self.evaluation.framework
        kind, level, group, c1, c2, rv = [], [], [], [], [], []
        # one correlation matrix over the nodes of every level (one call, not one per level)
        blocks = [self.data(lev, stage) for lev in range(1, fw.max_level + 1)]
        codes = [c for cs, _ in blocks for c in cs]
        pos = {c: k for k, c in enumerate(codes)}
        r, _ = _co.pairwise_corr(np.column_stack([x for _, x in blocks]), method=self.method)
        for lev in range(1, fw.max_level):
            rc = fw.level_codes(lev)
            par = [fw[c].parent or "" for c in rc]
            for i in range(len(rc)):
                for j in range(i + 1, len(rc)):
                    v = r[pos[rc[i]], pos[rc[j]]]
                    if par[i] != par[j] or np.isnan(v):
                        continue
                    for tag, hit in (("共线 collinear", v > self.collinear),
                                     ("组内负相关 negative", v < self.negative)):
                        if hit:
                            kind.append(tag)
                            level.append(lev)
                            group.append(par[i])
                            c1.append(rc[i])
                            c2.append(rc[j])
                            rv.append(v)
            for c in rc:
                pcode = fw[c].parent or fw.root.code
                v = r[pos[c], pos[pcode]]
                if not np.isnan(v) and v < self.weak:
                    kind.append("弱相关 weak link")
                    level.append(lev)
                    group.append(pcode)
                    c1.append(c)
                    c2.append(pcode)
                    rv.append(v)
        return Table.from_columns(
            {"类别 flag": kind, "层级 level": level, "分组 group": group, "代码1 code 1": c1,
             "代码2 code 2": c2, "相关系数 r": rv},
            title=(f"相关性标记 / correlation flags (collinear > {self.collinear}, negative < "
                   f"{self.negative}, weak < {self.weak}; {self.method})"),
        )

    def denominator_correlations(
        self, threshold: float | None = None, stage: Stage = "raw"
    ) -> Table:
        """Indicator-denominator pairs with |r| > ``threshold`` (default 0.6).

        As COINr ``get_denom_corr``: a check for scale effects.
        """
        ev = self.evaluation
        dens = ev.data.denominators
        if not dens:
            raise MethodError(
                "数据中没有分母列 / the data has no denominator columns (COINr Type = "
                "Denominator); nothing to correlate"
            )
        thr = self.denominator_threshold if threshold is None else threshold
        codes, x = self.data(1, stage)
        names = tuple(sorted(dens))
        d = np.column_stack([dens[k] for k in names])
        r, n = _co.pairwise_corr(x, d, self.method)
        i, j = np.nonzero(np.abs(np.nan_to_num(r)) > thr)
        order = np.lexsort((j, np.asarray(codes)[i]))
        i, j = i[order], j[order]
        return Table.from_columns(
            {"指标 indicator": [codes[a] for a in i], "分母 denominator": [names[b] for b in j],
             "相关系数 r": r[i, j], "单位数 n": n[i, j].astype(int)},
            title=f"指标与分母的相关 / indicator-denominator correlations (|r| > {thr})",
        )

    # ------------------------------------------------------------- reliability
    def cronbach(
        self, codes: Sequence[str] | None = None, *, group: str | None = None,
        level: int | None = None, stage: Stage | None = None,
    ) -> float:
        """Cronbach's alpha of a set of nodes (COINr ``get_cronbach``).

        The set is given by explicit ``codes``, the children of ``group``, or all
        nodes of ``level``.
        """
        fw = self.evaluation.framework
        if sum(v is not None for v in (codes, group, level)) != 1:
            raise MethodError("给出 codes、group 或 level 之一 / give one of codes, group, level")
        if group is not None:
            sel: Sequence[str] = fw.children(group)
        elif level is not None:
            sel = self.data(level, stage)[0]
        else:
            assert codes is not None
            sel = codes
        return _co.cronbach_alpha(self._codes_values(sel, stage))

    def reliability(self, stage: Stage | None = None) -> Table:
        """Reliability of every group's children and of every level.

        Cronbach's alpha, with PCA (first eigenvalue, explained share), KMO and
        Bartlett's test per group (groups with two or more children).
        """
        fw = self.evaluation.framework
        rows: dict[str, list[Any]] = {k: [] for k in (
            "分组 group", "层级 level", "子项数 k", "Cronbach α", "第一特征值 λ1",
            "解释比例 explained 1", "第一主成分>1的个数 n(λ>1)", "KMO", "Bartlett χ²",
            "Bartlett p", "完整单位 n used")}
        for lev in range(2, fw.max_level + 1):
            for g in fw.level_codes(lev):
                kids = fw.children(g)
                if len(kids) < 2:
                    continue
                x = self._codes_values(kids, stage)
                try:
                    res: _co.PCAResult | None = _co.pca(x)
                except MethodError:
                    res = None
                rows["分组 group"].append(g)
                rows["层级 level"].append(lev)
                rows["子项数 k"].append(len(kids))
                rows["Cronbach α"].append(_co.cronbach_alpha(x))
                rows["第一特征值 λ1"].append(res.eigenvalues[0] if res else np.nan)
                rows["解释比例 explained 1"].append(res.explained[0] if res else np.nan)
                rows["第一主成分>1的个数 n(λ>1)"].append(int((res.eigenvalues > 1).sum()) if res
                                                     else None)
                rows["KMO"].append(res.kmo if res else np.nan)
                rows["Bartlett χ²"].append(res.bartlett_chi2 if res else np.nan)
                rows["Bartlett p"].append(res.bartlett_p if res else np.nan)
                rows["完整单位 n used"].append(res.n_used if res else None)
        return Table.from_columns(rows, title="信度与主成分 / reliability and PCA per group")

    def pca(self, group: str | None = None, *, level: int = 1,
            stage: Stage | None = None) -> _co.PCAResult:
        """PCA of the children of ``group`` (or of all nodes of ``level``).

        See :func:`.coherence.pca` for the definitions and sign convention.
        """
        fw = self.evaluation.framework
        codes = fw.children(group) if group is not None else self.data(level, stage)[0]
        return _co.pca(self._codes_values(codes, stage))

    def loadings(self, group: str | None = None, *, level: int = 1,
                 stage: Stage | None = None, components: int = 3) -> Table:
        """PCA loadings of the children of ``group``, eigenvalues in the title.

        Loadings are unit eigenvectors; COINr's "PCA weights" are the first column.
        """
        fw = self.evaluation.framework
        codes = fw.children(group) if group is not None else self.data(level, stage)[0]
        res = _co.pca(self._codes_values(codes, stage))
        k = min(components, res.loadings.shape[1])
        cols: dict[str, Any] = {"代码 code": codes, "MSA": res.msa}
        for c in range(k):
            cols[f"PC{c + 1}"] = res.loadings[:, c]
        ev_txt = ", ".join(f"{v:.3f}" for v in res.eigenvalues[:k])
        return Table.from_columns(
            cols, title=f"主成分载荷 / PCA loadings {group or f'level {level}'} (λ = {ev_txt}; "
                        f"KMO = {res.kmo:.3f})")

    # ------------------------------------------------------------ robustness
    def leave_one_out(self, level: int | None = None) -> Table:
        """Rank shifts when each element of ``level`` is removed in turn.

        ``level`` defaults to the level below the index (COINr ``remove_elements``;
        :func:`xiangcun_eval.leave_one_out`).
        """
        from ..sensitivity.oat import leave_one_out

        ev = self.evaluation
        lev = ev.framework.max_level - 1 if level is None else level
        return leave_one_out(ev.data, ev.methodology, level=lev).table()

    def profile(self, unit: str, k: int = 5) -> Table:
        """Strengths and weaknesses of one unit (:meth:`Evaluation.profile`)."""
        return self.evaluation.profile(unit, k)

    # ---------------------------------------------------------------- access
    def summary(self) -> Table:
        """Headline counts of the audit.

        Indicators flagged by each statistic, correlation flags by kind, units
        below the availability threshold.
        """
        st = self.stats(stage="raw")
        fl = self.flags()
        av = self.availability()
        kinds = fl.column("类别 flag")
        items = [
            ("可得性低的指标 indicators with low availability",
             st.column("可得性 Flag.Avail").count("LOW")),
            ("零值多的指标 indicators with many zeros",
             st.column("非零 Flag.NonZero").count("LOW")),
            ("不同值少的指标 indicators with few unique values",
             st.column("不同值 Flag.Unique").count("LOW")),
            ("偏峰异常的指标 (原始) skew-kurtosis outliers (raw)",
             st.column("偏峰 Flag.SkewKurt").count("OUT")),
            ("共线指标对 collinear pairs", kinds.count("共线 collinear")),
            ("组内负相关对 negative pairs", kinds.count("组内负相关 negative")),
            ("弱相关 weak links", kinds.count("弱相关 weak link")),
            (f"可得率低于 {self.t_avail} 的单位 units with availability below {self.t_avail}",
             int(np.sum(np.asarray(av.column("可得率 Dat_Avail")) < self.t_avail))),
        ]
        return Table.from_columns(
            {"检查 check": [a for a, _ in items], "数量 count": [b for _, b in items]},
            title="审计摘要 / audit summary",
        )

    def sheets(self) -> list[tuple[str, Table]]:
        """Sheets ``(sheet name, table)`` of the audit for the Excel workbook.

        Used by ``ev.to_excel(path, audit=xe.audit(ev))``.
        """
        return [
            ("审计摘要 audit summary", self.summary()),
            ("指标统计 indicator stats", self.stats(stage="raw")),
            ("相关性标记 corr. flags", self.flags()),
            ("信度 reliability", self.reliability()),
            ("可得性 availability", self.availability()),
        ]

    _TABLES = ("summary", "stats", "availability", "correlations", "correlation_matrix",
               "parent_correlations", "flags", "denominators", "reliability", "loadings",
               "leave_one_out", "profile")

    def table(self, name: str = "summary", **kwargs: Any) -> Table:
        """Any audit table by name; keyword arguments go to the accessor.

        Names: ``summary``, ``stats``, ``availability``, ``correlations``,
        ``correlation_matrix``, ``parent_correlations``, ``flags``,
        ``denominators``, ``reliability``, ``loadings``, ``leave_one_out``,
        ``profile``.
        """
        if name not in self._TABLES:
            raise MethodError(f"未知审计表 {name!r} / unknown audit table {name!r}; use one of "
                              f"{list(self._TABLES)}")
        fn = {"denominators": "denominator_correlations"}.get(name, name)
        out: Table = getattr(self, fn)(**kwargs)
        return out

    def to_pandas(self, name: str = "summary", **kwargs: Any) -> Any:
        """:meth:`table` as a ``pandas.DataFrame`` (``pandas`` extra)."""
        return self.table(name, **kwargs).to_pandas()


def audit(
    evaluation: Evaluation, *, stage: Stage = "normalised", method: _co.CorrMethod = "pearson",
    pval: float = 0.05, collinear: float = 0.75, negative: float = 0.0, weak: float = 0.3,
    denominator_threshold: float = 0.6, t_skew: float = 2.0, t_kurt: float = 3.5,
    t_avail: float = 0.65, t_zero: float = 0.5, t_unq: float = 0.5,
) -> Audit:
    """Statistical audit of an evaluation (COINr 1.1.14 definitions and defaults).

    Parameters
    ----------
    evaluation
        The evaluation to audit.
    stage
        Indicator data set used by default: ``raw``, ``denominated``,
        ``imputed``, ``treated`` or ``normalised`` (default, as COINr's
        correlation checks).
    method
        ``pearson`` (default), ``spearman`` or ``kendall``.
    pval
        Correlations with a larger p-value are blanked in correlation tables
        (COINr ``get_corr`` default 0.05; 0 keeps all).  Flags use no filter.
    collinear, negative, weak
        Flag thresholds: within-group r above ``collinear`` (0.75), below
        ``negative`` (0), correlation with the parent below ``weak`` (0.3).
    denominator_threshold
        |r| above which an indicator-denominator pair is listed (0.6).
    t_skew, t_kurt, t_avail, t_zero, t_unq
        Thresholds of the indicator flags (COINr ``get_stats`` defaults).

    Returns
    -------
    Audit
    """
    if not isinstance(evaluation, Evaluation):
        raise MethodError(f"audit() 需要 Evaluation / audit() takes an Evaluation, got "
                          f"{type(evaluation).__name__}")
    if stage not in STAGES:
        raise MethodError(f"未知阶段 {stage!r} / unknown stage {stage!r}; use one of {STAGES}")
    if method not in ("pearson", "spearman", "kendall"):
        raise MethodError(f"未知相关方法 {method!r} / unknown correlation method {method!r}")
    for nm, v, lo, hi in (("pval", pval, 0, 1), ("collinear", collinear, -1, 1),
                          ("negative", negative, -1, 1), ("weak", weak, -1, 1),
                          ("denominator_threshold", denominator_threshold, 0, 1),
                          ("t_avail", t_avail, 0, 1), ("t_zero", t_zero, 0, 1),
                          ("t_unq", t_unq, 0, 1)):
        if not lo <= v <= hi:
            raise MethodError(f"{nm} 须在 [{lo}, {hi}] / {nm} must be in [{lo}, {hi}], got {v}")
    return Audit(evaluation=evaluation, stage=stage, method=method, pval=pval,
                 collinear=collinear, negative=negative, weak=weak,
                 denominator_threshold=denominator_threshold, t_skew=t_skew, t_kurt=t_kurt,
                 t_avail=t_avail, t_zero=t_zero, t_unq=t_unq)
