"""Evaluation: plan + state (+ history) at as_of → Assessment. Pure: no IO."""
