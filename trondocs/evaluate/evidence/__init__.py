"""Evidence: pure functions from plan + state at ``as_of`` to per-node facts the rules judge."""
