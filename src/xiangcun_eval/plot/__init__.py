"""Charts (``plot`` extra, matplotlib).

Every chart function returns the matplotlib ``Figure`` and, where one axes
suffices, takes ``ax=`` to draw into an existing one.  Chinese labels render with
the CJK font found by :func:`~xiangcun_eval.plot.fonts.cjk_font` (shipped with the
``plot`` extra by the ``pylopdf-fonts-zh-cn`` package, Noto Sans SC, SIL OFL 1.1).
"""
