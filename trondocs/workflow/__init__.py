"""The pipelines the CLI runs: the one place where the stages meet (one module per pipeline).

Collectors → State; plan + state → evaluate → Assessment → renderers. Only this package
and the CLI import more than one stage.
"""
