"""The plan's routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.plans import dashboard_views
from app.plans.bp import bp

VIEW_MODULES = (dashboard_views,)

__all__ = ["bp", "VIEW_MODULES"]
