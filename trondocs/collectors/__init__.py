"""Collectors: one module per source, each turning one API into State. Read-only."""
