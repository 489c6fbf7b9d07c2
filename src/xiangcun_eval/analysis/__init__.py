"""Follow-up analytics on an :class:`~xiangcun_eval.Evaluation`."""
