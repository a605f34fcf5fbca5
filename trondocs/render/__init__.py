"""Renderers: the Assessment (with plan and state for detail) → site, PDF, drift outputs."""
