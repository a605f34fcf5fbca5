"""Discovered state: the State model and its files."""

from trondocs.state.io import load_state, save_state
from trondocs.state.models import SCHEMA_VERSION, State

__all__ = ["SCHEMA_VERSION", "State", "load_state", "save_state"]
