"""The plan's routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.plans import console_views, dashboard_views
from app.plans.bp import bp
from app.plans.reports import views as report_views

VIEW_MODULES = (dashboard_views, report_views, console_views)

__all__ = ["bp", "VIEW_MODULES"]
