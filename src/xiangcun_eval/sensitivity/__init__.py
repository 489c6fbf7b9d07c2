"""Uncertainty and global sensitivity analysis: space, design, estimators,
engine, executors and the public ``uncertainty`` / ``sensitivity`` API."""
