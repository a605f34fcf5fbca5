"""The declared DR plan: models, loading with locations, and validation."""

from trondocs.plan.loaded import LoadedPlan
from trondocs.plan.loader import load_plan, plan_files
from trondocs.plan.models import Plan, PlanFile

__all__ = ["LoadedPlan", "Plan", "PlanFile", "load_plan", "plan_files"]
